import { z } from 'zod'
import { defineComponent, Router } from '../../../core/index.js'
import { type ControllerTree, isController } from './controller.js'
import { ObjectDispatchRouter } from './object-dispatch-router.js'

export const objectDispatchOptions = z.strictObject({
  root: z.custom<ControllerTree>(isController, {
    message: 'root must be the root controller: a plain object (or an instance of a Controller subclass) whose keys are the first path segments',
  }),
  maxParamLength: z.number().int().positive().default(500),
  maxSegments: z.number().int().positive().default(100),
})

/**
 * The router slot by object dispatch: the root controller's keys are path
 * segments (`/pages/edit` answers with `root.pages.edit`). Routes added with
 * `routes(r)` and by components still work, matched before the tree.
 *
 * @example
 * import { expose, objectDispatch } from 'dovetailjs/components/router/object-dispatch'
 * const root = { index: expose((ctx) => ctx.text('home'), { name: 'home' }) }
 * defineConfig({ components: { router: objectDispatch({ root }) } })
 */
export const objectDispatch = defineComponent({
  name: 'router/object-dispatch',
  slot: 'router',
  contract: '^1.0',
  options: objectDispatchOptions,
  register(c, options) {
    // Built here, not on first resolve: a malformed tree stops createApp naming the key,
    // and the controller classes must be registered before the container is validated.
    const router = new ObjectDispatchRouter(options)
    // Scoped, as r.get(path, [Class, 'method']) registers a controller: one instance per request.
    for (const controller of router.controllerClasses) if (!c.has(controller)) c.scoped(controller)
    c.value(Router, router)
  },
})

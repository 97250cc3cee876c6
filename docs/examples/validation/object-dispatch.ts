import { createApp, type RouteContext } from 'dovetailjs'
import body from 'dovetailjs/components/middleware/body'
import objectDispatch, { expose } from 'dovetailjs/components/router/object-dispatch'
import { z } from 'zod'

const PageParams = z.object({ slug: z.string().regex(/^[a-z0-9-]+$/, 'Lower-case letters, digits and dashes.') })
const PageInput = z.strictObject({ title: z.string().min(1) })

/** A controller tree whose actions declare schemas with expose(): the same validation as r.get(). */
export const root = {
  pages: {
    show: expose((ctx: RouteContext<string, { params: typeof PageParams }>) => ctx.json({ slug: ctx.input.params.slug }), { params: ['slug'], schemas: { params: PageParams } }),
    // Only the POST is checked: the GET and the POST are two expose() calls at one key.
    create: [
      expose((ctx) => ctx.text('the form')),
      expose((ctx: RouteContext<string, { body: typeof PageInput }>) => ctx.json(ctx.input.body, { status: 201 }), { methods: ['POST'], schemas: { body: PageInput }, summary: 'Create a page' }),
    ],
  },
}

export const createObjectDispatchApp = () => createApp({ environment: 'test', components: { router: objectDispatch({ root }), middleware: [body()] } })

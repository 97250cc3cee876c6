import { runRouterConformance } from 'dovetailjs/testing/conformance'
import { RadixRouter } from 'dovetailjs/components/router/radix'
import { ObjectDispatchRouter } from 'dovetailjs/components/router/object-dispatch'
import { RoutesAsTree } from '../support/routes-as-tree.js'

runRouterConformance({ name: 'router/radix', createRouter: () => new RadixRouter() })
runRouterConformance({
  name: 'router/radix (trailing and duplicate slashes ignored)',
  createRouter: () => new RadixRouter({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true }),
})

// Routes added with add() (from routes(r), presets, components) beside an empty controller tree.
runRouterConformance({ name: 'router/object-dispatch (routes added with add())', createRouter: () => new ObjectDispatchRouter({ root: {} }) })
// The kit's routes written as a controller tree (test/support/routes-as-tree.ts), answered by tree dispatch.
runRouterConformance({ name: 'router/object-dispatch (the routes as a controller tree)', createRouter: () => new RoutesAsTree() })

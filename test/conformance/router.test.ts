import { runRouterConformance } from 'dovetailjs/testing/conformance'
import { RadixRouter } from 'dovetailjs/components/router/radix'

runRouterConformance({ name: 'router/radix', createRouter: () => new RadixRouter() })
runRouterConformance({
  name: 'router/radix (trailing and duplicate slashes ignored)',
  createRouter: () => new RadixRouter({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true }),
})

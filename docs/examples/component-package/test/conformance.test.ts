import { fileURLToPath } from 'node:url'
import { runTemplateConformance } from 'dovetailjs/testing/conformance'
// The package's own name: the built package, as an app gets it (npm test builds first).
import { handlebars } from 'dovetail-handlebars'

runTemplateConformance({
  name: 'dovetail-handlebars',
  createComponent: (views, options) => handlebars({ views, ...options }),
  fixtures: fileURLToPath(new URL('./fixtures', import.meta.url)),
})

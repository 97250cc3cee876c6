import { fileURLToPath } from 'node:url'
import { runTemplateConformance } from 'dovetailjs/testing/conformance'
import { eta } from 'dovetailjs/components/template/eta'
import { nunjucks } from 'dovetailjs/components/template/nunjucks'

const fixtures = (engine: string) => fileURLToPath(new URL(`./templates/${engine}`, import.meta.url))

runTemplateConformance({
  name: 'template/eta',
  createComponent: (views, options) => eta({ views, ...options }),
  fixtures: fixtures('eta'),
})

runTemplateConformance({
  name: 'template/nunjucks',
  createComponent: (views, options) => nunjucks({ views, ...options }),
  fixtures: fixtures('nunjucks'),
})

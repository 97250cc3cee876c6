import { defineComponent, Environment, TemplateEngine } from '../../../core/index.js'
import { NunjucksEngine } from './nunjucks-engine.js'
import { nunjucksOptions } from './options.js'

/**
 * The template slot on nunjucks 3: Jinja2 syntax, `{% extends %}` layouts,
 * `{% include %}` partials, filters. nunjucks is an optional peer dependency,
 * imported only by this component.
 *
 * @example
 * import { nunjucks } from 'dovetailjs/components/template/nunjucks'
 * defineConfig({
 *   components: { template: nunjucks({ views: './views', filters: { money: (n: number) => `€${n.toFixed(2)}` } }) },
 *   routes(r) { r.get('/', (ctx) => ctx.render('home', { title: 'Home' })) },
 * })
 */
export const nunjucks = defineComponent({
  name: 'template/nunjucks',
  slot: 'template',
  contract: '^1.0',
  options: nunjucksOptions,
  register(c, options) {
    c.singleton(TemplateEngine, {
      useFactory: (environment: string) => new NunjucksEngine({ ...options, cache: options.cache ?? environment !== 'development' }),
      deps: [Environment],
    })
  },
})

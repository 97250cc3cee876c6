import { defineComponent, Environment, TemplateEngine } from '../../../core/index.js'
import { EtaEngine } from './eta-engine.js'
import { etaOptions } from './options.js'

/**
 * The default template slot, on eta 4: JavaScript in `<% %>` tags, output
 * escaped with `<%= %>`, raw with `<%~ %>`, layouts with `layout()`, partials
 * with `include()`.
 *
 * @example
 * import { eta } from 'dovetailjs/components/template/eta'
 * defineConfig({
 *   components: { template: eta({ views: './views', helpers: { money: (n: number) => `€${n.toFixed(2)}` } }) },
 *   routes(r) { r.get('/', (ctx) => ctx.render('home', { title: 'Home' })) },
 * })
 */
export const eta = defineComponent({
  name: 'template/eta',
  slot: 'template',
  contract: '^1.0',
  options: etaOptions,
  register(c, options) {
    c.singleton(TemplateEngine, {
      useFactory: (environment: string) => new EtaEngine({ ...options, cache: options.cache ?? environment !== 'development' }),
      deps: [Environment],
    })
  },
})

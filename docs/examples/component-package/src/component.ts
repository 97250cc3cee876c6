import { defineComponent, Environment, TemplateEngine } from 'dovetailjs'
import { HandlebarsEngine } from './handlebars-engine.js'
import { componentName } from './name.js'
import { handlebarsOptions } from './options.js'

/**
 * The template slot on Handlebars 4: `{{x}}` escaped, `{{{x}}}` raw, layouts
 * as partial blocks, every template in the views directories a partial by
 * its name. The package declares it in its package.json as `handlebars`, so
 * config names it by that short name.
 *
 * @example
 * // app.ts: by name (views default to ./views), or with options
 * defineConfig({ components: { template: 'handlebars' } })
 * defineConfig({ components: { template: { use: 'handlebars', options: { views: './views', globals: { siteName: 'Teashop' } } } } })
 * // or imported
 * import { handlebars } from 'dovetail-handlebars'
 * defineConfig({ components: { template: handlebars({ views: './views' }) } })
 */
export const handlebars = defineComponent({
  name: componentName,
  slot: 'template',
  // The template contract versions this implements; package.json's dovetail field says the same.
  contract: '^1.0',
  options: handlebarsOptions,
  register(c, options) {
    c.singleton(TemplateEngine, {
      useFactory: (environment: string) => new HandlebarsEngine({ ...options, cache: options.cache ?? environment !== 'development' }),
      deps: [Environment],
    })
  },
})

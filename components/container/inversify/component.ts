import { defineComponent } from '../../../core/index.js'
import { InversifyAdapter } from './inversify-container.js'

/**
 * The core's container port on inversify. Needs the `inversify` package
 * (an optional peer dependency): `npm install inversify`.
 *
 * @example
 * defineConfig({ components: { container: 'inversify' } })
 */
export const inversify = defineComponent({
  name: 'container/inversify',
  slot: 'container',
  contract: '^1.0',
  createContainer: () => new InversifyAdapter(),
})

import { defineComponent } from '../../../core/index.js'
import { AwilixAdapter } from './awilix-container.js'

/**
 * The default container: the core's container port on awilix.
 *
 * @example
 * import awilix from 'dovetailjs/components/container/awilix'
 * defineConfig({ components: { container: awilix() } })   // same as container: 'awilix'
 */
export const awilix = defineComponent({
  name: 'container/awilix',
  slot: 'container',
  contract: '^1.0',
  createContainer: () => new AwilixAdapter(),
})

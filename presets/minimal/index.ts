import { definePreset } from '../../core/index.js'

/**
 * The smallest useful app: the awilix container, the find-my-way router and the
 * node:http server. No middleware, templates or database.
 */
export const minimal = definePreset({
  name: 'minimal',
  components: {
    container: 'awilix',
    router: 'radix',
    server: 'node',
  },
})

export default minimal

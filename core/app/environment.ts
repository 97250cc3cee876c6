import { token } from '../container/token.js'

/** The environment name (`development`, `production`, `test`), resolvable by components. */
export const Environment = token<string>('Environment')

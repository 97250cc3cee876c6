import { expect } from 'vitest'
import { createApp, DovetailError } from 'dovetailjs'

/**
 * The DovetailError `createApp(config)` refuses the config with; an app that
 * starts is closed and fails the test.
 *
 * @example
 * expect((await startupError({ components: { router: false } })).code).toBe('DOVETAIL_ERR_COMPONENT_REQUIRED_SLOT')
 */
export async function startupError(config: Parameters<typeof createApp>[0]): Promise<DovetailError> {
  let app: Awaited<ReturnType<typeof createApp>>
  try {
    app = await createApp(config)
  } catch (error) {
    expect(error).toBeInstanceOf(DovetailError)
    return error as DovetailError
  }
  await app.close()
  throw new Error('createApp should have refused this config')
}

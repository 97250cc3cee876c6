import { describe, expect, it } from 'vitest'
import { createError, DovetailError, HttpError } from 'dovetailjs'

describe('createError', () => {
  const NoStore = createError('ACME_ERR_WIDGETS_NO_STORE', 'No widget store is registered.')
  const TooMany = createError('ACME_ERR_WIDGETS_TOO_MANY', '429: the widget quota is spent.', 429)

  it('without a status, makes DovetailErrors carrying the code, with the cause passed on', () => {
    const error = NoStore('Register a WidgetStore', { cause: 'why' })
    expect(error).toBeInstanceOf(DovetailError)
    expect(error).toMatchObject({ code: 'ACME_ERR_WIDGETS_NO_STORE', message: 'Register a WidgetStore [ACME_ERR_WIDGETS_NO_STORE]', cause: 'why' })
    expect({ ...NoStore }).toEqual({ code: 'ACME_ERR_WIDGETS_NO_STORE', meaning: 'No widget store is registered.' })
  })

  it('with a status, makes HttpErrors with that status and code, keeping headers and the default message', () => {
    const error = TooMany('Try again in a minute', { headers: { 'retry-after': '60' } })
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status: 429, code: 'ACME_ERR_WIDGETS_TOO_MANY', message: 'Try again in a minute', expose: true })
    expect(error.headers.get('retry-after')).toBe('60')
    expect(TooMany().message).toBe('Too Many Requests')
    expect({ ...TooMany }).toEqual({ code: 'ACME_ERR_WIDGETS_TOO_MANY', meaning: '429: the widget quota is spent.', status: 429 })
  })

  it('starts the stack where the error is made, not in the factory', () => {
    expect(NoStore('x').stack!.split('\n')[1]).toContain('create-error.test.ts')
    expect(TooMany().stack!.split('\n')[1]).toContain('create-error.test.ts')
  })

  it('refuses a code that is not upper-case words, and a status that is not a request error', () => {
    expect(() => createError('acme_err_x', 'm')).toThrow(TypeError)
    expect(() => createError('ACME', 'm')).toThrow(TypeError)
    expect(() => createError('ACME_ERR_X', 'm', 302)).toThrow(RangeError)
  })
})

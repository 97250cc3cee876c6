import { describe, expect, it } from 'vitest'
import { attributeErrors, compose, type Context, type Middleware, passThrough } from 'dovetailjs'

const tag =
  (label: string): Middleware =>
  async (_ctx, next) => {
    const res = await next()
    res.headers.append('x-order', label)
    return res
  }

describe('compose and passThrough', () => {
  it('leaves passThrough out of the chain, wrapped by a component or not', async () => {
    const inner = async () => new Response('ok')
    expect(compose([passThrough], inner)).toBe(inner)
    expect(compose([attributeErrors('middleware/off', passThrough)], inner)).toBe(inner)
    const handler = compose([tag('a'), passThrough, attributeErrors('middleware/off', passThrough), tag('b')], inner)
    const res = await handler({} as Context)
    expect(res.headers.get('x-order')).toBe('b, a')
    expect(await res.text()).toBe('ok')
  })

  it('still refuses what is not a function', () => {
    expect(() => compose([passThrough, 'nope' as unknown as Middleware], async () => new Response('ok'))).toThrow('Middleware #1 is string')
  })
})

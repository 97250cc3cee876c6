import { describe, expect, it } from 'vitest'
import { attributeErrors, compose, type Context, createApp, defineComponent, errorOrigin, ErrorRenderer, lightResponse, type Middleware } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { pinoLogger } from 'dovetailjs/components/logger/pino'

/** A middleware component that throws on the way in when the path asks it to, or after next() on /late. */
const thrower = (name: string) =>
  defineComponent({
    name,
    slot: 'middleware',
    contract: '^1.0',
    middleware: () => async (ctx, next) => {
      if (ctx.path === `/in/${name}`) throw new Error(`${name} broke`)
      const res = await next()
      if (ctx.path === `/late/${name}`) throw new Error(`${name} broke late`)
      return res
    },
  })()

describe('errorOrigin: which middleware component threw', () => {
  async function app() {
    return createApp({
      components: { logger: pinoLogger({ level: 'silent' }), middleware: [thrower('outer'), thrower('inner')] },
      register(c) {
        // Report the origin in the response, to see what the core recorded.
        c.value(ErrorRenderer, (d) => lightResponse(`${d.status} from ${errorOrigin(d.error) ?? 'no component'}`, d.status, {}))
      },
      routes(r) {
        r.get('/late/:name', (ctx) => ctx.text('ok'))
        r.get('/handler', () => {
          throw new Error('handler broke')
        })
      },
    })
  }

  it('names the component that threw, not those the error passed through', async () => {
    const client = createTestClient(await app())
    expect(await (await client.get('/in/outer')).text()).toBe('500 from outer')
    expect(await (await client.get('/in/inner')).text()).toBe('500 from inner')
    expect(await (await client.get('/late/outer')).text()).toBe('500 from outer')
    expect(await (await client.get('/late/inner')).text()).toBe('500 from inner')
  })

  it('names no component for errors from handlers and the router', async () => {
    const client = createTestClient(await app())
    expect(await (await client.get('/handler')).text()).toBe('500 from no component')
    expect(await (await client.get('/no-such-route')).text()).toBe('404 from no component')
  })

  it('is undefined for values that are not objects', () => {
    expect(errorOrigin('a string')).toBeUndefined()
    expect(errorOrigin(undefined)).toBeUndefined()
  })

  it('names no component for an error from plain middleware inside a component\'s', async () => {
    const outer = attributeErrors('middleware/outer', async (_ctx, next) => next())
    const plain: Middleware = async () => {
      throw new Error('plain broke')
    }
    const error = await Promise.resolve(compose([outer, plain], async () => new Response('ok'))({} as Context)).catch((e: unknown) => e)
    expect((error as Error).message).toBe('plain broke')
    expect(errorOrigin(error)).toBeUndefined()
  })

  it('names the component when its wrapped middleware runs on its own, outside a pipeline', async () => {
    const alone = attributeErrors('middleware/alone', async () => {
      throw new Error('alone broke')
    })
    const error = await Promise.resolve(alone({} as Context, async () => new Response('ok'))).catch((e: unknown) => e)
    expect(errorOrigin(error)).toBe('middleware/alone')
  })
})

import { describe, expect, it } from 'vitest'
import { createApp } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'

describe('ctx.query and ctx.searchParams', () => {
  it('query holds the first value of a repeated key; searchParams keeps them all', async () => {
    const app = await createApp({
      routes: (r) => r.get('/q', (ctx) => ctx.json({ query: ctx.query, tags: ctx.searchParams.getAll('tag'), same: ctx.searchParams === ctx.searchParams })),
    })
    const res = await createTestClient(app).get('/q?tag=a&page=2&tag=b&empty=&text=a%20b')
    expect(await res.json()).toEqual({ query: { tag: 'a', page: '2', empty: '', text: 'a b' }, tags: ['a', 'b'], same: true })
    await app.close()
  })

  it('a key such as __proto__ is an ordinary entry, not a prototype change', async () => {
    const app = await createApp({ routes: (r) => r.get('/q', (ctx) => ctx.json({ own: Object.hasOwn(ctx.query, '__proto__'), value: Object.getOwnPropertyDescriptor(ctx.query, '__proto__')?.value, proto: Object.getPrototypeOf(ctx.query) === Object.prototype })) })
    expect(await (await createTestClient(app).get('/q?__proto__=x')).json()).toEqual({ own: true, value: 'x', proto: true })
    await app.close()
  })
})

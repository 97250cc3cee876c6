import { describe, expect, it } from 'vitest'
import { flatHeaders, LightHeaders, lightResponse } from '../../core/index.js'

/** Run the same steps on a LightHeaders and an undici Headers and compare everything a user can observe. */
function same(steps: (h: Headers) => void, init?: Record<string, string>): void {
  const light = new LightHeaders(init)
  const real = new Headers(init)
  steps(light)
  steps(real)
  expect([...light]).toEqual([...real])
  expect([...light.keys()]).toEqual([...real.keys()])
  expect([...light.values()]).toEqual([...real.values()])
  expect(light.getSetCookie()).toEqual(real.getSetCookie())
  const seen: string[] = []
  light.forEach((value, name, parent) => {
    expect(parent).toBe(light)
    seen.push(`${name}=${value}`)
  })
  const expected: string[] = []
  real.forEach((value, name) => expected.push(`${name}=${value}`))
  expect(seen).toEqual(expected)
  for (const name of ['content-type', 'X-A', 'set-cookie', 'vary', 'missing']) {
    expect(light.get(name)).toBe(real.get(name))
    expect(light.has(name)).toBe(real.has(name))
  }
}

describe('LightHeaders behaves as a Headers', () => {
  it('is an instanceof Headers and says so', () => {
    const h = new LightHeaders()
    expect(h).toBeInstanceOf(Headers)
    expect(Object.prototype.toString.call(h)).toBe('[object Headers]')
  })

  it('matches undici for case-insensitive names, appends, deletes and sorted iteration', () => {
    same(
      (h) => {
        h.set('X-A', '1')
        h.append('x-a', '2')
        h.set('Vary', 'Origin')
        h.append('B-First', 'yes')
        h.delete('CONTENT-TYPE')
        h.set('Content-Type', 'application/json')
      },
      { 'content-type': 'text/plain', Zed: 'last' },
    )
  })

  it('keeps every Set-Cookie apart, joins them for get(), and set() replaces them all', () => {
    same((h) => {
      h.append('Set-Cookie', 'a=1; Path=/')
      h.append('set-cookie', 'b=2, with a comma')
      h.set('x-a', 'v')
    })
    same((h) => {
      h.append('set-cookie', 'a=1')
      h.append('set-cookie', 'b=2')
      h.set('Set-Cookie', 'only=1')
    })
    same((h) => {
      h.append('set-cookie', 'a=1')
      h.delete('SET-COOKIE')
    })
  })

  it('normalizes and refuses values and names as undici does', () => {
    same((h) => h.set('x-a', ' \t padded \r\n'))
    for (const [name, value] of [
      ['bad name', 'x'],
      ['x-a', 'line\nbreak'],
      ['x-a', 'nul\0'],
      ['x-a', 'wide \u0100'],
      ['', 'x'],
    ] as const) {
      expect(() => new Headers().set(name, value)).toThrow(TypeError)
      expect(() => new LightHeaders().set(name, value)).toThrow(TypeError)
      expect(() => new LightHeaders().append(name, value)).toThrow(TypeError)
    }
    expect(() => new LightHeaders().get('bad name')).toThrow(TypeError)
  })

  it('copies into and out of undici Headers and Responses', () => {
    const light = new LightHeaders({ 'content-type': 'text/plain' })
    light.append('set-cookie', 'a=1')
    light.append('set-cookie', 'b=2')
    const response = new Response('x', { headers: light })
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect([...new LightHeaders(response.headers)]).toEqual([...response.headers])
    expect([...new LightHeaders([['X-A', '1'], ['x-a', '2']])]).toEqual([['x-a', '1, 2']])
  })

  it('flatHeaders lists every line, each cookie on its own, for any kind of headers', () => {
    const light = new LightHeaders({ 'content-type': 'text/plain' })
    light.append('set-cookie', 'a=1')
    light.append('set-cookie', 'b=2')
    expect(flatHeaders(light)).toEqual(['content-type', 'text/plain', 'set-cookie', 'a=1', 'set-cookie', 'b=2'])
    expect(flatHeaders(new Headers(light))).toEqual(['content-type', 'text/plain', 'set-cookie', 'a=1', 'set-cookie', 'b=2'])
    expect(flatHeaders({ 'x-a': '1' })).toEqual(['x-a', '1'])
  })

  it('is what a light response hands out, and the real response built later keeps its changes', async () => {
    const response = lightResponse('hi', 201, { 'content-type': 'text/plain' })
    expect(response.headers).toBeInstanceOf(LightHeaders)
    response.headers.append('set-cookie', 'a=1')
    response.headers.append('set-cookie', 'b=2')
    response.headers.set('x-request-id', 'abc')
    expect(await response.text()).toBe('hi')
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(response.headers.get('x-request-id')).toBe('abc')
    expect(response.headers.get('content-type')).toBe('text/plain')
  })
})

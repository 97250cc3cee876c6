import { describe, expect, it } from 'vitest'
import { editHeaders, lightResponse } from 'dovetailjs'

describe('editHeaders', () => {
  it('edits writable headers in place', async () => {
    const res = new Response('hi', { status: 201 })
    const out = editHeaders(res, (h) => h.set('x-a', '1'))
    expect(out).toBe(res)
    expect(out.headers.get('x-a')).toBe('1')
    const light = lightResponse('hi', 200, { 'content-type': 'text/plain' })
    expect(editHeaders(light, (h) => h.set('x-b', '2')).headers.get('x-b')).toBe('2')
  })

  it('copies a response whose headers are immutable, keeping status and body', async () => {
    const redirect = Response.redirect('http://localhost/next', 307)
    expect(() => redirect.headers.set('x-a', '1')).toThrow(TypeError)
    const out = editHeaders(redirect, (h) => h.set('x-a', '1'))
    expect(out.status).toBe(307)
    expect(out.headers.get('location')).toBe('http://localhost/next')
    expect(out.headers.get('x-a')).toBe('1')

    const fetched = await fetch('data:text/plain,hello')
    const copy = editHeaders(fetched, (h) => h.append('vary', 'Origin'))
    expect(copy.headers.get('vary')).toBe('Origin')
    expect(await copy.text()).toBe('hello')
  })
})

import { describe, expect, it } from 'vitest'
import { appendVary, negotiateEncoding } from 'dovetailjs'

describe('Accept-Encoding negotiation', () => {
  const offered = ['br', 'gzip'] as const
  it.each([
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, br', 'br'],
    ['gzip;q=1, br;q=1', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0.1', 'gzip'],
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['*;q=0', undefined],
    ['identity', undefined],
    ['deflate', undefined],
    ['x-gzip', 'gzip'],
    ['GZIP;Q=0.8', 'gzip'],
    ['br;q=abc, gzip', 'gzip'],
    ['br;q=2, gzip', 'gzip'],
    ['', undefined],
  ] as const)('%j -> %s', (header, expected) => {
    expect(negotiateEncoding(header, offered)).toBe(expected)
  })

  it('follows the configured order on ties', () => {
    expect(negotiateEncoding('gzip, br', ['gzip', 'br'])).toBe('gzip')
    expect(negotiateEncoding(null, offered)).toBeUndefined()
  })
})

describe('appendVary', () => {
  it('sets Vary when there is none, appends a new field, and keeps one already named or covered by *', () => {
    const headers = new Headers()
    appendVary(headers, 'Accept-Encoding')
    expect(headers.get('vary')).toBe('Accept-Encoding')
    appendVary(headers, 'Origin')
    expect(headers.get('vary')).toBe('Accept-Encoding, Origin')
    appendVary(headers, 'accept-encoding')
    expect(headers.get('vary')).toBe('Accept-Encoding, Origin')
    const star = new Headers({ vary: '*' })
    appendVary(star, 'Origin')
    expect(star.get('vary')).toBe('*')
  })
})

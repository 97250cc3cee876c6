import { describe, expect, it } from 'vitest'
import { ifNoneMatch } from 'dovetailjs'

describe('ifNoneMatch', () => {
  it('matches a listed tag by its opaque part, weak or strong, and *', () => {
    expect(ifNoneMatch('"a", W/"b"', '"b"')).toBe(true)
    expect(ifNoneMatch('W/"b"', 'W/"b"')).toBe(true)
    expect(ifNoneMatch('*', '"anything"')).toBe(true)
  })

  it('does not match another tag, a missing header, or part of a tag split at a comma inside its quotes', () => {
    expect(ifNoneMatch('"a", "c"', '"b"')).toBe(false)
    expect(ifNoneMatch(null, '"b"')).toBe(false)
    expect(ifNoneMatch('"x,y"', '"y"')).toBe(false)
    expect(ifNoneMatch('"x,y"', '"x,y"')).toBe(true)
  })
})

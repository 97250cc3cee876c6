import { afterEach, describe, expect, it, vi } from 'vitest'
import { Deadlines } from 'dovetailjs'

afterEach(() => {
  vi.useRealTimers()
})

describe('Deadlines', () => {
  it('expires each wait not deleted once its own ms have passed, oldest first', () => {
    vi.useFakeTimers()
    const deadlines = new Deadlines(100)
    const expired: string[] = []
    deadlines.add(() => expired.push('a'))
    vi.advanceTimersByTime(40)
    const b = deadlines.add(() => expired.push('b'))
    deadlines.add(() => expired.push('c'))
    deadlines.delete(b)
    vi.advanceTimersByTime(60)
    expect(expired).toEqual(['a'])
    vi.advanceTimersByTime(39)
    expect(expired).toEqual(['a'])
    vi.advanceTimersByTime(1)
    expect(expired).toEqual(['a', 'c'])
  })

  it('expires nothing after clear()', () => {
    vi.useFakeTimers()
    const deadlines = new Deadlines(50)
    const expired: string[] = []
    deadlines.add(() => expired.push('a'))
    deadlines.clear()
    vi.advanceTimersByTime(100)
    expect(expired).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import { RecentlyUsed } from 'dovetailjs/orm-kit'

describe('RecentlyUsed', () => {
  it('keeps at most its limit, handing back the least recently used entry it pushes out', () => {
    const kept = new RecentlyUsed<number>(2)
    expect(kept.set('a', 1)).toBeUndefined()
    expect(kept.set('b', 2)).toBeUndefined()
    expect(kept.get('a')).toBe(1) // a is now the most recently used
    expect(kept.set('c', 3)).toEqual({ key: 'b', value: 2 })
    expect([...kept.values()]).toEqual([1, 3])
  })

  it('peek and has do not count as a use', () => {
    const kept = new RecentlyUsed<number>(2)
    kept.set('a', 1)
    kept.set('b', 2)
    expect(kept.peek('a')).toBe(1)
    expect(kept.has('a')).toBe(true)
    expect(kept.set('c', 3)).toEqual({ key: 'a', value: 1 })
  })
})

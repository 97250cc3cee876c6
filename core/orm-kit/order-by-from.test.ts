import { describe, expect, it } from 'vitest'
import { HttpError } from 'dovetailjs'
import { orderByFrom } from 'dovetailjs/orm-kit'

const allowed = ['title', 'isbn', 'id'] as const

/** The 400 orderByFrom answers for `sort`, as the client sees it. */
function refusal(sort: unknown): { status: number; code: string; message: string } {
  try {
    orderByFrom(sort, allowed)
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError)
    const { status, code, message, expose } = error as HttpError
    expect(expose).toBe(true)
    return { status, code, message }
  }
  throw new Error(`orderByFrom accepted ${JSON.stringify(sort)}`)
}

describe('orderByFrom', () => {
  it('makes an orderBy of the allowed fields, ascending or descending with -, in the order named', () => {
    expect(orderByFrom('title', allowed)).toEqual({ title: 'asc' })
    expect(orderByFrom('-title', allowed)).toEqual({ title: 'desc' })
    const several = orderByFrom('-isbn,title,-id', allowed)
    expect(several).toEqual({ isbn: 'desc', title: 'asc', id: 'desc' })
    expect(Object.keys(several)).toEqual(['isbn', 'title', 'id'])
  })

  it('is no order when the client sends none', () => {
    expect(orderByFrom(undefined, allowed)).toEqual({})
  })

  it('refuses a field the route does not allow with 400 DOVETAIL_ERR_ORM_INPUT, naming the allowed ones', () => {
    expect(refusal('secret')).toEqual({
      status: 400,
      code: 'DOVETAIL_ERR_ORM_INPUT',
      message: 'Cannot sort by "secret": sort by title, isbn or id, with - before a field for descending order (e.g. "-title").',
    })
    expect(refusal('-title,secret').message).toContain('Cannot sort by "secret"')
    // Case matters, as it does to MikroORM: a near miss is not a field.
    expect(refusal('Title').message).toContain('Cannot sort by "Title"')
  })

  it('refuses what MikroORM would read as a path, an operator or SQL', () => {
    for (const sort of ['title.length', '$ne', 'title desc', 'title;drop table book', 'title asc nulls first', '--title', '+title', ' title']) {
      expect(refusal(sort), sort).toMatchObject({ status: 400, code: 'DOVETAIL_ERR_ORM_INPUT' })
    }
  })

  it('refuses a field named twice, an empty entry, and an empty order', () => {
    expect(refusal('title,-title').message).toContain('names "title" twice')
    expect(refusal('title,,id').message).toContain('empty entry')
    expect(refusal('title,').message).toContain('empty entry')
    expect(refusal('').message).toContain('empty entry')
  })

  it('refuses a value that is not a string: an array, an object, a number, null', () => {
    for (const sort of [['title'], { title: 'asc' }, { $ne: null }, 1, null, true]) {
      expect(refusal(sort), JSON.stringify(sort)).toMatchObject({ status: 400, code: 'DOVETAIL_ERR_ORM_INPUT', message: expect.stringContaining('must be a string') })
    }
  })

  it('refuses a parameter longer than every allowed field once, before splitting it', () => {
    // 'title,isbn,id' with a '-' each is the longest acceptable: 16 characters.
    expect(orderByFrom('-title,-isbn,-id', allowed)).toEqual({ title: 'desc', isbn: 'desc', id: 'desc' })
    expect(refusal(`${',title'.repeat(100_000)}`).message).toContain('longer than any this route takes')
  })

  it('takes fields named like Object.prototype members as plain names', () => {
    expect(orderByFrom('constructor,-__proto__', ['constructor', '__proto__'])).toEqual(Object.fromEntries([['constructor', 'asc'], ['__proto__', 'desc']]))
    expect(() => orderByFrom('constructor', allowed)).toThrow(HttpError)
  })

  it('refuses, as a programming error, an allowed list that is empty or names no plain property', () => {
    expect(() => orderByFrom('title', [])).toThrow(TypeError)
    expect(() => orderByFrom('title', ['title', 'author.name'])).toThrow(/"author.name" is not a property name/)
    expect(() => orderByFrom('title', ['-title'])).toThrow(TypeError)
    // Checked whether or not the client sent a sort, so the mistake shows on the first request.
    expect(() => orderByFrom(undefined, ['title desc'])).toThrow(TypeError)
  })
})

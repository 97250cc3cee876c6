import { describe, expect, it } from 'vitest'
import { driverMessage, outageOf } from './outage.js'

const error = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields)

describe('outageOf', () => {
  it('reads a refused, reset or timed-out connection as the database unreachable', () => {
    expect(outageOf(error('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }))).toBe('unreachable')
    expect(outageOf(error('select 1 - read ECONNRESET', { code: 'ECONNRESET' }))).toBe('unreachable')
    expect(outageOf(error('connect ETIMEDOUT', { code: 'ETIMEDOUT' }))).toBe('unreachable')
    expect(outageOf(error('select 1 - Connection terminated unexpectedly'))).toBe('unreachable')
    expect(outageOf(error('timeout expired'))).toBe('unreachable')
    expect(outageOf(error('Connection lost: The server closed the connection.', { code: 'PROTOCOL_CONNECTION_LOST' }))).toBe('unreachable')
    expect(outageOf(error('terminating connection due to administrator command', { code: '57P01' }))).toBe('unreachable')
    expect(outageOf(error('connection failure', { code: '08006' }))).toBe('unreachable')
  })

  it('reads a full pool, too many connections and a locked SQLite file as the database saturated', () => {
    expect(outageOf(Object.assign(error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }))).toBe('saturated')
    expect(outageOf(error('sorry, too many clients already', { code: '53300' }))).toBe('saturated')
    expect(outageOf(error('Too many connections', { code: 'ER_CON_COUNT_ERROR' }))).toBe('saturated')
    expect(outageOf(error('database is locked', { code: 'SQLITE_BUSY' }))).toBe('saturated')
  })

  it('finds the driver error MikroORM wrapped, in the cause chain', () => {
    expect(outageOf(error('DriverException', { cause: error('connect ECONNREFUSED', { code: 'ECONNREFUSED' }) }))).toBe('unreachable')
  })

  it('leaves the request’s own errors alone: a unique violation, a syntax error, a query cancelled on purpose', () => {
    expect(outageOf(error('duplicate key value violates unique constraint', { code: '23505' }))).toBeUndefined()
    expect(outageOf(error('syntax error at or near "selec"', { code: '42601' }))).toBeUndefined()
    expect(outageOf(error('canceling statement due to user request', { code: '57014' }))).toBeUndefined()
    expect(outageOf(error('Duplicate entry', { code: 'ER_DUP_ENTRY' }))).toBeUndefined()
    expect(outageOf(undefined)).toBeUndefined()
  })
})

describe('driverMessage', () => {
  it("drops the SQL knex puts before the driver's words, values and all", () => {
    expect(driverMessage("insert into `user` (`email`) values ('a@b.c') - write ECONNRESET")).toBe('write ECONNRESET')
    expect(driverMessage('Connection terminated unexpectedly')).toBe('Connection terminated unexpectedly')
  })
})

import { describe, expect, it } from 'vitest'
import type { Logger } from 'dovetailjs'
import { OutageLog } from 'dovetailjs/orm-kit'

/** A logger keeping each warn line's message. */
function recording() {
  const warned: string[] = []
  const logger = { debug() {}, info() {}, warn: (_fields: unknown, message: string) => void warned.push(message), error() {}, child: () => logger } as unknown as Logger
  return { logger, warned }
}

const timeout = Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })

describe('OutageLog', () => {
  it('on SQLite, says a saturated database most often means a query outside the request transaction', () => {
    const { logger, warned } = recording()
    const error = new OutageLog({ logger, component: 'orm/test', dialect: 'sqlite', location: './data/app.db', retryAfter: 5 }).unavailable(timeout, 'saturated')
    expect(error.status).toBe(503)
    expect(warned).toHaveLength(1)
    expect(warned[0]).toContain("a query sent outside the request's open transaction")
  })

  it('on PostgreSQL, reports a saturated database without the SQLite hint', () => {
    const { logger, warned } = recording()
    new OutageLog({ logger, component: 'orm/test', dialect: 'postgresql', location: 'postgresql://x@db/app', retryAfter: 5 }).unavailable(timeout, 'saturated')
    expect(warned[0]).toContain('has no room for more work now')
    expect(warned[0]).not.toContain('outside the request')
  })
})

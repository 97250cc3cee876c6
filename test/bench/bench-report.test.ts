/**
 * The benchmark's arithmetic, without running it: reading wrk's summary, the
 * medians, and ratios taken round by round (so a round where the whole machine
 * was slow moves both sides of a ratio, not one).
 */
import { describe, expect, it } from 'vitest'
import { checkTargets, formatRows, type Sample, summarize } from './report.js'
import { median } from './stats.js'
import { parseWrk } from './wrk.js'

const wrkOutput = `Running 5s test @ http://127.0.0.1:40331/plaintext
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.21ms  310.52us   9.87ms   91.02%
    Req/Sec    53.12k     2.01k   56.40k    78.00%
  264310 requests in 5.00s, 39.07MB read
Requests/sec:  52861.34
Transfer/sec:      7.81MB
`

describe('bench: reading wrk', () => {
  it('takes the request count and the duration from the summary', () => {
    expect(parseWrk(wrkOutput)).toEqual({ requests: 264310, seconds: 5, requestsPerSecond: 52862, non2xx: 0, socketErrors: 0 })
  })

  it('counts error responses and socket errors, which make a run invalid', () => {
    const bad = wrkOutput.replace('Requests/sec', '  Socket errors: connect 0, read 2, write 0, timeout 3\n  Non-2xx or 3xx responses: 17\nRequests/sec')
    expect(parseWrk(bad)).toMatchObject({ non2xx: 17, socketErrors: 5 })
  })

  it('refuses output it cannot read instead of reporting zero', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/Could not read wrk's output/)
  })
})

describe('bench: summarizing', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  const sample = (round: number, server: string, route: string, rps: number, cpu: number): Sample => ({
    round,
    server,
    route,
    requests: rps * 5,
    seconds: 5,
    requestsPerSecond: rps,
    cpuMicrosPerRequest: cpu,
    userMicrosPerRequest: cpu / 2,
    othersBusy: 0.3,
  })

  // Round 1 ran on a machine half as fast: raw node and Dovetail both lost half.
  const samples = [
    sample(0, 'raw node:http', '/plaintext', 50_000, 10),
    sample(0, 'dovetail (awilix)', '/plaintext', 45_000, 11),
    sample(1, 'raw node:http', '/plaintext', 25_000, 10),
    sample(1, 'dovetail (awilix)', '/plaintext', 22_500, 11),
    sample(2, 'raw node:http', '/plaintext', 48_000, 10),
    sample(2, 'dovetail (awilix)', '/plaintext', 43_200, 12),
    sample(0, 'dovetail (awilix)', '/scoped', 40_000, 14),
    sample(1, 'dovetail (awilix)', '/scoped', 20_000, 14),
    sample(2, 'dovetail (awilix)', '/scoped', 38_400, 14),
  ]
  const rows = summarize(samples, ['/plaintext', '/scoped'], ['raw node:http', 'dovetail (awilix)'])

  it('reports median req/s and the ratio to raw node of the same round', () => {
    const plaintext = rows.find((r) => r.route === '/plaintext' && r.server === 'dovetail (awilix)')!
    expect(plaintext.requestsPerSecond).toBe(43_200)
    expect(plaintext.ratio).toBeCloseTo(0.9)
    expect(plaintext.cpuMicrosPerRequest).toBe(11)
    expect(plaintext.cpuRatio).toBeCloseTo(10 / 11)
  })

  it('holds the scoped route against raw node plaintext, and checks the targets', () => {
    const scoped = rows.find((r) => r.route === '/scoped')!
    expect(scoped.ratio).toBeCloseTo(0.8)
    expect(checkTargets(rows).map((t) => [t.label, t.met])).toEqual([
      ['plaintext, awilix', true],
      ['three scoped services, awilix', true],
    ])
    expect(formatRows(rows)).toContain('| /scoped    | dovetail (awilix) |         38,400 |             0.80* |')
  })

  it('leaves out a run in which no request completed, against another baseline', () => {
    const stalled = { ...sample(1, 'fastify', '/db', 0, 0), requests: 0, cpuMicrosPerRequest: Infinity }
    const db = summarize(
      [sample(0, 'node', '/db', 1_000, 400), sample(0, 'fastify', '/db', 800, 500), sample(1, 'node', '/db', 1_000, 400), stalled],
      ['/db'],
      ['node', 'fastify'],
      'node',
    ).find((r) => r.server === 'fastify')!
    expect([db.rounds, db.cpuMicrosPerRequest, db.ratio]).toEqual([1, 500, 0.8])
  })
})

/**
 * What each DB route must answer, byte for byte, given the seeded rows (which
 * run.ts restores before each server starts). Rows are random per request, so
 * a check rebuilds the exact bytes from the ids the answer names.
 */
import { HTML_TYPE, JSON_TYPE, seededNumber, WORLD_ROWS, worldJson, worldsJson, type World } from './world.js'

export interface Answer {
  status: number
  type: string | null
  body: string
  headers: Headers
}

/** Undefined when right; else what is wrong. */
export type AnswerCheck = (answer: Answer) => string | undefined

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}
const isId = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= WORLD_ROWS
const seeded = (w: World): World => ({ id: w.id, randomNumber: seededNumber(w.id) })

const typed = (type: string, check: AnswerCheck): AnswerCheck => (a) =>
  a.status !== 200 ? `status ${a.status}` : a.type !== type ? `content-type '${a.type}', not '${type}'` : check(a)

export const checkDb: AnswerCheck = typed(JSON_TYPE, (a) => {
  const w = parse(a.body) as World | undefined
  return w && isId(w.id) && a.body === worldJson(seeded(w)) ? undefined : `body '${a.body}' is not one seeded World row`
})

export const checkQueries = (count: number): AnswerCheck =>
  typed(JSON_TYPE, (a) => {
    const ws = parse(a.body) as World[] | undefined
    return Array.isArray(ws) && ws.length === count && ws.every((w) => isId(w?.id)) && a.body === worldsJson(ws.map(seeded))
      ? undefined
      : `body '${a.body.slice(0, 120)}' is not ${count} seeded World rows`
  })

export const checkUpdates = (count: number): AnswerCheck =>
  typed(JSON_TYPE, (a) => {
    const ws = parse(a.body) as World[] | undefined
    return Array.isArray(ws) && ws.length === count && ws.every((w) => isId(w?.id) && isId(w?.randomNumber)) && a.body === worldsJson(ws)
      ? undefined
      : `body '${a.body.slice(0, 120)}' is not ${count} World rows`
  })

export const checkExact = (type: string, body: string): AnswerCheck =>
  typed(type, (a) => (a.body === body ? undefined : `body differs from the expected ${body.length} bytes: '${a.body.slice(0, 200)}'`))

export const checkHtml = (body: string): AnswerCheck => checkExact(HTML_TYPE, body)

/**
 * Headers that must come back with these values (a security header set,
 * CORS); `pattern` ones only have to match (a request id is random). One
 * normalisation: a space after `;` in a policy (helmet writes
 * `default-src 'none';frame-ancestors 'none'`, Dovetail `; `), which changes
 * nothing a browser reads.
 */
export const withHeaders = (check: AnswerCheck, exact: Record<string, string>, pattern: Record<string, RegExp> = {}): AnswerCheck => (a) => {
  for (const [name, value] of Object.entries(exact)) {
    const norm = (v: string | null) => v?.replace(/;\s*/g, '; ')
    if (norm(a.headers.get(name)) !== norm(value)) return `header ${name}: '${a.headers.get(name)}', not '${value}'`
  }
  for (const [name, re] of Object.entries(pattern)) {
    if (!re.test(a.headers.get(name) ?? '')) return `header ${name}: '${a.headers.get(name)}' does not match ${re}`
  }
  return check(a)
}

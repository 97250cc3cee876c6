import type { BodyType } from './options.js'

export interface MediaType {
  /** `type/subtype`, lower-case. */
  essence: string
  /** Parameters by lower-case name (`charset`, `boundary`). */
  params: Record<string, string>
}

/**
 * Split a `Content-Type` into its essence and parameters.
 *
 * @example
 * parseMediaType('Application/JSON; charset="UTF-8"') // { essence: 'application/json', params: { charset: 'UTF-8' } }
 */
export function parseMediaType(header: string): MediaType {
  const [essence = '', ...rest] = header.split(';')
  const params: Record<string, string> = Object.create(null)
  for (const part of rest) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const name = part.slice(0, eq).trim().toLowerCase()
    let value = part.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    params[name] = value
  }
  return { essence: essence.trim().toLowerCase(), params }
}

/** Which kind of body a media type is, if it is one this middleware reads. */
export function bodyTypeOf(essence: string): BodyType | undefined {
  if (essence === 'application/json' || /^application\/[a-z0-9!#$&^_.+-]+\+json$/.test(essence)) return 'json'
  if (essence === 'application/x-www-form-urlencoded') return 'urlencoded'
  if (essence === 'multipart/form-data') return 'multipart'
  return undefined
}

/** JSON and forms are read as UTF-8 only; another declared charset is refused rather than misread. */
export const isUtf8 = (charset: string | undefined): boolean => charset === undefined || /^utf-?8$/i.test(charset)

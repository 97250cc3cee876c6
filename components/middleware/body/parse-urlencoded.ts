import { fieldTooLarge, malformed, tooManyFields } from './errors.js'
import { FormBody } from './form-body.js'

const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Parse an `application/x-www-form-urlencoded` body, enforcing the field-count
 * limit before any pair is decoded and the field-size limit on each value.
 */
export function parseUrlencoded(bytes: Uint8Array, limits: { fields: number; fieldSize: number }): FormBody {
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch (error) {
    throw malformed('the form body is not valid UTF-8', error)
  }
  let pairs = 0
  for (const part of text.split('&')) if (part !== '') pairs++
  if (pairs > limits.fields) throw tooManyFields(limits.fields)
  const entries: Array<[string, string]> = []
  for (const [name, value] of new URLSearchParams(text)) {
    if (Buffer.byteLength(value) > limits.fieldSize) throw fieldTooLarge(name, limits.fieldSize)
    entries.push([name, value])
  }
  return new FormBody(entries)
}

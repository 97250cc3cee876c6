import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { errorCodes } from 'dovetailjs'

describe('error codes', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')

  it.each(Object.keys(errorCodes))('%s is documented in docs/errors.md', (code) => {
    expect(doc).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`))
  })

  it('follows the DOVETAIL_ERR_<AREA>_<DETAIL> form', () => {
    for (const code of Object.keys(errorCodes)) expect(code).toMatch(/^DOVETAIL_ERR_[A-Z]+_[A-Z_]+$/)
  })
})

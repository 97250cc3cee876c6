import { describe, expect, it } from 'vitest'
import { DovetailError } from 'dovetailjs'
import { hashPassword, needsRehash, verifyPassword } from 'dovetailjs/components/middleware/auth'

// Cheap parameters keep the suite fast; the defaults are tested once.
const cheap = { ln: 10, r: 8, p: 1 }

describe('password hashing', () => {
  it('stores the scrypt parameters, a salt and the hash in one PHC string', async () => {
    const hash = await hashPassword('correct horse', cheap)
    expect(hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/)
  })

  it('salts every hash: the same password twice gives two different strings', async () => {
    expect(await hashPassword('same', cheap)).not.toBe(await hashPassword('same', cheap))
  })

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse', cheap)
    expect(await verifyPassword('correct horse', hash)).toBe(true)
    expect(await verifyPassword('correct horsE', hash)).toBe(false)
    expect(await verifyPassword('', hash)).toBe(false)
  })

  it('treats the composed and decomposed forms of an accented password as one', async () => {
    const hash = await hashPassword('caf\u00e9', cheap)
    expect(await verifyPassword('cafe\u0301', hash)).toBe(true)
  })

  it('uses the default parameters (N=2^15, r=8, p=3) unless told otherwise', async () => {
    const hash = await hashPassword('pw')
    expect(hash.startsWith('$scrypt$ln=15,r=8,p=3$')).toBe(true)
    expect(await verifyPassword('pw', hash)).toBe(true)
  })

  it('answers false for an unknown account (no hash), after the same work', async () => {
    expect(await verifyPassword('anything', undefined, cheap)).toBe(false)
    expect(await verifyPassword('anything', null, cheap)).toBe(false)
  })

  it('says which hashes are weaker than the current parameters', async () => {
    const weak = await hashPassword('pw', cheap)
    expect(needsRehash(weak)).toBe(true)
    expect(needsRehash(weak, cheap)).toBe(false)
  })

  it('refuses a stored hash it did not make, with a stable code', async () => {
    for (const bad of ['plaintext', '$2b$10$abcdefghijklmnopqrstuv', '$scrypt$ln=40,r=8,p=1$c2FsdA$aGFzaA']) {
      const error = await verifyPassword('pw', bad).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DovetailError)
      expect((error as DovetailError).code).toBe('DOVETAIL_ERR_AUTH_BAD_HASH')
    }
  })
})

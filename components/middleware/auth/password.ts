import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { AuthBadHash } from './errors.js'

/** scrypt's cost parameters. Stored with each hash, so they can rise later without breaking old hashes. */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. @default 15 */
  ln: number
  /** Block size. @default 8 */
  r: number
  /** Parallelism. @default 3 */
  p: number
}

/**
 * OWASP's scrypt setting with 32 MiB of memory per hash (N=2^15, r=8, p=3);
 * about a fifth of a second on a server core. Lower it only in tests.
 */
export const defaultScryptParams: ScryptParams = { ln: 15, r: 8, p: 3 }

const KEY_BYTES = 32
const SALT_BYTES = 16
// scrypt needs 128·N·r bytes; node refuses anything above maxmem (32 MiB by default), so give it room.
const maxmemFor = ({ ln, r }: ScryptParams) => 128 * 2 ** ln * r * 2

const derive = (password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { N: 2 ** params.ln, r: params.r, p: params.p, maxmem: maxmemFor(params) }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })

/**
 * Hash a password with scrypt and a random salt, in the PHC string format
 * (`$scrypt$ln=15,r=8,p=3$<salt>$<hash>`): the parameters travel with the
 * hash, so `verifyPassword` needs nothing else.
 *
 * @example
 * const passwordHash = await hashPassword(form.password)
 * await users.insert({ email, passwordHash })
 */
export async function hashPassword(password: string, params: ScryptParams = defaultScryptParams): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, params, KEY_BYTES)
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

interface Parsed {
  params: ScryptParams
  salt: Buffer
  key: Buffer
}

function parse(stored: string): Parsed {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([\w-]+)\$([\w-]+)$/.exec(stored)
  const params = match ? { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) } : undefined
  // Bounds keep a corrupted row from asking for gigabytes of memory.
  if (!match || !params || params.ln < 1 || params.ln > 22 || params.r < 1 || params.p < 1 || params.p > 16) {
    throw AuthBadHash(
      `verifyPassword was given a stored hash it can't read ('${stored.slice(0, 12)}…'); it expects the '$scrypt$ln=…,r=…,p=…$salt$hash' strings hashPassword makes.`,
    )
  }
  return { params, salt: Buffer.from(match[4]!, 'base64url'), key: Buffer.from(match[5]!, 'base64url') }
}

// Real hashes of a random password, so an unknown account costs as much time as a wrong password.
const dummies = new Map<string, Promise<string>>()
const paramsKey = (p: ScryptParams) => `${p.ln},${p.r},${p.p}`

/**
 * Whether `password` matches a hash from {@link hashPassword}, compared in
 * constant time. Give `undefined` for an account that does not exist: a
 * dummy hash made with `params` (those your hashes use) is checked instead,
 * so the answer takes as long and an attacker can't tell unknown accounts
 * from wrong passwords by timing.
 *
 * @example
 * const user = await users.byEmail(email)
 * if (!(await verifyPassword(password, user?.passwordHash))) return ctx.render('login', { error: 'Wrong email or password' })
 */
export async function verifyPassword(password: string, stored: string | undefined | null, params: ScryptParams = defaultScryptParams): Promise<boolean> {
  if (stored === undefined || stored === null) {
    const cached = dummies.get(paramsKey(params)) ?? hashPassword(randomBytes(16).toString('hex'), params)
    dummies.set(paramsKey(params), cached)
    const { salt, key } = parse(await cached)
    await derive(password, salt, params, key.length)
    return false
  }
  const parsed = parse(stored)
  const candidate = await derive(password, parsed.salt, parsed.params, parsed.key.length)
  return timingSafeEqual(candidate, parsed.key)
}

/**
 * Whether a stored hash was made with weaker parameters than `params`: check
 * after a successful login and store a fresh `hashPassword` if so.
 *
 * @example
 * if (needsRehash(user.passwordHash)) await users.update(user.id, { passwordHash: await hashPassword(password) })
 */
export function needsRehash(stored: string, params: ScryptParams = defaultScryptParams): boolean {
  const { params: used, key } = parse(stored)
  return used.ln < params.ln || used.r < params.r || used.p < params.p || key.length < KEY_BYTES
}

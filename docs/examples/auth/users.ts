import { hashPassword, type AuthUser, type ScryptParams } from 'dovetailjs/components/middleware/auth'

export interface User extends AuthUser {
  id: string
  email: string
  passwordHash: string
  roles: string[]
}

/** A stand-in for a users table: by id for the session, by email for the login form. */
export class Users {
  readonly #byId = new Map<string, User>()

  async add(email: string, password: string, roles: string[] = [], params?: ScryptParams): Promise<User> {
    const user = { id: String(this.#byId.size + 1), email, passwordHash: await hashPassword(password, params), roles }
    this.#byId.set(user.id, user)
    return user
  }

  byId(id: string): User | undefined {
    return this.#byId.get(id)
  }

  byEmail(email: string): User | undefined {
    return [...this.#byId.values()].find((u) => u.email === email.trim().toLowerCase())
  }
}

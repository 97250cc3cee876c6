// The drivers' codes for a duplicate key: PostgreSQL's SQLSTATE, mysql2's (MySQL and MariaDB), libsql's
// extended SQLite codes for a unique index and for a primary key.
const uniqueCodes = new Set(['23505', 'ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])

/**
 * Whether a driver error (or one in its cause chain) is a unique-constraint
 * violation, primary keys included, on any database the component speaks.
 * Kysely throws the driver's errors as they are, so their codes decide.
 *
 * @example
 * isUniqueViolation(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' })) // true
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && uniqueCodes.has(code)) return true
  }
  return false
}

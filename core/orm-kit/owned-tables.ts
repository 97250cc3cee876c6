import { OrmTableOwned } from '../errors/codes.js'
import type { OwnedTable } from '../slots/orm.js'

const plainIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * The tables components declared as their own (`Orm.ownTables`), as every
 * ORM component keeps them: names must be plain SQL identifiers, one table
 * has one owner (`DOVETAIL_ERR_ORM_TABLE_OWNED` names both otherwise), the
 * same declaration twice is one, and names compare case-insensitively (every
 * supported database does, or may).
 *
 * @example
 * const owned = new OwnedTables()
 * owned.declare('session-store/sql', ['dovetail_sessions'])
 * owned.has('DOVETAIL_SESSIONS') // true
 */
export class OwnedTables {
  readonly #byName = new Map<string, OwnedTable>()

  /** Record `tables` for `owner`; throws before recording anything if one is not a plain identifier or has another owner. */
  declare(owner: string, tables: readonly string[]): void {
    for (const name of tables) {
      if (!plainIdentifier.test(name)) {
        throw OrmTableOwned(`Component '${owner}' declares the table '${name}' as its own; give a plain SQL identifier (letters, digits, underscores), without a schema name.`)
      }
      const before = this.#byName.get(name.toLowerCase())
      if (before && before.owner !== owner) {
        throw OrmTableOwned(
          `Component '${owner}' declares the table '${name}' as its own, but component '${before.owner}' already did. ` +
            `Two components cannot keep one table: give one of them another table name (an option such as 'table').`,
        )
      }
    }
    for (const name of tables) if (!this.#byName.has(name.toLowerCase())) this.#byName.set(name.toLowerCase(), { name, owner })
  }

  /** The declaration for a table, by any case of its name. */
  get(name: string): OwnedTable | undefined {
    return this.#byName.get(name.toLowerCase())
  }

  has(name: string): boolean {
    return this.#byName.has(name.toLowerCase())
  }

  /** Every declaration, in order. */
  list(): readonly OwnedTable[] {
    return [...this.#byName.values()]
  }
}

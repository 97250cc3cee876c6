import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, sql } from 'kysely'
import type { OrmDialect } from '../../../core/index.js'
import type { KyselySettings } from './options.js'

type Tables = KyselySettings['tables']
type Column = Tables[string][string]

/**
 * The schema helpers on the tables declared in the `tables` option: Kysely
 * has no entities, so these declarations are what `createSchema()`,
 * `updateSchema()` and `dropSchema()` keep. `skip(name)` says which tables a
 * component keeps itself (`Orm.ownTables`): none of these touches them.
 */
export class DeclaredSchema {
  constructor(
    private readonly tables: Tables,
    private readonly dialect: OrmDialect,
    private readonly skip: (table: string) => boolean,
  ) {}

  /** The declared tables the helpers may touch, in declaration order. */
  names(): string[] {
    return Object.keys(this.tables).filter((t) => !this.skip(t))
  }

  /** Create every declared table, in order (a table referenced by another comes first). */
  async create(db: Kysely<any>): Promise<void> {
    for (const table of this.names()) await this.#createTable(db, table)
  }

  /**
   * Create the declared tables that are missing, and add the columns missing
   * from the others; nothing is dropped or changed. A not-null column added
   * to an existing table without a default is added nullable (its rows have
   * no value for it), and a unique one gets a unique index.
   */
  async update(db: Kysely<any>): Promise<void> {
    const existing = new Map((await db.introspection.getTables()).map((t) => [t.name.toLowerCase(), new Set(t.columns.map((c) => c.name.toLowerCase()))]))
    for (const table of this.names()) {
      const columns = existing.get(table.toLowerCase())
      if (!columns) {
        await this.#createTable(db, table)
        continue
      }
      for (const [name, column] of Object.entries(this.tables[table]!)) {
        if (columns.has(name.toLowerCase())) continue
        const added = { ...column, notNull: column.notNull && column.default !== undefined, unique: false, primaryKey: false, autoIncrement: false }
        await db.schema.alterTable(table).addColumn(name, sql.raw(this.#type(added)), (c) => this.#column(c, added)).execute()
        if (column.unique) await db.schema.createIndex(`${table}_${name}_unique`).unique().on(table).column(name).execute()
      }
    }
  }

  /** Drop the declared tables that exist, last declared first, and no others. */
  async drop(db: Kysely<any>): Promise<void> {
    for (const table of this.names().reverse()) await db.schema.dropTable(table).ifExists().execute()
  }

  async #createTable(db: Kysely<any>, table: string): Promise<void> {
    const columns = Object.entries(this.tables[table]!)
    const keys = columns.filter(([, c]) => c.primaryKey).map(([name]) => name)
    let builder: CreateTableBuilder<string, string> = db.schema.createTable(table)
    for (const [name, column] of columns) {
      const inline = { ...column, primaryKey: column.primaryKey && keys.length === 1 }
      builder = builder.addColumn(name, sql.raw(this.#type(inline)), (c) => this.#column(c, inline))
    }
    if (keys.length > 1) builder = builder.addPrimaryKeyConstraint(`${table}_pkey`, keys as never)
    await builder.execute()
  }

  /** The column's type as this database says it: PostgreSQL's generated integers are `serial`. */
  #type(column: Column): string {
    if (column.autoIncrement && this.dialect === 'postgresql') return /^bigint$/i.test(column.type) ? 'bigserial' : 'serial'
    return column.type
  }

  #column(c: ColumnDefinitionBuilder, column: Column): ColumnDefinitionBuilder {
    if (column.primaryKey) c = c.primaryKey()
    if (column.autoIncrement && this.dialect !== 'postgresql') c = c.autoIncrement()
    if (column.notNull && !column.primaryKey) c = c.notNull()
    if (column.unique) c = c.unique()
    if (column.default !== undefined) c = c.defaultTo(column.default)
    if (column.references) {
      c = c.references(column.references)
      if (column.onDelete) c = c.onDelete(column.onDelete)
    }
    return c
  }
}

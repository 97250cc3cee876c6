import {
  type EntityMetadata,
  type EntityProperty,
  EnumType,
  type NamingStrategy,
  ReferenceKind,
  type Type,
  types,
  UnknownType,
} from '@mikro-orm/core'
import type { AbstractSqlPlatform, Column, DatabaseSchema, DatabaseTable, ForeignKey, IndexDef, SchemaDifference, TableDifference } from '@mikro-orm/knex'
import type { OrmDialect } from '../../../core/index.js'

// Why knex, and why the column types are looked up when the migration runs:
//
// MikroORM's own generator writes the SQL of the database it diffed against
// (SQLite's table rebuilds, PostgreSQL's `serial`, MySQL's `int unsigned`), so
// a migration made on a laptop's SQLite file fails on the production
// PostgreSQL. Writing SQL for all three at once would need each database's
// current schema, which only that database has. So the migration is written
// as calls on knex's schema builder, the builder MikroORM itself uses for its
// DDL: knex turns each call into the SQL of the database the migration runs on
// (on SQLite it rebuilds the table where SQLite cannot alter a column), and
// the file runs those calls on the migration's own transaction. Column types
// are the one thing MikroORM names differently per database (a string is
// `text` on SQLite, `varchar(n)` elsewhere; a date `timestamptz` on
// PostgreSQL), so the migration records what the entity declares (`string`,
// length 40) and asks MikroORM's platform for the type when it runs: the
// column is then exactly what MikroORM expects on that database, and the next
// diff there is clean. Where MikroORM's expected schema itself differs by
// database (foreign-key indexes, absent on PostgreSQL), the file asks the
// platform too. On SQLite alone the type name differs from MikroORM's: SQLite
// keeps any name, and `varchar(40)` remembers the length that MikroORM's
// `text` forgets, so a later diff made on SQLite can still see a string
// widened (see addSqliteBlindSpots). What none of this can express for all
// three databases is refused, named, before anything is written.

/** Everything the writer needs, taken from MikroORM after a diff. */
export interface PortableMigrationSource {
  className: string
  /** The entities against the database (or snapshot): what `up` does. */
  up: SchemaDifference
  /** The reverse, what `down` does. */
  down: SchemaDifference
  /** The schema the entities describe, on the database the diff ran against. */
  target: DatabaseSchema
  /** The schema before: the database as it was (or the snapshot). */
  current: DatabaseSchema
  entities: readonly EntityMetadata[]
  /**
   * A property's length, precision and scale as the entity declared them.
   * MikroORM fills in its database's defaults when it builds a schema (a
   * `timestamptz` gets length 6), and those must not travel to the others.
   */
  declared(prop: EntityProperty): Sizes
  platform: AbstractSqlPlatform
  naming: NamingStrategy
  /** The database the diff ran against, named in the file's comment. */
  dialect: OrmDialect
}

/** A written migration, or the reasons it cannot be written. */
export interface PortableMigration {
  /** The file's text; empty when there are problems. */
  code: string
  /** Changes no single migration can make on SQLite, PostgreSQL and MySQL/MariaDB alike. */
  problems: string[]
  /** What the developer should know about a file that was written (a missing `down`, a column type written as declared). */
  notes: string[]
}

type Helper = 'schema' | 'type' | 'raw' | 'indexesForeignKeys' | 'finish'

/** A column's length, precision and scale, where it has them. */
export interface Sizes {
  length?: number | undefined
  precision?: number | undefined
  scale?: number | undefined
}

/** How a column's type is written: looked up at run time, an enum, or the entity's explicit column type as it is. */
type ColumnType = { key: keyof typeof types; options: Record<string, number> } | { enum: string[] } | { explicit: string }

const integerKeys = new Set<string>(['integer', 'smallint', 'tinyint', 'mediumint', 'bigint'])

const literal = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
const list = (values: readonly string[]): string => `[${values.map(literal).join(', ')}]`

// SQL defaults every one of the three databases reads the same way. Anything
// else (a function call such as now(), SQLite's lack of current_timestamp(3),
// a backslash MySQL would read as an escape) is refused rather than guessed at.
const portableDefault = /^(?:-?\d+(?:\.\d+)?|true|false|null|'(?:[^'\\]|'')*'|current_timestamp)$/i

/** The key of MikroORM's `types` map for a type instance, if it is one of MikroORM's own. */
function keyOf(type: Type<unknown> | undefined): keyof typeof types | undefined {
  if (!type) return undefined
  for (const [key, cls] of Object.entries(types) as Array<[keyof typeof types, unknown]>) {
    if (type.constructor === cls) return key === 'unknown' ? undefined : key
  }
  return undefined
}

/**
 * Write one migration, for `up` and `down`, that runs on SQLite, PostgreSQL
 * and MySQL/MariaDB. `problems` lists what cannot be written that way; the
 * caller then writes nothing. A `down` that cannot be written portably is
 * left out (with a note) rather than refusing the whole migration: MikroORM's
 * `Migration.down()` then says the migration cannot be reverted.
 *
 * @example
 * const written = writePortableMigration({ className, up, down, target, current, entities, declared, platform, naming, dialect: 'sqlite' })
 * if (written.problems.length) throw new Error(written.problems.join('\n'))
 * await writeFile(file, written.code)
 */
export function writePortableMigration(source: PortableMigrationSource): PortableMigration {
  const helpers = new Set<Helper>(['schema'])
  const up = new StepWriter(source, 'up', source.up, source.target, source.current, helpers)
  const upLines = up.write()
  if (up.problems.length) return { code: '', problems: up.problems, notes: [] }

  const notes = [...up.notes]
  const downHelpers = new Set<Helper>()
  const down = new StepWriter(source, 'down', source.down, source.current, source.target, downHelpers)
  const downLines = down.write()
  const withDown = down.problems.length === 0 && downLines.length > 0
  if (withDown) for (const h of downHelpers) helpers.add(h)
  else if (down.problems.length) notes.push(`No down(): undoing this migration cannot be written for every database (${down.problems.join('; ')}). Write down() by hand if you need it.`)
  notes.push(...(withDown ? down.notes : []))

  return { code: render(source, upLines, withDown ? downLines : undefined, helpers), problems: [], notes }
}

function render(source: PortableMigrationSource, up: string[], down: string[] | undefined, helpers: ReadonlySet<Helper>): string {
  const imports: string[] = []
  if (helpers.has('type')) imports.push(`import { type EntityProperty, Type, types } from '@mikro-orm/core'`)
  imports.push(`import type { Knex } from '@mikro-orm/knex'`, `import { Migration } from '@mikro-orm/migrations'`)
  const body = (lines: string[]) => lines.map((line) => (line ? `    ${line}` : '')).join('\n')
  const out = [
    ...imports,
    '',
    '/**',
    ` * Written by migration:create (diffed on ${source.dialect}). Portable: knex's schema builder`,
    ' * writes the SQL of the database this runs on, and MikroORM names each column type for that',
    ' * database, so one file serves SQLite, PostgreSQL and MySQL/MariaDB. Keep edits to these calls.',
    ' */',
    `export class ${source.className} extends Migration {`,
    '  override async up(): Promise<void> {',
    body(up),
    '  }',
  ]
  if (down) out.push('', '  override async down(): Promise<void> {', body(down), '  }')
  out.push(
    '',
    "  /** knex's schema builder on this migration's transaction (when it runs in one); a new one per statement. */",
    '  #schema(): Knex.SchemaBuilder {',
    '    return (this.ctx ?? this.getKnex()).schema',
    '  }',
  )
  if (helpers.has('type')) {
    out.push(
      '',
      '  /**',
      "   * The column type MikroORM gives this kind of property on the database this runs on. SQLite keeps",
      "   * any type name, so it gets one that still says what the entity declared (a length, a boolean),",
      '   * for a later diff made on SQLite to see a change PostgreSQL and MySQL would need.',
      '   */',
      '  #type(type: keyof typeof types, options: Partial<EntityProperty> = {}): string {',
      `    const sqlite = this.getKnex().client.dialect === 'sqlite3' ? ${sqliteNamesCode}[type as string] : undefined`,
      '    return sqlite ?? Type.getType(types[type]).getColumnType(options as EntityProperty, this.driver.getPlatform())',
      '  }',
    )
  }
  if (helpers.has('raw')) {
    out.push('', '  /** A default value, as SQL. */', '  #raw(sql: string): Knex.Raw {', '    return this.getKnex().raw(sql)', '  }')
  }
  if (helpers.has('indexesForeignKeys')) {
    out.push(
      '',
      '  /** Whether MikroORM indexes foreign-key columns on this database (it does on all but PostgreSQL). */',
      '  #indexesForeignKeys(): boolean {',
      '    return this.driver.getPlatform().indexForeignKeys()',
      '  }',
    )
  }
  if (helpers.has('finish')) {
    out.push(
      '',
      '  /** What MikroORM adds to each table it creates on this database (on MySQL, the engine and charset). */',
      '  #finish(t: Knex.CreateTableBuilder): void {',
      "    this.driver.getPlatform().getSchemaHelper()?.finalizeTable(t, this.config.get('charset'), this.config.get('collate'))",
      '  }',
    )
  }
  out.push('}', '')
  return out.join('\n')
}

/**
 * One step (`up` or `down`) as lines of code. `target` is the schema the step
 * leads to, `before` the one it starts from. Column types come from the
 * entities in `up` (their declarations are exact) and from the database's
 * columns in `down` (what it read back: coarser on SQLite, which keeps a
 * boolean as an integer).
 */
class StepWriter {
  readonly problems: string[] = []
  readonly notes: string[] = []
  readonly #lines: string[] = []
  readonly #source: PortableMigrationSource
  readonly #step: 'up' | 'down'
  readonly #diff: SchemaDifference
  readonly #target: DatabaseSchema
  readonly #before: DatabaseSchema
  readonly #helpers: Set<Helper>
  readonly #declarations: Declarations

  constructor(source: PortableMigrationSource, step: 'up' | 'down', diff: SchemaDifference, target: DatabaseSchema, before: DatabaseSchema, helpers: Set<Helper>) {
    this.#source = source
    this.#step = step
    this.#diff = diff
    this.#target = target
    this.#before = before
    this.#helpers = helpers
    this.#declarations = new Declarations(source)
  }

  write(): string[] {
    const diff = this.#diff
    if (diff.newNamespaces.size || diff.removedNamespaces.size) this.problems.push('creating or dropping a database schema (namespace): PostgreSQL only')
    if (diff.newNativeEnums.length || diff.removedNativeEnums.length) this.problems.push('a native enum type: PostgreSQL only (use an enum with string items, or a check)')

    const changed = Object.values(diff.changedTables)
    const created = Object.values(diff.newTables)
    const removed = Object.values(diff.removedTables)
    for (const table of [...created, ...removed]) this.#checkSchema(table)
    for (const t of changed) this.#checkSchema(t.toTable)
    if (this.problems.length) return []

    // Foreign keys go first, so no drop or change below trips over one.
    const dropped = new Map<string, ForeignKey[]>()
    const goes = new Set(removed.map((t) => t.name))
    // Keys of a table that goes anyway go with it (on SQLite, dropping one first would rebuild the table for nothing).
    for (const fk of diff.orphanedForeignKeys) if (!goes.has(this.#unqualified(fk.localTableName))) this.#push(dropped, this.#unqualified(fk.localTableName), fk)
    for (const t of changed) for (const fk of [...Object.values(t.removedForeignKeys), ...Object.values(t.changedForeignKeys)]) this.#push(dropped, t.toTable.name, fk)
    for (const [table, fks] of dropped) {
      this.#alter(table, fks.map((fk) => `t.dropForeign(${list(fk.columnNames)}, ${literal(fk.constraintName)})`))
    }

    this.#createTables(created)
    this.#dropTables(removed)
    for (const t of changed) this.#alterTable(t)
    return this.#lines
  }

  #createTables(tables: DatabaseTable[]): void {
    const existing = new Set(this.#before.getTables().map((t) => t.name))
    for (const t of Object.values(this.#diff.removedTables)) existing.delete(t.name)
    const deferred: Array<{ table: string; fk: ForeignKey }> = []
    for (const table of tables) {
      const body: string[] = []
      const pk = table.getPrimaryKey()
      const columns = table.getColumns()
      const increments = columns.find((c) => c.autoincrement && c.primary && !pk?.composite)
      for (const column of columns) {
        const line = this.#column(table, column, column === increments ? 'increments' : 'create')
        if (line) body.push(line)
      }
      if (pk && !increments) body.push(`t.primary(${list(pk.columnNames)})`)
      for (const index of table.getIndexes()) {
        if (index.primary) continue
        const line = this.#index(table, index)
        if (line) body.push(line)
      }
      body.push(...this.#missingForeignKeyIndexes(table, Object.values(table.getForeignKeys())))
      for (const check of table.getChecks()) {
        if (typeof check.expression !== 'string') this.problems.push(`check ${check.name} on ${table.name}: its expression is a callback; give it as SQL text`)
        else body.push(`t.check(${literal(check.expression)}, [], ${literal(check.name)})`)
      }
      if (table.comment) body.push(`t.comment(${literal(table.comment)})`)
      existing.add(table.name)
      for (const fk of Object.values(table.getForeignKeys())) {
        const line = this.#foreignKey(fk)
        if (!line) continue
        // A table made later in this migration is not there yet: add its key once it is.
        if (existing.has(this.#unqualified(fk.referencedTableName))) body.push(line)
        else deferred.push({ table: table.name, fk })
      }
      this.#helpers.add('finish')
      body.push('this.#finish(t)')
      this.#block(`await this.#schema().createTable(${literal(table.name)}, (t) => {`, body)
    }
    for (const { table, fk } of deferred) this.#alter(table, [this.#foreignKey(fk)!])
  }

  #dropTables(tables: DatabaseTable[]): void {
    if (tables.length === 0) return
    // A table others still point at goes last; keys within a cycle are dropped first.
    const names = new Set(tables.map((t) => t.name))
    const pointsTo = new Map(tables.map((t) => [t.name, Object.values(t.getForeignKeys()).map((fk) => this.#unqualified(fk.referencedTableName)).filter((n) => names.has(n) && n !== t.name)]))
    const order: string[] = []
    const left = new Set(names)
    while (left.size) {
      const next = [...left].find((name) => ![...left].some((other) => other !== name && pointsTo.get(other)!.includes(name)))
      if (next) {
        order.push(next)
        left.delete(next)
        continue
      }
      const [name] = left
      const table = tables.find((t) => t.name === name)!
      this.#alter(name!, Object.values(table.getForeignKeys()).map((fk) => `t.dropForeign(${list(fk.columnNames)}, ${literal(fk.constraintName)})`))
      pointsTo.set(name!, [])
    }
    if (this.#lines.length) this.#lines.push('')
    for (const name of order) this.#lines.push(`await this.#schema().dropTable(${literal(name)})`)
  }

  #alterTable(diff: TableDifference): void {
    const table = diff.toTable
    const name = table.name
    // SQLite keeps no comments, so a diff made there always finds them changed: that is no change.
    const commentsSeen = this.#source.dialect !== 'sqlite'
    for (const check of [...Object.values(diff.addedChecks), ...Object.values(diff.changedChecks), ...Object.values(diff.removedChecks)]) {
      this.problems.push(`check ${check.name} on ${name}: adding, changing or dropping a check on an existing table is not portable (SQLite rebuilds the table); write it by hand`)
    }
    for (const index of [...Object.values(diff.addedIndexes), ...Object.values(diff.changedIndexes), ...Object.values(diff.removedIndexes)]) {
      if (index.primary) this.problems.push(`the primary key of ${name}: changing it is not portable; write it by hand`)
    }
    for (const { column, changedProperties } of Object.values(diff.changedColumns)) {
      const why = [...changedProperties].filter((p) => ['autoincrement', 'generated', 'nativeEnumName', 'extra', 'enumItems'].includes(p))
      if (why.length || column.mappedType instanceof EnumType) {
        this.problems.push(`column ${name}.${column.name}: changing ${why.length ? why.join(', ') : 'an enum column'} is not portable; write it by hand`)
      }
    }
    for (const column of Object.values(diff.addedColumns)) {
      if (!column.nullable && (column.default == null || column.default === 'null') && !column.autoincrement) {
        this.problems.push(`column ${name}.${column.name}: SQLite cannot add a NOT NULL column without a default to an existing table; give the property a default, or make it nullable`)
      }
    }

    const drops: string[] = []
    for (const index of [...Object.values(diff.removedIndexes), ...Object.values(diff.changedIndexes)]) drops.push(...this.#dropIndex(diff.fromTable, index, index.keyName))
    for (const column of Object.values(diff.removedColumns)) drops.push(`t.dropColumn(${literal(column.name)})`)
    this.#alter(name, drops)

    // Renames alone: knex runs a builder's column changes before its renames, and a change may name the new column.
    this.#alter(name, Object.entries(diff.renamedColumns).map(([from, column]) => `t.renameColumn(${literal(from)}, ${literal(column.name)})`))
    const columns: string[] = []
    for (const column of Object.values(diff.addedColumns)) {
      const line = this.#column(table, column, 'create')
      if (line) columns.push(line)
    }
    for (const { column, changedProperties } of Object.values(diff.changedColumns)) {
      if (!commentsSeen && [...changedProperties].every((p) => p === 'comment')) continue
      const line = this.#column(table, column, 'alter')
      if (line) columns.push(line)
    }
    // knex comments a table where the database keeps comments, and does nothing on SQLite.
    if (commentsSeen && 'changedComment' in diff) columns.push(`t.comment(${literal(diff.changedComment ?? '')})`)
    this.#alter(name, columns)

    // Indexes before keys: MySQL then uses the index for the key instead of making one of its own.
    const adds: string[] = []
    for (const index of [...Object.values(diff.addedIndexes), ...Object.values(diff.changedIndexes)]) {
      if (index.primary) continue
      const line = this.#index(table, index)
      if (line) adds.push(line)
    }
    for (const [from, index] of Object.entries(diff.renamedIndexes)) {
      // No rename on SQLite: drop and make again, which every database does.
      adds.push(...this.#dropIndex(diff.fromTable, { ...index, keyName: from }, from))
      const line = this.#index(table, index)
      if (line) adds.push(line)
    }
    const keys = [...Object.values(diff.addedForeignKeys), ...Object.values(diff.changedForeignKeys)]
    adds.push(...this.#missingForeignKeyIndexes(table, keys))
    for (const fk of keys) {
      const line = this.#foreignKey(fk)
      if (line) adds.push(line)
    }
    this.#alter(name, adds)
  }

  /** One column's builder call, or nothing (with a problem) when it cannot be written for every database. */
  #column(table: DatabaseTable, column: Column, mode: 'create' | 'increments' | 'alter'): string | undefined {
    const where = `column ${table.name}.${column.name}`
    if (column.generated) return void this.problems.push(`${where}: a generated column is not portable; write it by hand`)
    if (column.nativeEnumName) return void this.problems.push(`${where}: a native enum is PostgreSQL only; use string items (a check everywhere, an ENUM on MySQL)`)
    const type = this.#typeOf(table, column)
    if (!type) return undefined
    let call: string
    if (mode === 'increments') {
      if (!('key' in type) || !integerKeys.has(type.key)) return void this.problems.push(`${where}: an autoincrement column must be an integer`)
      call = `t.${type.key === 'bigint' ? 'bigIncrements' : 'increments'}(${literal(column.name)})`
    } else if ('enum' in type) {
      call = `t.enum(${literal(column.name)}, ${list(type.enum)})`
    } else if ('explicit' in type) {
      call = `t.specificType(${literal(column.name)}, ${literal(type.explicit)})`
      this.notes.push(`${where} has the explicit column type '${type.explicit}' (the entity's columnType), written as it is: it must exist on every database this migration runs on.`)
    } else {
      this.#helpers.add('type')
      const options = Object.entries(type.options).map(([k, v]) => `${k}: ${v}`)
      call = `t.specificType(${literal(column.name)}, this.#type(${literal(type.key)}${options.length ? `, { ${options.join(', ')} }` : ''}))`
    }
    if (mode === 'increments') return call
    if (column.autoincrement) return void this.problems.push(`${where}: autoincrement outside a single-column primary key is not portable`)
    call += column.nullable ? '.nullable()' : '.notNullable()'
    if (this.#unsigned(table, column, new Set())) call += '.unsigned()'
    if (column.comment) call += `.comment(${literal(column.comment)})`
    if (column.default != null && column.default !== 'null') {
      if (!portableDefault.test(column.default)) {
        return void this.problems.push(`${where}: the default ${column.default} may not mean the same on every database; use a literal (a number, a quoted string, true, false) or current_timestamp (without a precision)`)
      }
      this.#helpers.add('raw')
      call += `.defaultTo(this.#raw(${literal(column.default)}))`
    }
    return mode === 'alter' ? `${call}.alter()` : call
  }

  /**
   * The column's type as the migration records it. In `up`, from the entity
   * property (its declared type and length, not this database's rendering of
   * them); a foreign key takes the type of the column it points at.
   */
  #typeOf(table: DatabaseTable, column: Column, report = true): ColumnType | undefined {
    const found = this.#step === 'up' ? this.#declarations.column(table.name, column.name) : undefined
    let type: ColumnType | string
    if (found) type = this.#declarations.fromProperty(found.prop, found.index)
    else if (column.mappedType instanceof EnumType && column.enumItems?.every((i) => typeof i === 'string')) type = { enum: [...column.enumItems] }
    else {
      const key = keyOf(column.mappedType)
      type = key ? { key, options: sizesOf(column) } : `its type '${column.type}' is not one MikroORM declares on every database`
    }
    if (typeof type !== 'string') return type
    if (report) this.problems.push(`column ${table.name}.${column.name}: ${type}`)
    return undefined
  }

  /**
   * MikroORM makes numeric primary keys unsigned where the database has
   * unsigned types (MySQL), and every key column pointing at one; knex ignores
   * `unsigned()` elsewhere. So ask this whatever the database at hand.
   */
  #unsigned(table: DatabaseTable, column: Column, seen: Set<string>): boolean {
    const key = `${table.name}.${column.name}`
    if (seen.has(key)) return false
    seen.add(key)
    if (column.unsigned) return true
    const found = this.#step === 'up' ? this.#declarations.column(table.name, column.name) : undefined
    if (found?.prop.unsigned) return true
    const type = this.#typeOf(table, column, false)
    const integer = type !== undefined && 'key' in type && integerKeys.has(type.key)
    if (integer && table.getPrimaryKey()?.columnNames.includes(column.name)) return true
    for (const fk of Object.values(table.getForeignKeys())) {
      const at = fk.columnNames.indexOf(column.name)
      if (at < 0) continue
      const target = this.#target.getTable(this.#unqualified(fk.referencedTableName)) ?? this.#before.getTable(this.#unqualified(fk.referencedTableName))
      const referenced = target?.getColumn(fk.referencedColumnNames[at]!)
      if (target && referenced && this.#unsigned(target, referenced, seen)) return true
    }
    return false
  }

  #index(table: DatabaseTable, index: IndexDef): string | undefined {
    const where = `index ${index.keyName} on ${table.name}`
    if (index.expression) return void this.problems.push(`${where}: an index given as SQL is not portable; write it by hand`)
    if (index.type || index.options || index.deferMode) return void this.problems.push(`${where}: an index type or options are not portable; write it by hand`)
    if (index.columnNames.some((c) => c.includes('.'))) return void this.problems.push(`${where}: an index on JSON properties is not portable; write it by hand`)
    if (index.unique) return `t.unique(${list(index.columnNames)}, { indexName: ${literal(index.keyName)} })`
    const line = `t.index(${list(index.columnNames)}, ${literal(index.keyName)})`
    if (!this.#isForeignKeyIndex(table, index)) return line
    this.#helpers.add('indexesForeignKeys')
    return `if (this.#indexesForeignKeys()) ${line}`
  }

  #dropIndex(table: DatabaseTable, index: IndexDef, name: string): string[] {
    if (index.primary) return []
    const call = index.unique && index.constraint ? 'dropUnique' : 'dropIndex'
    const line = `t.${call}(${list(index.columnNames)}, ${literal(name)})`
    if (index.unique || !this.#isForeignKeyIndex(table, index)) return [line]
    this.#helpers.add('indexesForeignKeys')
    return [`if (this.#indexesForeignKeys()) ${line}`]
  }

  /**
   * Whether an index is the one MikroORM gives a many-to-one's column on the
   * databases that index foreign keys, and so must exist only there.
   */
  #isForeignKeyIndex(table: DatabaseTable, index: IndexDef): boolean {
    // Where foreign keys get no index (PostgreSQL), one in the entities' schema was asked for: it belongs everywhere.
    if (index.unique || index.primary || !this.#source.platform.indexForeignKeys()) return false
    const meta = this.#declarations.meta(table.name)
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])
    return !!meta?.props.some(
      (p) =>
        p.kind === ReferenceKind.MANY_TO_ONE &&
        p.index !== false &&
        typeof p.index !== 'string' &&
        same(p.fieldNames ?? [], index.columnNames) &&
        index.keyName === this.#source.naming.indexName(table.name, index.columnNames, 'index'),
    )
  }

  /**
   * On PostgreSQL MikroORM gives a many-to-one's column no index, so a diff
   * made there has none; add the one the other databases expect.
   */
  #missingForeignKeyIndexes(table: DatabaseTable, keys: ForeignKey[]): string[] {
    if (this.#source.platform.indexForeignKeys()) return []
    const meta = this.#declarations.meta(table.name)
    const lines: string[] = []
    for (const fk of keys) {
      // MikroORM's rule elsewhere: a many-to-one gets an index unless it names one or the entity has one on it alone.
      const prop = meta?.props.find((p) => p.kind === ReferenceKind.MANY_TO_ONE && (p.fieldNames ?? []).join() === fk.columnNames.join())
      const declared = meta?.indexes.some((i) => [i.properties].flat().length === 1 && [i.properties].flat()[0] === prop?.name)
      // A many-to-many's join table gets `index: false` on PostgreSQL from MikroORM itself, not from the entity.
      const auto = prop?.index === undefined || (meta?.pivotTable && prop?.index === false)
      if (!prop || !auto || declared) continue
      this.#helpers.add('indexesForeignKeys')
      lines.push(`if (this.#indexesForeignKeys()) t.index(${list(fk.columnNames)}, ${literal(this.#source.naming.indexName(table.name, fk.columnNames, 'index'))})`)
    }
    return lines
  }

  #foreignKey(fk: ForeignKey): string | undefined {
    if (fk.deferMode) return void this.problems.push(`foreign key ${fk.constraintName}: deferrable keys are PostgreSQL only`)
    let line = `t.foreign(${list(fk.columnNames)}, ${literal(fk.constraintName)}).references(${list(fk.referencedColumnNames)}).inTable(${literal(this.#unqualified(fk.referencedTableName))})`
    if (fk.updateRule) line += `.onUpdate(${literal(fk.updateRule)})`
    if (fk.deleteRule) line += `.onDelete(${literal(fk.deleteRule)})`
    return line
  }

  /** Tables outside the connection's default schema (a PostgreSQL schema name) would need it in every statement. */
  #checkSchema(table: DatabaseTable): void {
    const fallback = this.#source.platform.getDefaultSchemaName()
    if (table.schema && table.schema !== fallback) this.problems.push(`table ${table.schema}.${table.name}: a table in a named schema is PostgreSQL only; write it by hand`)
  }

  #unqualified(name: string): string {
    const fallback = this.#source.platform.getDefaultSchemaName()
    return fallback && name.startsWith(`${fallback}.`) ? name.slice(fallback.length + 1) : name
  }

  #alter(table: string, body: string[]): void {
    if (body.length) this.#block(`await this.#schema().alterTable(${literal(table)}, (t) => {`, body)
  }

  #block(open: string, body: string[]): void {
    if (this.#lines.length) this.#lines.push('')
    this.#lines.push(open, ...body.map((line) => `  ${line}`), '})')
  }

  #push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    map.set(key, [...(map.get(key) ?? []), value])
  }
}

/**
 * The SQLite type names a written migration uses where MikroORM's own (`text`,
 * `integer`) would lose what the entity declared. MikroORM reads them back as
 * the same kinds (`varchar(40)` as a string of 40), so its own diff on SQLite
 * stays clean. The generated `#type` carries the same table as code.
 */
function sqliteName(type: ColumnType): string | undefined {
  if (!('key' in type)) return undefined
  const length = type.options.length
  const names: Partial<Record<string, string>> = {
    string: `varchar(${length ?? 255})`,
    character: `char(${length ?? 1})`,
    boolean: 'boolean',
    smallint: 'smallint',
    tinyint: 'tinyint',
    mediumint: 'mediumint',
    float: 'float',
    uuid: 'uuid',
  }
  return names[type.key]
}
const sqliteNamesCode =
  "({ string: `varchar(${options.length ?? 255})`, character: `char(${options.length ?? 1})`, boolean: 'boolean', smallint: 'smallint', " +
  "tinyint: 'tinyint', mediumint: 'mediumint', float: 'float', uuid: 'uuid' } as Record<string, string | undefined>)"

const normalType = (type: string): string => type.toLowerCase().replace(/\s+/g, '')

/**
 * MikroORM compares columns on SQLite by its SQLite names, which are `text`
 * for every string and `integer` for a boolean, so a diff there cannot see a
 * string widened from 100 to 150, and takes a text column dropped and a
 * string column added for a rename. PostgreSQL and MySQL would need those
 * changes. The columns a written migration made keep the declared names (see
 * `sqliteName`), so those changes are read from them here and added to both
 * steps; a column named as MikroORM names it says nothing more, and is left
 * as MikroORM's diff has it. Returns how many changes it added.
 */
export function addSqliteBlindSpots(source: PortableMigrationSource): number {
  const declarations = new Declarations(source)
  let added = 0
  const typeOf = (table: string, column: string): ColumnType | undefined => {
    const found = declarations.column(table, column)
    const type = found ? declarations.fromProperty(found.prop, found.index) : undefined
    return typeof type === 'object' ? type : undefined
  }
  // Whether the database's column says something other than the entity declares.
  const differs = (current: Column, target: Column, type: ColumnType | undefined): boolean => {
    if (!type || 'enum' in type) return false
    // A schema snapshot keeps MikroORM's SQLite name, but also the length.
    const length = 'key' in type && (type.key === 'string' || type.key === 'character') ? type.options.length : undefined
    if (length !== undefined && current.length != null && current.length !== length) return true
    const named = normalType(current.type)
    const declared = 'explicit' in type ? normalType(type.explicit) : normalType(sqliteName(type) ?? target.type)
    return named !== declared && named !== normalType(target.type)
  }
  const tableDiff = (diff: SchemaDifference, from: DatabaseTable, to: DatabaseTable): TableDifference => {
    const key = to.getShortestName()
    diff.changedTables[key] ??= {
      name: key,
      fromTable: from,
      toTable: to,
      addedColumns: {},
      changedColumns: {},
      removedColumns: {},
      renamedColumns: {},
      addedIndexes: {},
      changedIndexes: {},
      removedIndexes: {},
      renamedIndexes: {},
      addedChecks: {},
      changedChecks: {},
      removedChecks: {},
      addedForeignKeys: {},
      changedForeignKeys: {},
      removedForeignKeys: {},
    }
    return diff.changedTables[key]!
  }
  for (const target of source.target.getTables()) {
    const current = source.current.getTable(target.name)
    if (!current) continue
    const up = source.up.changedTables[target.getShortestName()]
    for (const [from, column] of Object.entries(up?.renamedColumns ?? {})) {
      // MikroORM took a column dropped and one added, alike on SQLite, for a rename. Renamed it stays
      // (its rows are kept), but where the declared type is not the one the database names, the
      // renamed column also gets the declared type, as PostgreSQL and MySQL need.
      const was = current.getColumn(from)
      const type = typeOf(target.name, column.name)
      if (!was || !type || 'enum' in type) continue
      const declared = 'explicit' in type ? type.explicit : (sqliteName(type) ?? column.type)
      if (normalType(was.type) === normalType(declared)) continue
      up!.changedColumns[column.name] = { oldColumnName: column.name, column, fromColumn: was, changedProperties: new Set(['type']) }
      tableDiff(source.down, target, current).changedColumns[from] = { oldColumnName: from, column: was, fromColumn: column, changedProperties: new Set(['type']) }
      added++
    }
    for (const column of target.getColumns()) {
      const was = current.getColumn(column.name)
      if (!was || up?.changedColumns[column.name] || !differs(was, column, typeOf(target.name, column.name))) continue
      tableDiff(source.up, current, target).changedColumns[column.name] = { oldColumnName: column.name, column, fromColumn: was, changedProperties: new Set(['type']) }
      tableDiff(source.down, target, current).changedColumns[column.name] = { oldColumnName: column.name, column: was, fromColumn: column, changedProperties: new Set(['type']) }
      added++
    }
  }
  return added
}

/** What the entities declare for each column: the property behind it, and its type as a migration records it. */
class Declarations {
  readonly #source: PortableMigrationSource
  readonly #props = new Map<string, { meta: EntityMetadata; prop: EntityProperty; index: number }>()
  readonly #metas = new Map<string, EntityMetadata>()

  constructor(source: PortableMigrationSource) {
    this.#source = source
    for (const meta of source.entities) {
      if (!meta.tableName || meta.embeddable || meta.virtual) continue
      this.#metas.set(meta.tableName, meta)
      for (const prop of meta.props) {
        // Only properties that are columns of this table: not the inverse side of a relation, not a formula.
        const owns = prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.EMBEDDED || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)
        if (!owns || prop.persist === false || prop.formula) continue
        prop.fieldNames?.forEach((field, index) => {
          const key = `${meta.tableName}.${field}`
          if (!this.#props.has(key)) this.#props.set(key, { meta, prop, index })
        })
      }
    }
  }

  meta(table: string): EntityMetadata | undefined {
    return this.#metas.get(table)
  }

  column(table: string, column: string): { prop: EntityProperty; index: number } | undefined {
    return this.#props.get(`${table}.${column}`)
  }

  fromProperty(prop: EntityProperty, index: number): ColumnType | string {
    if (prop.kind === ReferenceKind.MANY_TO_ONE || prop.kind === ReferenceKind.ONE_TO_ONE) {
      // The key's columns are the target's primary key columns, in order.
      const targets = (prop.targetMeta?.getPrimaryProps() ?? []).flatMap((pk) => (pk.fieldNames ?? []).map((_, i) => ({ pk, i })))
      const target = targets[index]
      if (!target) return `the key it refers to (${prop.type}) has no primary key column ${index + 1}`
      return this.fromProperty(target.pk, target.i)
    }
    const { platform } = this.#source
    const sizes = numbers({ ...this.#source.declared(prop) })
    const declared = prop.columnTypes?.[index]
    let mapped: Type<unknown> = prop.customType ?? platform.getMappedType(typeName(prop))
    if (mapped instanceof UnknownType && declared) mapped = platform.getMappedType(declared)
    const expected = mapped.getColumnType({ ...prop, length: sizes.length, precision: sizes.precision, scale: sizes.scale }, platform)
    if (declared !== undefined && declared !== expected) return { explicit: declared }
    if (mapped instanceof EnumType && prop.items?.every((i) => typeof i === 'string')) return { enum: prop.items.map(String) }
    const key = keyOf(mapped)
    if (!key) return `its type (${prop.customType ? prop.customType.constructor.name : prop.type}) is not one of MikroORM's own, so no migration can name it for every database; give it a columnType, or write the migration by hand`
    return { key, options: sizes }
  }

}

/** The type name MikroORM's discovery maps a property by, before a database renders it. */
function typeName(prop: EntityProperty): string {
  if (prop.nativeEnumName) return 'enum'
  if (prop.enum) return prop.items?.every((i) => typeof i === 'string') ? 'enum' : 'tinyint'
  return prop.type === 'Date' ? 'datetime' : prop.type
}

/**
 * A column's sizes as the database reports them; where MikroORM's reading
 * left them out (SQLite's `varchar(100)`), from the type's name.
 */
function sizesOf(column: Column): Record<string, number> {
  const [, first, second] = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(column.type) ?? []
  const decimal = column.mappedType.constructor === types.decimal
  return numbers({
    length: column.length ?? (decimal || first === undefined ? undefined : Number(first)),
    precision: column.precision ?? (decimal && first !== undefined ? Number(first) : undefined),
    scale: column.scale ?? (decimal && second !== undefined ? Number(second) : undefined),
  })
}

function numbers(values: Record<string, number | null | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])))
}

import { OrmInput } from '../errors/codes.js'

/** One field's direction, as MikroORM's `orderBy` and Kysely's `orderBy(column, direction)` take it. */
export type SortDirection = 'asc' | 'desc'

/** What {@link orderByFrom} makes: the fields the client named, each with its direction, in the order named. */
export type OrderByFields<F extends string> = { [K in F]?: SortDirection }

// A field this guard may allow: a property name, nothing MikroORM would read as a path,
// an operator or raw SQL. The list is the route's code, so a bad one is a programming error.
const propertyName = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * The order a client's sort parameter asks for, refusing any field the route
 * does not allow: MikroORM's `orderBy` as it is, or for Kysely one
 * `.orderBy(column, direction)` per entry. Both ORM components export it. The parameter is a comma-separated list of fields,
 * each ascending, or descending with a `-` before it (`title`, `-title,id`).
 * `undefined` is no order (`{}`); anything else that is not such a list is
 * an `HttpError` 400 with code `DOVETAIL_ERR_ORM_INPUT`: a field outside
 * `allowed`, a field named twice, an empty entry, a value that is not a
 * string (an array or an object from a JSON body or a query parser).
 *
 * Why a helper and not only a zod schema: an enum of `title`, `-title`, …
 * says which strings are allowed, but the route must still turn the string
 * into `{ title: 'desc' }` with a computed key, and a list of
 * several fields needs a parser. Why an explicit list and not every property
 * of the entity: sorting by a column the client cannot read (a password hash,
 * a secret token) still tells it that column's order, one request at a time.
 *
 * The input is bounded by `allowed`: each field at most once, so a longer
 * parameter is refused before it is split.
 *
 * @param sort the client's value, as it came (`ctx.query.sort`, a body field)
 * @param allowed the entity properties (or columns) this route lets clients sort by
 * @throws HttpError 400 `DOVETAIL_ERR_ORM_INPUT` for a sort the route does not allow
 * @throws TypeError when `allowed` is empty or names something that is not a plain property name
 *
 * @example
 * import { orderByFrom } from 'dovetailjs/components/orm/mikro-orm' // or orm/kysely, or dovetailjs/orm-kit
 * // GET /books?sort=-title  →  { title: 'desc' }; ?sort=secret  →  400
 * const books = await em.find(Book, {}, { orderBy: orderByFrom(ctx.query.sort ?? 'title', ['title', 'isbn']) })
 * // Kysely: one orderBy per field, in the order the client named them
 * let query = db.selectFrom('book').selectAll()
 * for (const [column, direction] of Object.entries(orderByFrom(ctx.query.sort ?? 'title', ['title', 'isbn']))) query = query.orderBy(column as 'title' | 'isbn', direction)
 */
export function orderByFrom<const F extends string>(sort: unknown, allowed: readonly F[]): OrderByFields<F> {
  checkAllowed(allowed)
  if (sort === undefined) return {}
  const hint = `sort by ${listed(allowed)}, with - before a field for descending order (e.g. "-${allowed[0]}")`
  if (typeof sort !== 'string') throw OrmInput(`The sort order must be a string: ${hint}.`)
  // Longest acceptable: every allowed field once, each with '-' and a comma.
  const longest = allowed.reduce((length, field) => length + field.length + 2, 0)
  if (sort.length > longest) throw OrmInput(`The sort order is longer than any this route takes: ${hint}.`)
  const orderBy: Array<[string, SortDirection]> = []
  const seen = new Set<string>()
  for (const entry of sort.split(',')) {
    const descending = entry.startsWith('-')
    const field = descending ? entry.slice(1) : entry
    if (!(allowed as readonly string[]).includes(field)) {
      throw OrmInput(entry === '' ? `The sort order has an empty entry: ${hint}.` : `Cannot sort by ${JSON.stringify(field)}: ${hint}.`)
    }
    if (seen.has(field)) throw OrmInput(`The sort order names ${JSON.stringify(field)} twice: ${hint}.`)
    seen.add(field)
    orderBy.push([field, descending ? 'desc' : 'asc'])
  }
  return Object.fromEntries(orderBy) as OrderByFields<F>
}

function checkAllowed(allowed: readonly string[]): void {
  if (!Array.isArray(allowed) || allowed.length === 0) throw new TypeError('orderByFrom needs the list of fields the route allows, e.g. orderByFrom(ctx.query.sort, [\'title\', \'id\']).')
  for (const field of allowed) {
    if (typeof field !== 'string' || !propertyName.test(field)) {
      throw new TypeError(`orderByFrom: ${JSON.stringify(field)} is not a property name; allow the entity's properties by name (letters, digits, _).`)
    }
  }
}

const listed = (fields: readonly string[]): string => (fields.length === 1 ? fields[0]! : `${fields.slice(0, -1).join(', ')} or ${fields.at(-1)}`)

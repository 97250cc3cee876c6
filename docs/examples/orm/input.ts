import { HttpError } from 'dovetailjs'
import { z } from 'zod'

// What the library's routes take from a request, checked before any of it reaches the ORM
// (docs/orm.md#request-input). In a where clause an object is an operator and an array an $in,
// so each value is a typed scalar here. Objects are strict: a key a route does not know (`$or`,
// or a query parameter `title[$ne]`) is refused, not dropped.

/**
 * A row id from the URL. `ctx.params` and `ctx.query` hold strings only, so coercing is safe
 * there; never coerce a JSON body (`z.coerce.number()` makes 5 of `[5]`). At most the largest
 * value of an integer column: a bigger number is no row's id, and past 2^53 not even exact.
 */
export const Id = z.coerce.number().int().min(1).max(2_147_483_647)

/** The path of `/shelves/:id` and the routes under it. */
export const ShelfPath = z.strictObject({ id: Id })

/** `POST /shelves`: a name, as long as the column. */
export const NewShelf = z.strictObject({ name: z.string().trim().min(1).max(100) })

/** `POST /shelves/:id/books`. */
export const NewBook = z.strictObject({
  isbn: z.string().trim().min(1).max(20),
  title: z.string().trim().min(1).max(200),
})

/**
 * `GET /shelves/:id/books?sort=-title&limit=20&offset=0`: the sort is checked by orderByFrom in
 * the route. Unchecked, `limit=-1` is no limit on SQLite, a limit that is not an integer is
 * dropped by the SQL builder (every row), and a huge offset is a PostgreSQL error (a 500).
 */
export const BookPage = z.strictObject({
  sort: z.string().default('title'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
})

/** `POST /books/search`: a JSON body, so numbers are JSON numbers, not coerced strings. */
export const BookSearch = z.strictObject({
  title: z.string().trim().min(1).max(200),
  shelf: z.number().int().min(1).max(2_147_483_647).optional(),
})

/**
 * `input` as `schema` parses it, or an HttpError naming what is wrong: 400 for the URL's parts
 * (path, query string), 422 for a body that parsed but is not what the route takes.
 */
export function valid<T>(schema: z.ZodType<T>, input: unknown, status: 400 | 422): T {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new HttpError(status, result.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; '))
}

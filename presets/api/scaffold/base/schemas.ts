import { z } from 'zod'

// What the routes take from a request (one file, whichever ORM the app uses), checked before any
// of it reaches a query. In a where clause an object is an operator ({"$ne": null} matches every
// row) and an array an $in, so each value is a typed scalar, as long as its column at most; strict
// objects refuse keys a route does not name. Path and query values are always strings, so they may
// be coerced; a JSON body never is. A route's schemas run before its handler: input they refuse is
// a 422 listing each field's path and message (RFC 9457 problem details), and the handler never
// sees it. See the validation docs.
export const NotePath = z.strictObject({ id: z.coerce.number().int().min(1).max(2_147_483_647) })
export const NoteList = z.strictObject({
  sort: z.string().default('id'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
})
export const NewNote = z.strictObject({ text: z.string().trim().min(1, 'must not be empty').max(500) })

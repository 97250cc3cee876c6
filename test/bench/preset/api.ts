/**
 * What the `api` preset group sends and expects: a JSON GET and a JSON POST
 * from an allowed origin, answered with the same bytes on both servers.
 */
export const ORIGIN = 'https://app.example.com'
export const API_JSON = JSON.stringify({ message: 'Hello, World!' })
export const ITEM = JSON.stringify({ name: 'widget', qty: 3 })
/** POST /items echoes the item back with an id: body parsing on both sides. */
export const ITEM_CREATED = JSON.stringify({ id: 1, name: 'widget', qty: 3 })
export const NOT_FOUND = JSON.stringify({ error: { status: 404, message: 'Not Found' } })

import type { Context, RequestBody } from '../../../core/index.js'
import type { FormBody } from './form-body.js'
import { readBody } from './read-body.js'

/**
 * The request body as a route's body schema sees it (the core's `BodyReader`,
 * which the component registers): a JSON body's value; a form as an object,
 * a field sent once a string, sent more than once an array in order, and an
 * uploaded file (an `UploadedFile`) by its field likewise; `undefined` with no
 * body. Parsed by `readBody`, with its limits and errors, so the handler can
 * still call `readBody` and gets the same parse.
 *
 * @example
 * await readSchemaBody(ctx) // { kind: 'form', value: { title: 'Hi', tag: ['a', 'b'] } }
 */
export async function readSchemaBody(ctx: Context): Promise<RequestBody> {
  const body = await readBody(ctx)
  if (body.type === 'json') return { kind: 'json', value: body.value }
  if (body.type === 'form') return { kind: 'form', value: formObject(body.form) }
  return { kind: 'none', value: undefined }
}

function formObject(form: FormBody): Record<string, unknown> {
  const grouped = new Map<string, unknown[]>()
  const put = (name: string, value: unknown) => {
    const list = grouped.get(name)
    if (list) list.push(value)
    else grouped.set(name, [value])
  }
  for (const name of Object.keys(form.fields)) for (const value of form.getAll(name)) put(name, value)
  for (const file of form.files) put(file.field, file)
  // fromEntries defines properties: a field named __proto__ is a key, never the prototype.
  return Object.fromEntries([...grouped].map(([name, values]) => [name, values.length === 1 ? values[0] : values]))
}

import { UsageError } from '../usage-error.js'

/** The kinds of field `generate resource --fields` knows, each with its column, check and form input. */
export const fieldTypes = ['string', 'text', 'integer', 'boolean'] as const

export type FieldType = (typeof fieldTypes)[number]

export interface Field {
  /** `publishedAt`: the property. */
  name: string
  /** `published_at`: the column, as MikroORM names the property's. */
  column: string
  /** `published at`: for messages and labels. */
  label: string
  type: FieldType
}

/**
 * Parse `--fields title:string,pages:integer,published:boolean` (a field
 * without a type is a string).
 *
 * @example
 * parseFields('title,pages:integer').map((f) => f.type) // ['string', 'integer']
 */
export function parseFields(spec: string): Field[] {
  const fields = spec.split(',').map((part) => {
    const [name = '', type = 'string', ...rest] = part.trim().split(':')
    if (!/^[a-z][A-Za-z0-9]*$/.test(name) || rest.length) {
      throw new UsageError(`--fields: '${part.trim()}' is not name:type. Names are camelCase (title, publishedAt); types: ${fieldTypes.join(', ')}.`)
    }
    if (name === 'id') throw new UsageError('--fields: id is made for every resource (an auto-incremented integer); leave it out.')
    // An entity property may not shadow what every object has.
    if (name in Object.prototype) throw new UsageError(`--fields: ${name} is a name every JavaScript object has; choose another.`)
    if (!(fieldTypes as readonly string[]).includes(type)) throw new UsageError(`--fields: '${type}' (of ${name}) is not a field type. Types: ${fieldTypes.join(', ')}.`)
    const words = name.split(/(?=[A-Z])/).map((w) => w.toLowerCase())
    return { name, column: words.join('_'), label: words.join(' '), type: type as FieldType }
  })
  const names = fields.map((f) => f.name)
  const twice = names.find((n, i) => names.indexOf(n) !== i)
  if (twice) throw new UsageError(`--fields names ${twice} twice.`)
  return fields
}

/** The longest a string field may be: its column's length, and what the check allows. */
export const stringLength = 500

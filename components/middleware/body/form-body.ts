import type { UploadedFile } from './uploaded-file.js'

/**
 * A parsed form (urlencoded or multipart). `fields` has no prototype, so a
 * field named `__proto__` or `constructor` is only a key.
 *
 * @example
 * const form = await readForm(ctx)
 * form.fields.title        // first value of 'title'
 * form.getAll('tag')       // every value of 'tag'
 * form.file('avatar')      // first file of 'avatar'
 */
export class FormBody {
  /** Each field's first value. */
  readonly fields: Readonly<Record<string, string>>
  /** Every uploaded file, in the order they came. */
  readonly files: readonly UploadedFile[]
  readonly #all: ReadonlyArray<readonly [string, string]>

  constructor(entries: ReadonlyArray<readonly [string, string]>, files: readonly UploadedFile[] = []) {
    const fields: Record<string, string> = Object.create(null)
    for (const [name, value] of entries) if (!(name in fields)) fields[name] = value
    this.fields = fields
    this.files = files
    this.#all = entries
  }

  /** The first value of a field. */
  get(name: string): string | undefined {
    return this.fields[name]
  }

  /** Every value of a field, in order (checkboxes, multi-selects). */
  getAll(name: string): string[] {
    return this.#all.filter(([n]) => n === name).map(([, v]) => v)
  }

  /** The first file uploaded in a field. */
  file(field: string): UploadedFile | undefined {
    return this.files.find((f) => f.field === field)
  }

  /** Every file uploaded in a field. */
  filesOf(field: string): UploadedFile[] {
    return this.files.filter((f) => f.field === field)
  }
}

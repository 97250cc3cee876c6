import { type Field, stringLength } from './fields.js'
import type { ResourceNames } from './names.js'

/** How a resource answers: JSON, or pages in the app's template engine (with a CSRF field when the app checks CSRF). */
export type ResourceStyle = { kind: 'json' } | { kind: 'html'; engine: 'eta' | 'nunjucks'; csrf: boolean }

/** What `generate resource` writes: file paths (relative to the project) and their text. */
export type GeneratedFiles = Array<{ path: string; text: string }>

/**
 * The files of a resource: a module with its entity, input check and routes;
 * the migration that makes its table (knex's schema builder, so it runs on
 * SQLite, PostgreSQL and MySQL as the scaffolds' does); a test through the
 * test client; and for HTML, a list page with a form and a page per record.
 *
 * @example
 * resourceFiles(resourceNames('book'), parseFields('title'), { kind: 'json' }, '20250601120000')
 */
export function resourceFiles(n: ResourceNames, fields: readonly Field[], style: ResourceStyle, timestamp: string): GeneratedFiles {
  const migration = `Migration${timestamp}_${n.pluralSnake}`
  const files: GeneratedFiles = [
    { path: `${n.pluralKebab}.ts`, text: moduleText(n, fields, style, migration) },
    { path: `migrations/${migration}.ts`, text: migrationText(n, fields, migration) },
    { path: `test/${n.pluralKebab}.test.ts`, text: style.kind === 'json' ? jsonTestText(n, fields) : htmlTestText(n, fields, style) },
  ]
  if (style.kind === 'html') files.push(...viewFiles(n, fields, style))
  return files
}

/** A value of the field's type that passes its check, for tests. */
const sample = (field: Field, i = 0): string | number | boolean =>
  field.type === 'integer' ? 3 + i : field.type === 'boolean' ? true : `${field.label} ${i + 1}`

/** A value as TypeScript source, strings in single quotes as the scaffolds write them. */
const literal = (value: string | number | boolean): string => (typeof value === 'string' ? `'${value.replace(/[\\']/g, '\\$&')}'` : String(value))

const tsType = (field: Field) => (field.type === 'integer' ? 'number' : field.type === 'boolean' ? 'boolean' : 'string')

function moduleText(n: ResourceNames, fields: readonly Field[], style: ResourceStyle, migration: string): string {
  const html = style.kind === 'html'
  const property = (f: Field) =>
    `    ${f.name}: p.${f.type === 'string' ? `string().length(${stringLength})` : `${f.type}()`},`
  // One checker per type, called with the field's name: no variable is named after a field, so any name is safe.
  const checker = (f: Field) =>
    f.type === 'string' ? `text(data, '${f.name}', ${stringLength})` : f.type === 'text' ? `text(data, '${f.name}')` : f.type === 'integer' ? `integer(data, '${f.name}')` : `flag(data, '${f.name}')`
  const used = new Set(fields.map((f) => (f.type === 'string' || f.type === 'text' ? 'text' : f.type === 'integer' ? 'integer' : 'flag')))
  const helpers: string[] = []
  if (used.has('text')) {
    helpers.push(
      `/** The field as a non-empty string, trimmed, of at most \`max\` characters; else a 422 naming it. */`,
      `function text(data: Record<string, unknown>, field: string, max = Infinity): string {`,
      `  const value = data[field]`,
      `  const trimmed = typeof value === 'string' ? value.trim() : ''`,
      '  if (!trimmed || trimmed.length > max) throw new HttpError(422, `${field} must be a non-empty string${max < Infinity ? ` of at most ${max} characters` : \'\'}`)',
      `  return trimmed`,
      `}`,
      ``,
    )
  }
  if (used.has('integer')) {
    helpers.push(
      `/** The field as an integer; else a 422 naming it. */`,
      `function integer(data: Record<string, unknown>, field: string): number {`,
      `  const value = data[field]`,
      '  if (typeof value !== \'number\' || !Number.isInteger(value)) throw new HttpError(422, `${field} must be an integer`)',
      `  return value`,
      `}`,
      ``,
    )
  }
  if (used.has('flag')) {
    helpers.push(
      `/** The field as true or false; else a 422 naming it. */`,
      `function flag(data: Record<string, unknown>, field: string): boolean {`,
      `  const value = data[field]`,
      '  if (typeof value !== \'boolean\') throw new HttpError(422, `${field} must be true or false`)',
      `  return value`,
      `}`,
      ``,
    )
  }
  const fromForm = (f: Field) =>
    f.type === 'integer'
      ? `    ${f.name}: form.fields.${f.name}?.trim() ? Number(form.fields.${f.name}) : undefined,`
      : f.type === 'boolean'
        ? `    // A checkbox sends its field only when ticked.\n    ${f.name}: form.fields.${f.name} !== undefined,`
        : `    ${f.name}: form.fields.${f.name},`
  const inputType = `{ ${fields.map((f) => `${f.name}: ${tsType(f)}`).join('; ')} }`
  const lines = [
    `import { defineEntity, type InferEntity } from '@mikro-orm/core'`,
    `import { type Context, HttpError, type Routes } from 'dovetailjs'`,
    html ? `import { type FormBody, readForm } from 'dovetailjs/components/middleware/body'` : `import { readJson } from 'dovetailjs/components/middleware/body'`,
    `import { Em } from 'dovetailjs/components/orm/mikro-orm'`,
    ``,
    `/** A ${n.words}. Its table, ${n.table}, is made by the migration ${migration}. */`,
    `export const ${n.Singular} = defineEntity({`,
    `  name: '${n.Singular}',`,
    `  properties: (p) => ({`,
    `    id: p.integer().primary().autoincrement(),`,
    ...fields.map(property),
    `  }),`,
    `})`,
    ``,
    `export type ${n.Singular} = InferEntity<typeof ${n.Singular}>`,
    ``,
    `/** What a request may set on a ${n.words}, checked field by field: a 422 names the first that is wrong. */`,
    `export function ${n.singular}Input(received: unknown): ${inputType} {`,
    `  const data = (typeof received === 'object' && received !== null ? received : {}) as Record<string, unknown>`,
    `  return {`,
    ...fields.map((f) => `    ${f.name}: ${checker(f)},`),
    `  }`,
    `}`,
    ``,
    ...helpers,
  ]
  if (html) {
    lines.push(
      `/** A form's fields as ${n.singular}Input takes them: numbers parsed, a checkbox as true or false. */`,
      `function fromForm(form: FormBody): Record<string, unknown> {`,
      `  return {`,
      ...fields.map(fromForm),
      `  }`,
      `}`,
      ``,
    )
  }
  lines.push(
    `/** The ${n.words} whose id is in the path, or a 404. */`,
    `async function find(ctx: Context): Promise<${n.Singular}> {`,
    `  const id = Number(ctx.params.id)`,
    `  const found = Number.isInteger(id) ? await ctx.resolve(Em).findOne(${n.Singular}, { id }) : null`,
    '  if (!found) throw new HttpError(404, `No ' + n.words + ' with id ${ctx.params.id}`)',
    `  return found`,
    `}`,
    ``,
  )
  if (html) {
    lines.push(
      `/** The list page, with the form that adds one; after a refused form, its error and a 422. */`,
      `async function list(ctx: Context, error?: string): Promise<Response> {`,
      `  const ${n.plural} = await ctx.resolve(Em).find(${n.Singular}, {}, { orderBy: { id: 'asc' } })`,
      `  return ctx.render('${n.pluralKebab}/index', { title: '${capitalize(n.pluralWords)}', ${n.plural}, error }, { status: error ? 422 : 200 })`,
      `}`,
      ``,
      `/**`,
      ` * The ${n.words} pages: GET /${n.pluralKebab} (the list and a form), POST /${n.pluralKebab}`,
      ` * (add one, then back to the list), GET /${n.pluralKebab}/:id. Call it in the config's`,
      ` * routes(r): ${n.singular}Routes(r).`,
      ` */`,
      `export function ${n.singular}Routes(r: Routes): void {`,
      `  r.get('/${n.pluralKebab}', (ctx) => list(ctx), { name: '${n.plural}' })`,
      `  r.post('/${n.pluralKebab}', async (ctx) => {`,
      `    let input: ${inputType}`,
      `    try {`,
      `      input = ${n.singular}Input(fromForm(await readForm(ctx)))`,
      `    } catch (error) {`,
      `      if (error instanceof HttpError && error.status === 422) return list(ctx, error.message)`,
      `      throw error`,
      `    }`,
      `    const em = ctx.resolve(Em)`,
      `    em.create(${n.Singular}, input)`,
      `    await em.flush()`,
      `    return ctx.redirect(ctx.url('${n.plural}'), 303)`,
      `  })`,
      `  r.get('/${n.pluralKebab}/:id', async (ctx) => {`,
      `    const ${n.singular} = await find(ctx)`,
      `    return ctx.render('${n.pluralKebab}/show', { title: \`${capitalize(n.words)} \${${n.singular}.id}\`, ${n.singular} })`,
      `  }, { name: '${n.singular}' })`,
      `}`,
    )
  } else {
    lines.push(
      `/**`,
      ` * The ${n.words} routes, JSON in and out: GET /${n.pluralKebab}, GET /${n.pluralKebab}/:id,`,
      ` * POST /${n.pluralKebab}, DELETE /${n.pluralKebab}/:id. Call it in the config's routes(r):`,
      ` * ${n.singular}Routes(r).`,
      ` */`,
      `export function ${n.singular}Routes(r: Routes): void {`,
      `  r.get('/${n.pluralKebab}', async (ctx) => ctx.json(await ctx.resolve(Em).find(${n.Singular}, {}, { orderBy: { id: 'asc' } })), { name: '${n.plural}' })`,
      `  r.get('/${n.pluralKebab}/:id', async (ctx) => ctx.json(await find(ctx)), { name: '${n.singular}' })`,
      `  r.post('/${n.pluralKebab}', async (ctx) => {`,
      `    const em = ctx.resolve(Em)`,
      `    const ${n.singular} = em.create(${n.Singular}, ${n.singular}Input(await readJson(ctx)))`,
      `    await em.flush()`,
      `    return ctx.json(${n.singular}, { status: 201 })`,
      `  })`,
      `  r.delete('/${n.pluralKebab}/:id', async (ctx) => {`,
      `    const em = ctx.resolve(Em)`,
      `    em.remove(await find(ctx))`,
      `    await em.flush()`,
      `    return new Response(null, { status: 204 })`,
      `  })`,
      `}`,
    )
  }
  return `${lines.join('\n')}\n`
}

function migrationText(n: ResourceNames, fields: readonly Field[], migration: string): string {
  const column = (f: Field) =>
    f.type === 'string' ? `t.string('${f.column}', ${stringLength}).notNullable()` : f.type === 'text' ? `t.text('${f.column}').notNullable()` : f.type === 'integer' ? `t.integer('${f.column}').notNullable()` : `t.boolean('${f.column}').notNullable()`
  return `import type { Knex } from '@mikro-orm/knex'
import { Migration } from '@mikro-orm/migrations'

/**
 * The ${n.table} table, for the entity ${n.Singular}. Written with knex's schema
 * builder rather than SQL text, so it runs on SQLite, PostgreSQL and MySQL alike.
 */
export class ${migration} extends Migration {
  override async up(): Promise<void> {
    this.#run(
      this.#schema().createTable('${n.table}', (t) => {
        t.increments('id').primary()
${fields.map((f) => `        ${column(f)}`).join('\n')}
      }),
    )
  }

  override async down(): Promise<void> {
    this.#run(this.#schema().dropTable('${n.table}'))
  }

  /** A new builder each time: a builder keeps every call made on it. */
  #schema(): Knex.SchemaBuilder {
    return this.getKnex().schema
  }

  /** One builder may compile to several statements. */
  #run(builder: Knex.SchemaBuilder): void {
    for (const { sql } of builder.toSQL()) this.addSql(sql)
  }
}
`
}

const testHeader = (n: ResourceNames) => `import { afterAll, beforeAll, expect, it } from 'vitest'
import { type App, createApp, Orm } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import config from '../app.js'

// Written by dovetail generate resource ${n.singular}: the ${n.words} routes through the test client, no socket.
let app: App

beforeAll(async () => {
  app = await createApp({ ...config, environment: 'test' })
  await app.resolve(Orm).migrate()
})

afterAll(() => app.close())
`

function jsonTestText(n: ResourceNames, fields: readonly Field[]): string {
  const [first] = fields
  const invalid = first!.type === 'integer' ? `'many'` : first!.type === 'boolean' ? `'yes'` : `''`
  return `${testHeader(n)}
const valid = { ${fields.map((f) => `${f.name}: ${literal(sample(f))}`).join(', ')} }

it('stores a ${n.words}, lists it, shows it and deletes it', async () => {
  const client = createTestClient(app)
  const created = await client.post('/${n.pluralKebab}', { json: valid })
  expect(created.status).toBe(201)
  const ${n.singular} = (await created.json()) as { id: number }
  expect(${n.singular}).toEqual({ id: expect.any(Number), ...valid })
  expect(await (await client.get('/${n.pluralKebab}')).json()).toContainEqual(${n.singular})
  expect(await (await client.get(\`/${n.pluralKebab}/\${${n.singular}.id}\`)).json()).toEqual(${n.singular})
  expect((await client.delete(\`/${n.pluralKebab}/\${${n.singular}.id}\`)).status).toBe(204)
  expect((await client.get(\`/${n.pluralKebab}/\${${n.singular}.id}\`)).status).toBe(404)
})

it('refuses an invalid ${n.words} with 422, naming the field, and stores nothing', async () => {
  const client = createTestClient(app)
  const before = await (await client.get('/${n.pluralKebab}')).json()
  const refused = await client.post('/${n.pluralKebab}', { json: { ...valid, ${first!.name}: ${invalid} } })
  expect(refused.status).toBe(422)
  expect(await refused.text()).toContain('${first!.name} must be')
  expect(await (await client.get('/${n.pluralKebab}')).json()).toEqual(before)
})
`
}

function htmlTestText(n: ResourceNames, fields: readonly Field[], style: Extract<ResourceStyle, { kind: 'html' }>): string {
  const form = fields.filter((f) => f.type !== 'boolean' || sample(f) === true).map((f) => `${f.name}: ${literal(f.type === 'boolean' ? 'on' : String(sample(f)))}`)
  const shown = fields.find((f) => f.type === 'string' || f.type === 'text')
  const token = style.csrf
    ? `  const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
`
    : `  const cookie = ''
`
  const csrfField = style.csrf ? '_csrf: token, ' : ''
  const [first] = fields
  const invalid = first!.type === 'integer' ? `'many'` : `''`
  return `${testHeader(n)}
it('adds a ${n.words} through the form and lists it', async () => {
  const client = createTestClient(app)
  const page = await client.get('/${n.pluralKebab}')
  expect(page.status).toBe(200)
${token}  const added = await client.post('/${n.pluralKebab}', { form: { ${csrfField}${form.join(', ')} }, headers: { cookie } })
  expect(added.status).toBe(303)
  expect(added.headers.get('location')).toBe('/${n.pluralKebab}')
${shown ? `  expect(await (await client.get('/${n.pluralKebab}', { headers: { cookie } })).text()).toContain(${literal(String(sample(shown)))})\n` : ''}})

it('shows the form again with the error and a 422 for an invalid ${n.words}', async () => {
  const client = createTestClient(app)
  const page = await client.get('/${n.pluralKebab}')
${token}  const refused = await client.post('/${n.pluralKebab}', { form: { ${csrfField}${[...form.filter((f) => !f.startsWith(`${first!.name}:`)), `${first!.name}: ${invalid}`].join(', ')} }, headers: { cookie } })
  expect(refused.status).toBe(422)
  expect(await refused.text()).toContain('${first!.name} must be')
})

it('answers 404 for a ${n.words} that does not exist', async () => {
  expect((await createTestClient(app).get('/${n.pluralKebab}/0')).status).toBe(404)
})
`
}

function viewFiles(n: ResourceNames, fields: readonly Field[], style: Extract<ResourceStyle, { kind: 'html' }>): GeneratedFiles {
  const eta = style.engine === 'eta'
  const v = (name: string) => (eta ? `<%= it.${name} %>` : `{{ ${name} }}`)
  const input = (f: Field) => {
    const attrs = `id="${f.name}" name="${f.name}"`
    switch (f.type) {
      case 'text':
        return `  <textarea ${attrs} required></textarea>`
      case 'integer':
        return `  <input ${attrs} type="number" step="1" required>`
      case 'boolean':
        return `  <input ${attrs} type="checkbox">`
      default:
        return `  <input ${attrs} maxlength="${stringLength}" required>`
    }
  }
  const label = fields.find((f) => f.type === 'string' || f.type === 'text') ?? fields[0]!
  const item = eta ? `<%= ${n.singular}.${label.name} %>` : `{{ ${n.singular}.${label.name} }}`
  const link = eta ? `<%= url('${n.singular}', { id: ${n.singular}.id }) %>` : `{{ url('${n.singular}', { id: ${n.singular}.id }) }}`
  const formLines = [
    `<form method="post" action="${eta ? `<%= url('${n.plural}') %>` : `{{ url('${n.plural}') }}`}">`,
    ...(style.csrf ? [eta ? '  <%= csrfField() %>' : '  {{ csrfField() }}'] : []),
    ...fields.flatMap((f) => [`  <label for="${f.name}">${capitalize(f.label)}</label>`, input(f)]),
    `  <button type="submit">Add</button>`,
    `</form>`,
  ]
  const rows = fields.map((f) => `  <dt>${capitalize(f.label)}</dt><dd>${eta ? `<%= it.${n.singular}.${f.name} %>` : `{{ ${n.singular}.${f.name} }}`}</dd>`)
  if (eta) {
    return [
      {
        path: `views/${n.pluralKebab}/index.eta`,
        text: [
          `<% layout('layout') %>`,
          `<h1>${v('title')}</h1>`,
          `<% if (it.error) { %><p class="error" role="alert"><%= it.error %></p><% } %>`,
          ...formLines,
          `<ul>`,
          `<% for (const ${n.singular} of it.${n.plural}) { %>`,
          `  <li><a href="${link}">${item}</a></li>`,
          `<% } %>`,
          `</ul>`,
          ``,
        ].join('\n'),
      },
      {
        path: `views/${n.pluralKebab}/show.eta`,
        text: [`<% layout('layout') %>`, `<h1>${v('title')}</h1>`, `<dl>`, ...rows, `</dl>`, `<p><a href="<%= url('${n.plural}') %>">All ${n.pluralWords}</a></p>`, ``].join('\n'),
      },
    ]
  }
  return [
    {
      path: `views/${n.pluralKebab}/index.njk`,
      text: [
        `{% extends "layout" %}`,
        `{% block content %}`,
        `<h1>${v('title')}</h1>`,
        `{% if error %}<p class="error" role="alert">{{ error }}</p>{% endif %}`,
        ...formLines,
        `<ul>`,
        `{% for ${n.singular} in ${n.plural} %}`,
        `  <li><a href="${link}">${item}</a></li>`,
        `{% endfor %}`,
        `</ul>`,
        `{% endblock %}`,
        ``,
      ].join('\n'),
    },
    {
      path: `views/${n.pluralKebab}/show.njk`,
      text: [`{% extends "layout" %}`, `{% block content %}`, `<h1>${v('title')}</h1>`, `<dl>`, ...rows, `</dl>`, `<p><a href="{{ url('${n.plural}') }}">All ${n.pluralWords}</a></p>`, `{% endblock %}`, ``].join('\n'),
    },
  ]
}

const capitalize = (text: string) => text[0]!.toUpperCase() + text.slice(1)

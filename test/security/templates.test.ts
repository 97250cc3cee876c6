import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Component, createApp, defineConfig, Logger } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { eta } from 'dovetailjs/components/template/eta'
import { nunjucks } from 'dovetailjs/components/template/nunjucks'
import { recordingLogger } from '../support/recording-logger.js'

// Hostile values printed by templates, in both engines: in text, in a quoted
// attribute, and as template syntax the user typed. Autoescaping must leave
// no character that could end an attribute or open a tag, and user text must
// never be evaluated as a template.

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function viewsWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-security-views-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

const engines: Array<[string, () => Component]> = [
  ['eta', () => eta({ views: viewsWith({ 'page.eta': '<p title="<%= it.value %>"><%= it.value %></p>' }) })],
  ['nunjucks', () => nunjucks({ views: viewsWith({ 'page.njk': '<p title="{{ value }}">{{ value }}</p>' }) })],
]

async function render(engine: () => Component, value: unknown) {
  const app = await createApp(
    defineConfig({
      environment: 'test',
      components: { template: engine() },
      register: (c) => void c.value(Logger, recordingLogger()),
      routes: (r) => r.get('/', (ctx) => ctx.render('page', { value })),
    }),
  )
  const res = await createTestClient(app).get('/', { headers: { accept: 'text/html' } })
  const html = await res.text()
  await app.close()
  return { status: res.status, html, inner: /^<p title="(.*)">(.*)<\/p>$/s.exec(html) }
}

const payloads = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '` onfocus=`alert(1)',
  'a=b onload=alert(1)',
  '&lt;already-escaped&gt;',
]

describe.each(engines)('templates (%s): hostile values', (_, engine) => {
  it.each(payloads)('prints %j with no character left that could open a tag or leave the attribute', async (payload) => {
    const { status, inner } = await render(engine, payload)
    expect(status).toBe(200)
    expect(inner).not.toBeNull()
    for (const part of [inner![1]!, inner![2]!]) expect(part).not.toMatch(/[<>"'`=]/)
  })

  it.each([
    ['eta syntax', '<%= process.pid %>'],
    ['nunjucks syntax', '{{ 7*7 }}{% raw %}'],
    ['a nunjucks constructor escape', "{{ ''.constructor.constructor('return process')() }}"],
  ])('prints user text containing %s literally, never evaluating it', async (_, text) => {
    const { status, html } = await render(engine, text)
    expect(status).toBe(200)
    expect(html).not.toContain(String(process.pid))
    expect(html).not.toContain('49')
    expect(html).not.toContain('[object process]')
  })

  it.each([
    ['an object whose toString is not a function', { toString: 1 }],
    ['an object without a prototype', Object.create(null) as object],
  ])('renders %s instead of failing with 500', async (_, value) => {
    const { status, html } = await render(engine, value)
    expect(status).toBe(200)
    expect(html).toContain('[object Object]')
  })
})

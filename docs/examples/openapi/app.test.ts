import { afterAll, describe, expect, it } from 'vitest'
import { Validator } from '@seriousme/openapi-schema-validator'
import { createTestClient } from 'dovetailjs/testing'
import { createOpenApiApp } from './app.js'

describe('the OpenAPI example (docs/openapi.md)', async () => {
  const app = await createOpenApiApp()
  const doc = app.openapi({ title: 'Notes', version: '1.0.0' })
  afterAll(() => app.close())

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator()
    expect(await validator.validate(structuredClone(doc) as never)).toEqual({ valid: true })
    expect(validator.version).toBe('3.1')
  })

  it('lists the routes by template, without the mount', () => {
    expect(Object.keys(doc.paths)).toEqual(['/notes/{id}', '/search', '/notes', '/reports'])
  })

  it('documents the zod and the valibot schemas alike', () => {
    expect(doc.paths['/notes/{id}']!.get!.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'integer' }) }])
    expect(doc.paths['/search']!.get!.parameters).toEqual([{ name: 'q', in: 'query', required: true, description: 'Words to look for', schema: { type: 'string', minLength: 1 } }])
  })

  it('marks the guarded routes with the schemes their guards check', () => {
    expect(doc.paths['/notes']!.post!.security).toEqual([{ session: [] }])
    expect(doc.paths['/reports']!.get).toMatchObject({ operationId: 'reports', deprecated: true, security: [{ apiKey: [] }] })
    expect(Object.keys(doc.components!.securitySchemes!)).toEqual(['session', 'apiKey'])
  })

  it('is what GET /openapi.json answers', async () => {
    expect(await (await createTestClient(app).get('/openapi.json')).json()).toEqual(doc)
  })
})

import { expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createSecureSite } from './app.js'

it('the security-headers example sends its policy, and lets /widget set its own', async () => {
  const client = createTestClient(await createSecureSite(), 'https://www.example.com')
  const home = await client.get('/')
  expect(home.headers.get('content-security-policy')).toBe(
    "default-src 'self'; base-uri 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; img-src 'self' data: https://cdn.example.com; object-src 'none'; script-src 'self'; style-src 'self'; upgrade-insecure-requests",
  )
  expect(home.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
  expect(home.headers.get('x-frame-options')).toBe('DENY')
  const widget = await client.get('/widget')
  expect(widget.headers.get('content-security-policy')).toBe("default-src 'self'; frame-ancestors https://partner.example.com")
  expect(widget.headers.get('x-frame-options')).toBe('SAMEORIGIN')
  expect(widget.headers.get('x-content-type-options')).toBe('nosniff')
})

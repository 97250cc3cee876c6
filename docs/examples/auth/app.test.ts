import { expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createSite } from './app.js'
import { Users } from './users.js'

// Cheap hashing for the test; the app uses the defaults in production.
const params = { ln: 10, r: 8, p: 1 }
const html = { accept: 'text/html' }

it('the auth example signs in through its CSRF-protected form, guards its pages and signs out', async () => {
  const users = new Users()
  await users.add('ada@example.com', 'analytical engine', ['admin'], params)
  await users.add('bob@example.com', 'difference engine', [], params)
  const client = createTestClient(await createSite(users, 'example-secret-0123456789-0123456789-abc', params))

  // A visitor is sent to the login page, which remembers where they were going.
  const guarded = await client.get('/account', { headers: html })
  expect(guarded.status).toBe(303)
  expect(guarded.headers.get('location')).toBe('/login?next=%2Faccount')

  const page = await client.get('/login?next=/admin', { headers: html })
  const visitor = page.headers.getSetCookie()[0]!.split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!

  const wrong = await client.post('/login?next=/admin', { form: { _csrf: token, email: 'ada@example.com', password: 'nope' }, headers: { cookie: visitor, ...html } })
  expect(wrong.status).toBe(401)
  expect(await wrong.text()).toContain('Wrong email or password.')

  const signedIn = await client.post('/login?next=/admin', { form: { _csrf: token, email: 'ada@example.com', password: 'analytical engine' }, headers: { cookie: visitor } })
  expect(signedIn.status).toBe(303)
  expect(signedIn.headers.get('location')).toBe('/admin')
  const ada = signedIn.headers.getSetCookie()[0]!.split(';')[0]!
  expect(ada).not.toBe(visitor) // a new session id at login
  expect(await (await client.get('/admin', { headers: { cookie: ada } })).text()).toBe('<h1>Admin</h1>')

  // Bob is signed in but not an admin.
  const bobPage = await client.get('/login')
  const bobToken = /name="_csrf" value="([^"]+)"/.exec(await bobPage.text())![1]!
  const bobLogin = await client.post('/login', {
    form: { _csrf: bobToken, email: 'bob@example.com', password: 'difference engine' },
    headers: { cookie: bobPage.headers.getSetCookie()[0]!.split(';')[0]! },
  })
  const bob = bobLogin.headers.getSetCookie()[0]!.split(';')[0]!
  expect(await (await client.get('/account', { headers: { cookie: bob } })).text()).toBe('<h1>Hello bob@example.com</h1>')
  expect((await client.get('/admin', { headers: { cookie: bob, ...html } })).status).toBe(403)

  // Signing out needs the token too (the session still holds the CSRF secret until it is destroyed).
  const accountPage = await client.get('/login', { headers: { cookie: ada } })
  const adaToken = /name="_csrf" value="([^"]+)"/.exec(await accountPage.text())![1]!
  const out = await client.post('/logout', { form: { _csrf: adaToken }, headers: { cookie: ada } })
  expect(out.status).toBe(303)
  expect((await client.get('/admin', { headers: { cookie: ada, ...html } })).headers.get('location')).toBe('/login?next=%2Fadmin')
})

it('the auth example locks an account after five failed logins', async () => {
  const users = new Users()
  await users.add('ada@example.com', 'analytical engine', [], params)
  const client = createTestClient(await createSite(users, 'example-secret-0123456789-0123456789-abc', params))
  const page = await client.get('/login')
  const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
  const attempt = (password: string) => client.post('/login', { form: { _csrf: token, email: 'ada@example.com', password }, headers: { cookie } })
  for (let i = 0; i < 5; i++) expect((await attempt(`guess ${i}`)).status).toBe(401)
  const locked = await attempt('analytical engine')
  expect(locked.status).toBe(429)
  expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800)
})

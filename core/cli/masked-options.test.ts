import { describe, expect, it } from 'vitest'
import { isSecretKey, maskedOptions, optionPairs } from './masked-options.js'

describe('maskedOptions', () => {
  it('masks values under secret-sounding keys, and only those', () => {
    for (const key of ['secret', 'secrets', 'sessionSecret', 'password', 'db_password', 'apiKey', 'privateKey', 'key', 'keys', 'token', 'accessToken', 'credentials', 'client-secret']) {
      expect(isSecretKey(key), key).toBe(true)
    }
    for (const key of ['sessionKey', 'protoKeys', 'keyPrefix', 'tokenField', 'tokenRequired', 'headerName', 'maxParamLength']) {
      expect(isSecretKey(key), key).toBe(false)
    }
    expect(maskedOptions({ secrets: ['a'.repeat(32)], nested: { password: 'hunter2', user: 'app' }, sessionKey: 'user', credentials: true })).toEqual({
      secrets: '***',
      nested: { password: '***', user: 'app' },
      sessionKey: 'user',
      // cors's flag: a boolean gives nothing away.
      credentials: true,
    })
  })

  it('masks the password of a URL wherever it is, keeping the user and host', () => {
    expect(maskedOptions({ url: 'postgresql://app:hunter2@db:5432/app', list: ['redis://:pw@cache:6379/0', 'mysql://root@127.0.0.1/test'] })).toEqual({
      url: 'postgresql://app:***@db:5432/app',
      list: ['redis://:***@cache:6379/0', 'mysql://root@127.0.0.1/test'],
    })
  })

  it('names functions, classes and objects of a class instead of printing them, and cuts long lists and cycles', () => {
    class Note {}
    class EntitySchema {
      name = 'Page'
    }
    const loop: Record<string, unknown> = {}
    loop.self = loop
    const shown = maskedOptions({ entities: [Note, new EntitySchema()], hook: function onStart() {}, when: new Date(0), loop, many: Array.from({ length: 25 }, (_, i) => i) }) as Record<string, unknown>
    expect(shown).toMatchObject({ entities: ['[class Note]', '[EntitySchema Page]'], hook: '[function onStart]', when: '1970-01-01T00:00:00.000Z', loop: { self: '[circular]' } })
    expect(shown.many).toHaveLength(21)
    expect((shown.many as unknown[]).at(-1)).toBe('[… 5 more]')
  })

  it('shows paths inside the project relative to it', () => {
    expect(maskedOptions({ views: ['/srv/app/views'], root: '/srv/app', other: '/srv/application' }, '/srv/app')).toEqual({ views: ['./views'], root: '.', other: '/srv/application' })
  })
})

describe('optionPairs', () => {
  it('flattens nested options into dotted key=value pairs', () => {
    expect(optionPairs({ limits: { body: 1024, types: ['json'] }, views: './views', secrets: '***', none: {}, src: "'none'" })).toEqual([
      'limits.body=1024',
      "limits.types=['json']",
      "views='./views'",
      'secrets=***',
      'none={}',
      `src="'none'"`,
    ])
  })
})

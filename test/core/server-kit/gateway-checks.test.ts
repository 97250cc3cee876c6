import { describe, expect, it } from 'vitest'
import { HttpError } from 'dovetailjs'
import { answerCgi, type CgiOutput, cgiContentLength, cgiRefusal, cgiRequest, checkCgiPath, PushedBody } from 'dovetailjs/server-kit'
import { parseCgiResponse } from '../../support/fastcgi-client.js'

// The server kit's checks every gateway shares: the path variables, the body
// against CONTENT_LENGTH, and how a refusal and a failing body are written.

describe('checkCgiPath', () => {
  it('refuses a control character or NUL in each path variable with a 400 HttpError naming the variable', () => {
    for (const name of ['REQUEST_URI', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING']) {
      for (const c of ['\0', '\t', '\n', '\r', '\x1f', '\x7f']) {
        const attempt = () => checkCgiPath([[name, `/a${c}b`]])
        expect(attempt).toThrow(HttpError)
        expect(attempt).toThrow(expect.objectContaining({ status: 400, code: 'DOVETAIL_ERR_SERVER_CONTROL_CHARACTER', message: expect.stringContaining(name) }))
      }
    }
  })

  it('lets through percent-encoded controls, other characters and the variables that are not the path', () => {
    expect(() => checkCgiPath([['REQUEST_URI', '/a%00b%0A?q=%7F'], ['PATH_INFO', '/é\u0085 '], ['HTTP_X_A', 'a\tb'], ['REMOTE_USER', '\n']])).not.toThrow()
  })

  it('is what cgiRequest runs first', () => {
    expect(() => cgiRequest([['REQUEST_URI', '/a\tb'], ['SERVER_NAME', 'x.test']], { body: null })).toThrow(expect.objectContaining({ code: 'DOVETAIL_ERR_SERVER_CONTROL_CHARACTER' }))
  })
})

describe('cgiContentLength', () => {
  it('refuses two CONTENT_LENGTH that disagree, and takes two that agree', () => {
    expect(() => cgiContentLength([['CONTENT_LENGTH', '5'], ['CONTENT_LENGTH', '6']])).toThrow(TypeError)
    expect(cgiContentLength([['CONTENT_LENGTH', '5'], ['CONTENT_LENGTH', '5']])).toBe(5)
  })
})

describe('PushedBody with a declared length', () => {
  const body = (length: number) => new PushedBody({ maxBodySize: 1000, limitName: 'test option maxBodySize', length, resume: () => {} })
  const code = { status: 400, code: 'DOVETAIL_ERR_SERVER_BODY_LENGTH' }

  it('fails the read with a 400 when the body ends short of it', async () => {
    const short = body(5)
    short.push(Buffer.from('abc'))
    short.end()
    await expect(new Response(short.stream).text()).rejects.toMatchObject(code)
  })

  it('fails the read with a 400 when the body runs past it', async () => {
    const long = body(3)
    long.push(Buffer.from('ab'))
    long.push(Buffer.from('cd'))
    long.end()
    await expect(new Response(long.stream).text()).rejects.toMatchObject(code)
  })

  it('reads a body of exactly that length', async () => {
    const exact = body(3)
    exact.push(Buffer.from('abc'))
    exact.end()
    expect(await new Response(exact.stream).text()).toBe('abc')
  })
})

describe('cgiRefusal', () => {
  it('answers an HttpError with its status, message and code, anything else with 400', () => {
    let error: unknown
    try {
      checkCgiPath([['PATH_INFO', '\n']])
    } catch (e) {
      error = e
    }
    const refused = parseCgiResponse(cgiRefusal(error))
    expect(refused.status).toBe(400)
    expect(refused.body.toString()).toMatch(/PATH_INFO .*\(DOVETAIL_ERR_SERVER_CONTROL_CHARACTER\)$/)
    const malformed = parseCgiResponse(cgiRefusal(new TypeError('CONTENT_LENGTH is not a byte count')))
    expect(malformed.status).toBe(400)
    expect(malformed.body.toString()).toContain('CONTENT_LENGTH is not a byte count')
  })
})

describe('answerCgi with a body that fails', () => {
  /** A stream of `chunks` that then fails. */
  const failing = (chunks: string[]) =>
    new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift()
          if (next === undefined) return controller.error(new Error('the body source went away'))
          controller.enqueue(new TextEncoder().encode(next))
        },
      }),
    )
  async function answer(response: Response, holdHead: boolean) {
    const written: Buffer[] = []
    const out: CgiOutput = { write: (bytes) => void written.push(Buffer.from(bytes)), gone: false, onGone: () => () => {} }
    const errors: string[] = []
    const done = answerCgi(() => response, new Request('http://x.test/'), out, (_error, message) => void errors.push(message), { holdHead })
    const settled = await done.then(() => 'resolved', () => 'rejected')
    return { settled, written: Buffer.concat(written), errors }
  }

  it('with holdHead, before its first chunk: a bare 500 and nothing of the app\'s head', async () => {
    const { settled, written, errors } = await answer(failing([]), true)
    expect(settled).toBe('resolved')
    expect(parseCgiResponse(written)).toMatchObject({ status: 500 })
    expect(written.toString()).not.toContain('200')
    expect(errors).toEqual(['the response body failed before its first byte; answered 500 instead'])
  })

  it('with holdHead, after its first chunk: the head and chunk went out, and it rejects (the caller cuts or exits non-zero)', async () => {
    const { settled, written } = await answer(failing(['first']), true)
    expect(settled).toBe('rejected')
    expect(parseCgiResponse(written)).toMatchObject({ status: 200 })
    expect(parseCgiResponse(written).body.toString()).toBe('first')
  })

  it('without holdHead, the head goes out at once, and a failure before any chunk rejects', async () => {
    const { settled, written } = await answer(failing([]), false)
    expect(settled).toBe('rejected')
    expect(parseCgiResponse(written).status).toBe(200)
  })
})

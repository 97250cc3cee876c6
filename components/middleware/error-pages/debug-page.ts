import { DovetailError, errorOrigin, HttpError, type ErrorDetails } from '../../../core/index.js'
import { escapeText, page } from './html.js'
import { displayHeaders } from './request-data.js'
import { parseStack, sourceContext, type StackFrame } from './stack-frames.js'

export interface DebugPageOptions {
  contextLines: number
  appRoot: string
  redactHeaders: readonly string[]
  requestId: string | undefined
}

const style =
  'body{font:14px/1.45 system-ui,sans-serif;color:#1d1d1f;margin:0;background:#fff}' +
  'header{background:#8b1a1a;color:#fff;padding:1.2rem 1.5rem}header h1{margin:0;font-size:1.35rem;word-break:break-word}' +
  'header p{margin:.3rem 0 0;opacity:.9}section{padding:.8rem 1.5rem}h2{font-size:1.05rem;margin:1rem 0 .5rem;border-bottom:1px solid #ddd}' +
  '.frame{margin:.6rem 0}.frame .where{font-family:ui-monospace,monospace;font-size:13px}.fn{font-weight:600}.lib{color:#777}' +
  'pre{background:#f6f6f6;margin:.3rem 0;padding:.4rem 0;overflow-x:auto;font:12.5px/1.5 ui-monospace,monospace;border-radius:4px}' +
  'pre span{display:block;padding:0 .8rem;white-space:pre}pre span.hit{background:#ffe3e3;font-weight:600}pre i{display:inline-block;width:3.5em;color:#999;font-style:normal;user-select:none}' +
  'table{border-collapse:collapse;font-family:ui-monospace,monospace;font-size:12.5px}td{padding:.15rem .8rem .15rem 0;vertical-align:top;word-break:break-all}td:first-child{color:#555;white-space:nowrap}' +
  'details summary{cursor:pointer;color:#555}footer{padding:1rem 1.5rem;color:#777;font-size:12.5px;border-top:1px solid #ddd}'

/**
 * The development page for an uncaught error, in the tradition of cgitb and
 * WebError: what was thrown and where (including the middleware component, when
 * the error came out of one), each app frame with the source around it, the
 * cause chain, and the request with its credentials redacted.
 */
export function debugPage(d: ErrorDetails, o: DebugPageOptions): { html: string; csp: string } {
  const error = d.error
  const sources = new Map<string, string[] | undefined>()
  const name = error instanceof Error ? error.name : typeof error
  const message = error instanceof Error ? error.message : safeString(error)
  const facts: string[] = [`${d.status} ${escapeText(d.code)}`]
  const origin = errorOrigin(error)
  if (origin) facts.push(`thrown in the middleware component <b>${escapeText(origin)}</b>`)
  if (error instanceof DovetailError || error instanceof HttpError) facts.push(`code <b>${escapeText(error.code)}</b>`)
  if (o.requestId) facts.push(`request id ${escapeText(o.requestId)}`)

  const body = [
    `<header><h1>${escapeText(name)}: ${escapeText(message)}</h1><p>${facts.join(' · ')}</p></header>`,
    `<section><h2>Traceback <small>(most recent call first)</small></h2>${traceback(error, o, sources)}</section>`,
    ...causes(error).map(
      (cause, i) =>
        `<section><h2>Caused by${i ? ` (${i + 1})` : ''}: ${escapeText(cause instanceof Error ? `${cause.name}: ${cause.message}` : safeString(cause))}</h2>${traceback(cause, o, sources)}</section>`,
    ),
    `<section><h2>Request</h2>${table([
      ['method', d.request.method],
      ['url', d.request.url],
      ...(o.requestId ? ([['request id', o.requestId]] as Array<[string, string]>) : []),
    ])}<h2>Headers</h2>${table(displayHeaders(d.request.headers, o.redactHeaders))}</section>`,
    `<footer>You see this page because the app runs in the <b>${escapeText(d.environment)}</b> environment. In production, visitors get a plain page with the request id and none of these details.</footer>`,
  ]
  return page(`${d.status} ${name}: ${message}`, style, body.join('\n'))
}

function traceback(error: unknown, o: DebugPageOptions, sources: Map<string, string[] | undefined>): string {
  const frames = parseStack(error instanceof Error ? error.stack : undefined, o.appRoot)
  if (!frames.length) return '<p>No stack trace.</p>'
  const parts: string[] = []
  let hidden: StackFrame[] = []
  const flush = () => {
    if (!hidden.length) return
    parts.push(`<details><summary>${hidden.length} frame${hidden.length > 1 ? 's' : ''} in Dovetail, libraries or node</summary>${hidden.map((f) => frameLine(f)).join('')}</details>`)
    hidden = []
  }
  for (const frame of frames) {
    if (!frame.app) {
      hidden.push(frame)
      continue
    }
    flush()
    const context = sourceContext(frame, o.contextLines, sources)
    const code = context
      ? `<pre>${context.lines
          .map((text, i) => {
            const n = context.start + i
            return `<span${n === frame.line ? ' class="hit"' : ''}><i>${n}</i>${escapeText(text)}</span>`
          })
          .join('')}</pre>`
      : ''
    parts.push(frameLine(frame, code))
  }
  flush()
  return parts.join('')
}

function frameLine(f: StackFrame, code = ''): string {
  return `<div class="frame${f.app ? '' : ' lib'}"><div class="where"><span class="fn">${escapeText(f.fn)}</span> — ${escapeText(f.file)}:${f.line}:${f.column}</div>${code}</div>`
}

function table(rows: Array<[string, string]>): string {
  return `<table>${rows.map(([k, v]) => `<tr><td>${escapeText(k)}</td><td>${escapeText(v)}</td></tr>`).join('')}</table>`
}

/** The `cause` chain, at most five deep (a cycle would otherwise never end). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = []
  let current = error instanceof Error ? error.cause : undefined
  while (current !== undefined && chain.length < 5 && !chain.includes(current)) {
    chain.push(current)
    current = current instanceof Error ? current.cause : undefined
  }
  return chain
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

import { type ChildProcess, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Component, createApp, type FetchHandler, type ListeningServer, Logger, Server } from 'dovetailjs'
import { binaryPath } from './binaries.js'
import { recordingLogger } from './recording-logger.js'

/** A web server started for a test, in its own temporary folder, stopped by the test. */
export interface FrontServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  /** The temporary folder holding its config, pid file, logs and temp files. */
  dir: string
  /** Its error log so far (to show when a test fails). */
  errorLog(): string
  stop(): Promise<void>
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * Start nginx in the foreground with its own config, pid file, logs and temp
 * folders under a new temporary folder, on a free loopback port. `http` is
 * the content of the `http { }` block, given the port to listen on; the
 * Debian `fastcgi_params` and `scgi_params` files are beside the config, so
 * `include fastcgi_params;` works as it does in /etc/nginx.
 */
export async function startNginx(http: (port: number) => string): Promise<FrontServer> {
  const nginx = binaryPath('nginx')
  if (!nginx) throw new Error('nginx is not installed (apt-get install -y nginx-light)')
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-nginx-'))
  for (const file of ['fastcgi_params', 'scgi_params']) copyFileSync(join('/etc/nginx', file), join(dir, file))
  const port = await freePort()
  const temp = (name: string) => {
    mkdirSync(join(dir, name))
    return join(dir, name)
  }
  const conf = `
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  scgi_temp_path ${temp('scgi')};
  uwsgi_temp_path ${temp('uwsgi')};
${http(port)}
}
`
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const child = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] })
  return running(child, dir, port, join(dir, 'error.log'), 'SIGQUIT')
}

/**
 * Start lighttpd in the foreground (`-D`) on a free loopback port, with its
 * document root at `<dir>/root` and its error log in the temporary folder.
 * `config` is added after those settings, given the folder.
 */
export async function startLighttpd(config: (dir: string) => string): Promise<FrontServer> {
  const lighttpd = binaryPath('lighttpd')
  if (!lighttpd) throw new Error('lighttpd is not installed (apt-get install -y lighttpd)')
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-lighttpd-'))
  mkdirSync(join(dir, 'root'))
  mkdirSync(join(dir, 'uploads'))
  const port = await freePort()
  const conf = `
server.document-root = "${dir}/root"
server.bind = "127.0.0.1"
server.port = ${port}
server.errorlog = "${dir}/error.log"
server.upload-dirs = ( "${dir}/uploads" )
${config(dir)}
`
  writeFileSync(join(dir, 'lighttpd.conf'), conf)
  const child = spawn(lighttpd, ['-D', '-f', join(dir, 'lighttpd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] })
  return running(child, dir, port, join(dir, 'error.log'), 'SIGTERM')
}

async function running(child: ChildProcess, dir: string, port: number, logFile: string, stopSignal: NodeJS.Signals): Promise<FrontServer> {
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const errorLog = () => `${stderr}${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(stopSignal)
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  for (let waited = 0; ; waited += 25) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = errorLog()
      await stop()
      throw new Error(`the web server exited (${child.exitCode ?? child.signalCode}) before listening:\n${log}`)
    }
    if (await accepts(port)) break
    if (waited > 10_000) {
      const log = errorLog()
      await stop()
      throw new Error(`the web server did not listen on port ${port} within 10 s:\n${log}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return { url: `http://127.0.0.1:${port}`, port, dir, errorLog, stop }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * A file from docs/examples/ (`deployment/nginx-proxy.conf`, say), with the
 * addresses replaced for the test. Fails when a string to replace is not in
 * the file, so the documented config and the tested one cannot drift apart.
 */
export function exampleSnippet(file: string, replacements: Record<string, string>): string {
  let text = readFileSync(new URL(`../../docs/examples/${file}`, import.meta.url), 'utf8')
  for (const [from, to] of Object.entries(replacements)) {
    if (!text.includes(from)) throw new Error(`docs/examples/${file} no longer contains ${JSON.stringify(from)}; update the test`)
    text = text.replaceAll(from, to)
  }
  return text
}

/** A config file from docs/examples/deployment/, with the addresses replaced for the test (see {@link exampleSnippet}). */
export const deploymentSnippet = (file: string, replacements: Record<string, string>): string => exampleSnippet(`deployment/${file}`, replacements)

/** Established TCP connections whose local port is `port` (from /proc/net/tcp): how many connections a server holds. */
export function establishedConnections(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  let count = 0
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    if (fields[1]?.endsWith(`:${hex}`) && fields[3] === '01') count++
  }
  return count
}

/**
 * A server component as an app gets it (options validated, the `Server` from
 * the container, a recording logger), listening for `handler` on a free port,
 * with nginx in front running one of docs/examples/deployment's configs.
 * `upstream` gives the config's replacements once the adapter's port is known
 * (`listen 80;` is replaced here). `close()` closes the adapter gracefully,
 * then nginx, then the app.
 *
 * @example
 * const served = await adapterBehindNginx(scgi(), handler, 'nginx-scgi.conf', (l) => ({ 'scgi_pass 127.0.0.1:4000;': `scgi_pass 127.0.0.1:${l.port};` }))
 */
export async function adapterBehindNginx(
  server: Component,
  handler: FetchHandler,
  config: string,
  upstream: (listening: ListeningServer) => Record<string, string>,
): Promise<{ url: string; listening: ListeningServer; close(): Promise<void> }> {
  const app = await createApp({ environment: 'test', components: { server }, register: (c) => c.value(Logger, recordingLogger()) })
  const listening = await app.resolve(Server).listen(handler, { port: 0, host: '127.0.0.1' })
  const nginx = await startNginx((port) => deploymentSnippet(config, { 'listen 80;': `listen 127.0.0.1:${port};`, ...upstream(listening) })).catch(async (error) => {
    await listening.close()
    await app.close()
    throw error
  })
  return {
    url: nginx.url,
    listening,
    close: async () => {
      try {
        await listening.close()
      } finally {
        await nginx.stop()
        await app.close()
      }
    },
  }
}

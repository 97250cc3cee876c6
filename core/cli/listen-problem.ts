import { problemLine } from './problem-line.js'

/**
 * A listen failure said with its fix: a port in use (the commonest, when an
 * earlier start still runs), a port that needs privileges, an address not on
 * this machine; anything else as its message.
 *
 * @example
 * listenProblem(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 3000, address: '127.0.0.1' }))
 * // 'Port 3000 on 127.0.0.1 is already in use: …'
 */
export function listenProblem(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { port?: number; address?: string }
  const where = `${e.port !== undefined ? `port ${e.port}` : 'the address'}${e.address ? ` on ${e.address}` : ''}`
  switch (e.code) {
    case 'EADDRINUSE':
      return (
        `${capitalize(where)} is already in use: another process listens there (an app still running? \`lsof -i :${e.port ?? '<port>'}\` names it). ` +
        `Stop it, or listen on another port: --port ${e.port === undefined ? '<n>' : e.port + 1}, or PORT=${e.port === undefined ? '<n>' : e.port + 1}.`
      )
    case 'EACCES':
      return `${capitalize(where)} needs privileges this process does not have (ports below 1024 do). Listen on a port above 1024 (--port 3000) and put a proxy in front, or grant the capability (setcap cap_net_bind_service).`
    case 'EADDRNOTAVAIL':
      return `${e.address ?? 'The address'} is not an address of this machine. Listen on one it has: --host 127.0.0.1, or --host 0.0.0.0 for every interface.`
    default:
      return `Could not listen: ${problemLine(error)}`
  }
}

const capitalize = (text: string) => text[0]!.toUpperCase() + text.slice(1)

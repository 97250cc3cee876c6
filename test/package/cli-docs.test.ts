/**
 * docs/cli.md's console sessions, run as users run them: `npx dovetailjs …`
 * is the packed tarball's bin (`npx --package <tgz> dovetail …`), `npx
 * dovetail …` in a generated project is that project's own, installed from the
 * tarball. A session does not show `npm install`: the first command run in a
 * project that has no node_modules installs it first. Each command's output
 * (stdout, then stderr) must be what the page shows, with migration timestamps
 * and the app's JSON log lines (pino's, on stdout) left out.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { npm, packedTarball, userEnv } from '../support/tarball.js'

const run = promisify(execFile)
const page = fileURLToPath(new URL('../../docs/cli.md', import.meta.url))

let temp: string
let tarball: string

beforeAll(async () => {
  tarball = await packedTarball()
  temp = mkdtempSync(join(tmpdir(), 'dovetail-cli-docs-'))
}, 300_000)

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true })
})

/** The folder at or above `dir` with a package.json: the project a command runs in. */
const projectOf = (dir: string): string | undefined => {
  for (let at = dir; at.startsWith(temp); at = dirname(at)) if (existsSync(join(at, 'package.json'))) return at
  return undefined
}

/** What the reader compares: no timestamps in migration names, no JSON log lines. */
const normalize = (text: string): string =>
  text
    .split('\n')
    .filter((line) => !line.startsWith('{"level":'))
    .join('\n')
    .replace(/Migration\d{14}_/g, 'Migration<time>_')
    .trimEnd()

describe('docs/cli.md', () => {
  it('shows what the commands print', async () => {
    const sessions = [...readFileSync(page, 'utf8').matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(sessions.length).toBeGreaterThanOrEqual(4)
    const docs = join(temp, 'docs')
    mkdirSync(docs)
    for (const session of sessions) {
      let cwd = docs
      for (const step of session.split(/^\$ /m).filter(Boolean)) {
        const [command, ...expected] = step.split('\n')
        const words = command!.trim().split(/\s+/)
        if (words[0] === 'cd') {
          cwd = resolve(cwd, words[1]!)
          continue
        }
        const via = words.slice(0, 2).join(' ')
        expect(['npx dovetail', 'npx dovetailjs'], command).toContain(via)
        let argv: string[]
        if (via === 'npx dovetailjs') argv = ['--yes', '--package', tarball, 'dovetail', ...words.slice(2)]
        else {
          const project = projectOf(cwd)
          if (project && !existsSync(join(project, 'node_modules'))) await npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], project)
          argv = ['--no-install', 'dovetail', ...words.slice(2)]
        }
        const result = await run('npx', argv, { cwd, env: userEnv() }).then(
          ({ stdout, stderr }) => ({ stdout, stderr }),
          (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
        )
        expect(normalize([result.stdout, result.stderr].filter(Boolean).join('')), command).toBe(normalize(expected.join('\n')))
      }
    }
  }, 600_000)
})

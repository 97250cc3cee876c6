import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/*
 * The typing of route handlers, checked by the TypeScript compiler. types/typed-routes.ts is part of the
 * project's typecheck, its @ts-expect-error lines asserting what is refused; here each fixture is compiled
 * with the project's options, so this suite fails too when the fixtures stop compiling as they should.
 */

const root = fileURLToPath(new URL('../../', import.meta.url))
const fixture = (name: string) => fileURLToPath(new URL(`./types/${name}`, import.meta.url))

function diagnostics(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!
  const program = ts.createProgram([file], { ...config.options, noEmit: true })
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? `${d.file.fileName.slice(root.length)}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
}

describe('typed route handlers (tsc)', () => {
  it('compiles the fixtures whose every refused read is marked @ts-expect-error', () => {
    expect(diagnostics(fixture('typed-routes.ts'))).toEqual([])
  }, 120_000)

  it('refuses a handler that reads a body field its schema does not have', () => {
    const errors = diagnostics(fixture('must-fail.ts'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/must-fail\.ts: Property 'author' does not exist on type '\{ title: string; \}'/)
  }, 120_000)
})

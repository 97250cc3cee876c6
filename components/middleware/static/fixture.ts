import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'

export const appJs = `export const answer = 42\n${'console.log("dovetail static");\n'.repeat(60)}`
export const secret = 'TOP SECRET: do not serve'
export const mtime = new Date('2026-01-02T03:04:05Z')

/**
 * A throwaway site for the static tests, built fresh in a temp folder:
 * `<base>/public` is the root; `<base>/outside` holds what must never leak.
 */
export async function createSite(): Promise<{ base: string; root: string; cleanup: () => Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), 'dovetail-static-'))
  const root = join(base, 'public')
  const outside = join(base, 'outside')
  const files: Record<string, string | Uint8Array> = {
    'index.html': '<!doctype html><title>home</title>',
    'hello.txt': 'Hello, static!\n',
    'app.js': appJs,
    'app.js.br': brotliCompressSync(appJs),
    'app.js.gz': gzipSync(appJs),
    'site.css': 'body { color: #333 }\n',
    'site.css.gz': gzipSync('body { color: #333 }\n'),
    'digits.bin': new Uint8Array(Array.from({ length: 100 }, (_, i) => i)),
    'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
    'empty.txt': '',
    'big.txt': 'x'.repeat(1024 * 1024),
    'LICENSE': 'MIT',
    '.env': secret,
    '.git/config': secret,
    'docs/index.html': '<h1>docs</h1>',
    'docs/guide.md': '# guide',
    'no-index/readme.txt': 'no index here',
  }
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name)
    await mkdir(join(path, '..'), { recursive: true })
    await writeFile(path, content)
    await utimes(path, mtime, mtime)
  }
  await mkdir(outside, { recursive: true })
  await writeFile(join(outside, 'secret.txt'), secret)
  await writeFile(join(base, 'public-evil.txt'), secret)
  await symlink(join(root, 'hello.txt'), join(root, 'link-inside.txt'))
  await symlink(join(outside, 'secret.txt'), join(root, 'link-out.txt'))
  await symlink(outside, join(root, 'dir-link-out'))
  await symlink(join(root, '.env'), join(root, 'link-to-dotfile.txt'))
  return { base, root, cleanup: () => rm(base, { recursive: true, force: true }) }
}

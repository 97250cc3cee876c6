import { readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createApp, discover, DovetailError, slotNames, type SlotName } from 'dovetailjs'
import { loadComponent } from '../../core/config/load-component.js'
import { readPreset } from '../../core/config/resolve-config.js'
import { componentModule, fakeApp } from './fake-packages.js'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  dovetail: { components: Array<{ slot: SlotName; name: string; contract: string }>; presets: Array<{ name: string }> }
}

const failure = async (promise: Promise<unknown>): Promise<DovetailError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(Error)
  return error as DovetailError
}

const router = (name: string, contract = '^1.0') =>
  componentModule({ name, slot: 'router', contract }, `register(c) { throw new Error('${name} registered') }`)

describe('the built-ins, declared in dovetailjs package.json like any package', () => {
  const builtins = manifest.dovetail.components

  it('declares components for every slot', () => {
    expect(new Set(builtins.map((c) => c.slot))).toEqual(new Set(slotNames))
  })

  it.each(builtins.map((c) => [c.slot, c.name] as const))('%s %s loads by its short name, and its code agrees with its declaration', async (slot, name) => {
    const component = await loadComponent(slot, name, discover(repo))
    expect(component?.definition).toMatchObject({ slot, name: `${slot}/${name}`, contract: builtins.find((c) => c.slot === slot && c.name === name)!.contract })
    expect(component?.source).toEqual({ name, package: 'dovetailjs', version: expect.any(String) })
  })

  it.each(manifest.dovetail.presets.map((p) => p.name))('preset %s is JSON naming only declared components', async (name) => {
    const catalogue = discover(repo)
    const preset = await readPreset(catalogue, name)
    expect(preset.name).toBe(name)
    for (const [slot, spec] of Object.entries(preset.components)) {
      for (const one of Array.isArray(spec) ? spec : [spec]) {
        const named = typeof one === 'string' ? one : (one as { use: string }).use
        expect(catalogue.components.some((c) => c.slot === slot && c.name === named), `${name}: ${slot} ${named}`).toBe(true)
      }
    }
  })
})

describe('components of other packages', () => {
  const acme = {
    name: 'acme-router',
    version: '2.3.4',
    dovetail: { components: [{ slot: 'router', name: 'acme', entry: '.', contract: '^1.0', needs: [] }] },
    files: { 'index.js': router('acme-router') },
  }

  it('are found by short name, package name and package#name when the app depends on them', async () => {
    const root = fakeApp(['acme-router'], [acme])
    const catalogue = discover(root)
    expect(catalogue.components.filter((c) => c.slot === 'router').map((c) => `${c.package}#${c.name}`)).toEqual(['dovetailjs#radix', 'dovetailjs#object-dispatch', 'acme-router#acme'])
    for (const name of ['acme', 'acme-router', 'acme-router#acme']) {
      const component = await loadComponent('router', name, catalogue)
      expect(component?.definition.name).toBe('acme-router')
      expect(component?.source).toEqual({ name: 'acme', package: 'acme-router', version: '2.3.4' })
    }
  })

  it('are used by createApp from the app root', async () => {
    const root = fakeApp(['acme-router'], [acme])
    const error = await failure(createApp({ root, components: { router: 'acme' } }))
    // The fake router's register() throws: proof that its code was the one loaded.
    expect(error.message).toBe('acme-router registered')
  })

  it('are one package when reached through a symlink (pnpm, npm link), not two of the same name', () => {
    const root = fakeApp(['dovetailjs', 'acme-router'], [acme])
    symlinkSync(repo, join(root, 'node_modules', 'dovetailjs'), 'dir')
    const catalogue = discover(root)
    expect(catalogue.presets.filter((p) => p.name === 'api')).toHaveLength(1)
    expect(catalogue.components.filter((c) => c.slot === 'router').map((c) => `${c.package}#${c.name}`)).toEqual(['dovetailjs#radix', 'dovetailjs#object-dispatch', 'acme-router#acme'])
  })

  it('are not found when the app does not list them, even if installed', async () => {
    const root = fakeApp([], [acme])
    const error = await failure(createApp({ root, components: { router: 'acme' } }))
    expect(error).toMatchObject({ code: 'DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT' })
    expect(error.message).toContain('Installed router components: radix (dovetailjs), object-dispatch (dovetailjs).')
  })

  it('with a name two packages declare for one slot, must be named package#name', async () => {
    const other = { ...acme, name: 'other-router', files: { 'index.js': router('other-router') } }
    const root = fakeApp(['acme-router', 'other-router'], [acme, other])
    const error = await failure(createApp({ root, components: { router: 'acme' } }))
    expect(error).toMatchObject({ code: 'DOVETAIL_ERR_CONFIG_AMBIGUOUS_COMPONENT' })
    expect(error.message).toContain('acme-router#acme, other-router#acme')
    const chosen = await loadComponent('router', 'other-router#acme', discover(root))
    expect(chosen?.definition.name).toBe('other-router')
  })

  it('whose contract range excludes the core are refused at startup, naming component, range and core version', async () => {
    const future = { ...acme, dovetail: { components: [{ ...acme.dovetail.components[0], contract: '^2.0' }] }, files: { 'index.js': router('acme-router', '^2.0') } }
    const root = fakeApp(['acme-router'], [future])
    const error = await failure(createApp({ root, components: { router: 'acme' } }))
    expect(error).toMatchObject({ code: 'DOVETAIL_ERR_COMPONENT_CONTRACT_MISMATCH' })
    expect(error.message).toContain("Component 'acme-router' implements the router contract ^2.0, but this core (dovetailjs) provides router contract 1.2.0")
  })

  it('whose declaration disagrees with their code are refused, naming both', async () => {
    const lying = { ...acme, files: { 'index.js': router('acme-router', '^2.0') } }
    const error = await failure(loadComponent('router', 'acme', discover(fakeApp(['acme-router'], [lying]))))
    expect(error).toMatchObject({ code: 'DOVETAIL_ERR_COMPONENT_DECLARATION' })
    expect(error.message).toContain('declared in package.json for slot router, contract ^1.0, but its code says slot router, contract ^2.0')
  })

  it('with a malformed declaration fail discovery, naming the package and the field', () => {
    const bad = { ...acme, dovetail: { components: [{ slot: 'routr', name: 'Acme', entry: 'index.js', contract: '^1.0' }] } }
    let error: DovetailError | undefined
    try {
      discover(fakeApp(['acme-router'], [bad]))
    } catch (e) {
      error = e as DovetailError
    }
    expect(error).toMatchObject({ code: 'DOVETAIL_ERR_COMPONENT_DECLARATION' })
    expect(error!.message).toContain("acme-router's package.json")
    for (const field of ['dovetail.components.0.slot', 'dovetail.components.0.name', 'dovetail.components.0.entry']) expect(error!.message).toContain(field)
  })

  it('with a contract range that is not semver fail discovery', () => {
    const bad = { ...acme, dovetail: { components: [{ ...acme.dovetail.components[0], contract: 'one' }] } }
    expect(() => discover(fakeApp(['acme-router'], [bad]))).toThrow(/acme-router's package.json \(component router\/acme\) declares the contract range "one"/)
  })

  it('whose declared needs are not installed are refused before their code is imported, naming every one with its range', async () => {
    const needy = {
      ...acme,
      peerDependencies: { 'acme-router-engine': '^2.1.0' },
      dovetail: { components: [{ ...acme.dovetail.components[0], needs: ['acme-router-engine', 'acme-router-cache'] }] },
      // Never imported: the check comes first.
      files: { 'index.js': "throw new Error('imported')\n" },
    }
    const error = await failure(loadComponent('router', 'acme', discover(fakeApp(['acme-router'], [needy]))))
    expect(error).toMatchObject({ code: 'DOVETAIL_ERR_COMPONENT_PACKAGE_MISSING' })
    expect(error.message).toContain('needs acme-router-engine, acme-router-cache, which are not installed. Install: npm install acme-router-engine@^2.1.0 acme-router-cache')
  })

  it('that import an undeclared package that is not installed say which and how to install it', async () => {
    const careless = { ...acme, files: { 'index.js': "import 'acme-router-engine'\nexport default null\n" } }
    const error = await failure(loadComponent('router', 'acme', discover(fakeApp(['acme-router'], [careless]))))
    expect(error).toMatchObject({ code: 'DOVETAIL_ERR_COMPONENT_PACKAGE_MISSING' })
    expect(error.message).toContain("imports 'acme-router-engine', which is not installed. Install it: npm install acme-router-engine")
  })

  it('can declare presets, named in config like the built-in ones', async () => {
    const presets = {
      name: 'acme-presets',
      dovetail: { presets: [{ name: 'tiny', file: './tiny.json' }] },
      files: { 'tiny.json': JSON.stringify({ name: 'tiny', components: { container: 'awilix', router: { use: 'radix', options: { ignoreTrailingSlash: true } } } }) },
    }
    const root = fakeApp(['acme-presets'], [presets])
    const app = await createApp({ root, preset: 'tiny', routes: (r) => r.get('/x', (ctx) => ctx.text('tiny')) })
    expect(await (await app.fetch(new Request('http://localhost/x/'))).text()).toBe('tiny')
    await app.close()
  })
})

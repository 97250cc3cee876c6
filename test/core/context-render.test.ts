import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createApp, DovetailError, defineConfig, type Context } from 'dovetailjs'
import { eta } from 'dovetailjs/components/template/eta'
import { createTestClient } from 'dovetailjs/testing'

const views = fileURLToPath(new URL('../conformance/templates/eta', import.meta.url))

// The handler reports what ctx.render threw, so the test reads the error itself rather than a 500 page.
async function renderOrReport(ctx: Context, name: string): Promise<Response> {
  try {
    return await ctx.render(name, { name: 'Ada' })
  } catch (error) {
    const e = error as DovetailError
    return Response.json({ code: e.code, message: e.message }, { status: 500 })
  }
}

describe('ctx.render', () => {
  it('without a template component, says to set components.template', async () => {
    const app = await createApp(defineConfig({ routes: (r) => r.get('/', (ctx) => renderOrReport(ctx, 'home')) }))
    const res = await createTestClient(app).get('/')
    const body = await res.json()
    expect(body.code).toBe('DOVETAIL_ERR_TEMPLATE_NO_ENGINE')
    expect(body.message).toContain('components.template')
    expect(body.message).toContain("'home'")
    await app.close()
  })

  it('refuses ctx.state.templateGlobals that is not an object of names', async () => {
    const app = await createApp(defineConfig({
      components: { template: eta({ views }) },
      routes(r) {
        r.get('/', (ctx) => {
          ctx.state.templateGlobals = 'csrf'
          return renderOrReport(ctx, 'helper')
        })
      },
    }))
    const body = await (await createTestClient(app).get('/')).json()
    expect(body.code).toBe('DOVETAIL_ERR_TEMPLATE_RENDER')
    expect(body.message).toContain('ctx.state.templateGlobals')
    await app.close()
  })

  it("the name 'eta' alone looks for ./views, and fails at startup naming the views option when there is none", async () => {
    const error = await createApp(defineConfig({ components: { template: 'eta' } })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DovetailError)
    expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect((error as DovetailError).message).toContain("option 'views'")
    expect((error as DovetailError).message).toContain(`'${join(process.cwd(), 'views')}' is not a directory`)
  })
})

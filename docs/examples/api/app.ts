import type { Writable } from 'node:stream'
import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { createApp, defineConfig, HttpError } from 'dovetailjs'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { readJson } from 'dovetailjs/components/middleware/body'
import { cors } from 'dovetailjs/components/middleware/cors'
import { Em, mikroOrm } from 'dovetailjs/components/orm/mikro-orm'

export const Todo = defineEntity({
  name: 'Todo',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    title: p.string().length(200),
    done: p.boolean().default(false),
  }),
})
export type Todo = InferEntity<typeof Todo>

export interface TodoApiOptions {
  /** @default DATABASE_URL, else ./data/app.db */
  databaseUrl?: string
  /** Where pino writes; stdout when omitted. */
  logTo?: Writable
}

/**
 * A to-do API on the api preset. The preset brings the container, router,
 * server, pino, MikroORM and the middleware; the config only fills in what is
 * this app's: its entities, the origin of its web client, its routes.
 */
export const createTodoApi = (options: TodoApiOptions = {}) =>
  createApp(
    defineConfig({
      preset: 'api',
      components: {
        ...(options.logTo ? { logger: pinoLogger({ destination: options.logTo }) } : {}),
        orm: mikroOrm({ entities: [Todo], schema: 'update', ...(options.databaseUrl ? { url: options.databaseUrl } : {}) }),
        middleware: {
          replace: { cors: cors({ origin: ['https://todo.example.com'], exposedHeaders: ['x-request-id'] }) },
        },
      },
      routes(r) {
        r.get('/todos', async (ctx) => ctx.json(await ctx.resolve(Em).find(Todo, {}, { orderBy: { id: 'asc' } })))
        r.post('/todos', async (ctx) => {
          const { title } = (await readJson(ctx)) as { title?: unknown }
          if (typeof title !== 'string' || !title.trim()) throw new HttpError(422, 'title must be a non-empty string')
          const em = ctx.resolve(Em)
          const todo = em.create(Todo, { title: title.trim() })
          await em.flush()
          return ctx.json(todo, { status: 201 })
        })
        r.get('/todos/:id', async (ctx) => {
          const todo = await ctx.resolve(Em).findOne(Todo, { id: Number(ctx.params.id) })
          if (!todo) throw new HttpError(404, `No to-do with id ${ctx.params.id}`)
          return ctx.json(todo)
        })
      },
    }),
  )

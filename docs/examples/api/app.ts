import type { Writable } from 'node:stream'
import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { createApp, defineConfig, HttpError } from 'dovetailjs'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { cors } from 'dovetailjs/components/middleware/cors'
import { Em, mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { z } from 'zod'

export const Todo = defineEntity({
  name: 'Todo',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    title: p.string().length(200),
    done: p.boolean().default(false),
  }),
})
export type Todo = InferEntity<typeof Todo>

// Each value from the request is checked before it reaches a query (docs/orm.md, "Request input"):
// in a where clause an object such as {"$ne": null} is an operator, and Number('abc') is NaN.
const NewTodo = z.strictObject({ title: z.string().trim().min(1, 'must not be empty').max(200) })
const TodoPath = z.strictObject({ id: z.coerce.number().int().min(1).max(2_147_483_647) })

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
        // The schemas run before the handler: invalid input is a 422 naming each field (docs/validation.md).
        r.post('/todos', { schemas: { body: NewTodo } }, async (ctx) => {
          const em = ctx.resolve(Em)
          const todo = em.create(Todo, { title: ctx.input.body.title })
          await em.flush()
          return ctx.json(todo, { status: 201 })
        })
        r.get('/todos/:id', { schemas: { params: TodoPath } }, async (ctx) => {
          const { id } = ctx.input.params
          const todo = await ctx.resolve(Em).findOne(Todo, { id })
          if (!todo) throw new HttpError(404, `No to-do with id ${id}`)
          return ctx.json(todo)
        })
      },
    }),
  )

import { createApp, defineConfig, token, withComponents } from 'dovetailjs'

/**
 * A singleton: the app's pool of connections (pretend ones, so the example runs
 * anywhere). One for the whole app, closed at app.close().
 */
export class Pool {
  readonly inUse = new Set<Connection>()
  closed = false
  #opened = 0

  acquire(): Connection {
    const connection = new Connection(++this.#opened, this)
    this.inUse.add(connection)
    return connection
  }

  async close(): Promise<void> {
    this.closed = true
  }
}

/** Scoped: each request borrows one connection and gives it back when the request ends. */
export class Connection {
  constructor(
    readonly id: number,
    readonly pool: Pool,
  ) {}

  async release(): Promise<void> {
    this.pool.inUse.delete(this)
  }
}

/** A plain value, under a typed token. */
export const Salutation = token<string>('Salutation')

/** Scoped too, built by constructor injection from its static `inject` list. */
export class Greetings {
  static readonly inject = [Connection, Salutation] as const
  constructor(
    readonly connection: Connection,
    readonly salutation: string,
  ) {}

  greet(name: string): string {
    return `${this.salutation}, ${name}!`
  }
}

export const config = defineConfig({
  preset: 'minimal',
  register(c) {
    c.singleton(Pool, () => new Pool(), { dispose: (pool) => pool.close() })
    c.scoped(Connection, { useFactory: (pool: Pool) => pool.acquire(), deps: [Pool] }, { dispose: (connection) => connection.release() })
    c.scoped(Greetings)
    c.value(Salutation, 'Hello')
  },
  routes(r) {
    r.get('/hello/:name', (ctx) => {
      const greetings = ctx.resolve(Greetings)
      return ctx.json({
        message: greetings.greet(ctx.params.name!),
        connection: greetings.connection.id,
        inUse: ctx.resolve(Pool).inUse.size,
      })
    })
    // Only a singleton here: this request opens no scope at all.
    r.get('/health', (ctx) => ctx.json({ inUse: ctx.resolve(Pool).inUse.size }))
  },
})

/** The same app on either built-in container. */
export const createContainerExample = (container: 'awilix' | 'inversify' = 'awilix') =>
  createApp(withComponents(config, { container }))

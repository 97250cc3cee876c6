import { type Context, createApp, defineConfig, HttpError, token, withComponents } from 'dovetailjs'

export interface Note {
  slug: string
  text: string
}

/** Where notes live; a singleton shared by every request. */
export class NoteStore {
  readonly #notes = new Map<string, Note>([['welcome', { slug: 'welcome', text: 'Hello from a controller' }]])
  find(slug: string): Note | undefined {
    return this.#notes.get(slug)
  }
  all(): Note[] {
    return [...this.#notes.values()]
  }
}

/** Who is asking, built once per request. */
export const RequestLabel = token<string>('RequestLabel')

/**
 * A controller: a class whose methods answer requests. Dovetail resolves it
 * from the container for every request, injecting what `inject` lists, so it
 * can keep per-request state in fields without leaking between requests.
 */
export class NoteController {
  static inject = [NoteStore, RequestLabel] as const
  constructor(
    private readonly notes: NoteStore,
    private readonly label: string,
  ) {}

  index(ctx: Context): Response {
    return ctx.json({ label: this.label, notes: this.notes.all().map((n) => ctx.url('note', { slug: n.slug })) })
  }

  show(ctx: Context): Response {
    const note = this.notes.find(ctx.params.slug!)
    if (!note) throw new HttpError(404, `No note named ${ctx.params.slug}`)
    return ctx.json({ label: this.label, note })
  }
}

let requests = 0

export const config = defineConfig({
  register(c) {
    c.singleton(NoteStore)
    c.scoped(RequestLabel, () => `request #${++requests}`)
    // NoteController needs no registration: a controller used in a route is registered as scoped.
  },
  routes(r) {
    r.get('/notes', [NoteController, 'index'], { name: 'notes' })
    r.get('/notes/:slug', [NoteController, 'show'], { name: 'note' })
  },
})

export const createNotesApp = (container: 'awilix' | 'inversify' = 'awilix') => createApp(withComponents(config, { container }))

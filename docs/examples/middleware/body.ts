import { join } from 'node:path'
import { createApp, defineConfig, HttpError } from 'dovetailjs'
import body, { readForm, readJson } from 'dovetailjs/components/middleware/body'

interface NewNote {
  title: string
  text?: string
}

/**
 * A small notes service: a JSON API, an HTML form, and an attachment upload
 * that keeps files under `attachmentsDir`. Temp files go to `uploadsDir`.
 */
export const createBodyApp = (dirs: { uploadsDir: string; attachmentsDir: string }) => {
  const notes: Array<NewNote & { id: number; attachment?: string }> = []
  return createApp(
    defineConfig({
      components: {
        middleware: [
          body({
            limits: { body: 64 * 1024, fileSize: 2 * 1024 * 1024, files: 1 },
            uploads: { storage: 'disk', dir: dirs.uploadsDir },
          }),
        ],
      },
      routes(r) {
        r.post('/api/notes', async (ctx) => {
          const input = await readJson<NewNote>(ctx)
          if (typeof input?.title !== 'string') throw new HttpError(422, 'A note needs a title (string).')
          const note = { id: notes.length + 1, title: input.title, text: input.text ?? '' }
          notes.push(note)
          return ctx.json(note, { status: 201 })
        })
        r.post('/notes', async (ctx) => {
          const form = await readForm(ctx)
          const note: (typeof notes)[number] = { id: notes.length + 1, title: form.fields.title ?? 'untitled' }
          const file = form.file('attachment')
          if (file) {
            // Never use the client's file name as a path: pick our own.
            note.attachment = join(dirs.attachmentsDir, `note-${note.id}`)
            await file.moveTo(note.attachment)
          }
          notes.push(note)
          return ctx.redirect(`/notes/${note.id}`, 303)
        })
        r.get('/notes/:id', (ctx) => {
          const note = notes.find((n) => n.id === Number(ctx.params.id))
          return note ? ctx.json(note) : ctx.notFound()
        })
      },
    }),
  )
}

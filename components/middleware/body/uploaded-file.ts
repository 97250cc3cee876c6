import { createReadStream } from 'node:fs'
import { copyFile, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { Readable } from 'node:stream'

/**
 * One uploaded file from a multipart form. With disk storage it lives in a temp
 * file that is deleted when the response is ready: call `moveTo` to keep it.
 * `filename` is what the client sent (without any folder part): show it, but
 * never use it as a path.
 *
 * @example
 * const photo = (await readForm(ctx)).file('photo')
 * if (photo && photo.size > 0) await photo.moveTo(join(photosDir, `${randomUUID()}.jpg`))
 */
export class UploadedFile {
  /** The form field the file came in. */
  readonly field: string
  /** The client's name for the file, without folders. May be empty or hostile. */
  readonly filename: string
  /** The client's claim about the type; check the bytes before trusting it. */
  readonly type: string
  /** Size in bytes. */
  readonly size: number
  /** The temp file (disk storage), or undefined (memory storage). */
  readonly path: string | undefined
  readonly #data: Uint8Array | undefined

  constructor(init: { field: string; filename: string; type: string; size: number; path?: string; data?: Uint8Array }) {
    this.field = init.field
    this.filename = init.filename
    this.type = init.type
    this.size = init.size
    this.path = init.path
    this.#data = init.data
  }

  /** The whole file in memory. Fine for small files; stream big ones. */
  async bytes(): Promise<Uint8Array> {
    return this.#data ?? new Uint8Array(await readFile(this.path!))
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes())
  }

  /** The file as a stream (read from disk with disk storage). */
  stream(): ReadableStream<Uint8Array> {
    const data = this.#data
    if (data) {
      return new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(data)
          controller.close()
        },
      })
    }
    return Readable.toWeb(createReadStream(this.path!)) as ReadableStream<Uint8Array>
  }

  /**
   * Keep the file: move it to `destination` (a full file path). Renames when it
   * can, copies across file systems. Call it before the handler returns.
   *
   * @example
   * await form.file('avatar')?.moveTo(join(uploadsDir, `${user.id}.png`))
   */
  async moveTo(destination: string): Promise<void> {
    if (this.#data) {
      await writeFile(destination, this.#data)
      return
    }
    try {
      await rename(this.path!, destination)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
      await copyFile(this.path!, destination)
      await rm(this.path!, { force: true })
    }
  }
}

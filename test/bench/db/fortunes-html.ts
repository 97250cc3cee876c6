/** The exact /fortunes page, built by hand from the fixture: what every server's template must produce. */
import { escapeHtml } from '../../../core/index.js'
import { FORTUNES, fortunesToRender } from './world.js'

export const fortunesHtml = (): string =>
  '<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>' +
  fortunesToRender(FORTUNES.map((message, i) => ({ id: i + 1, message })))
    .map((f) => `<tr><td>${f.id}</td><td>${escapeHtml(f.message)}</td></tr>`)
    .join('') +
  '</table></body></html>\n'

import { expose, lookup } from 'dovetailjs/components/router/object-dispatch'
import { AccountController } from './controllers/account-controller.js'
import { PageController } from './controllers/page-controller.js'
import { SearchController } from './controllers/search-controller.js'

/**
 * One page, `/pages/<slug>/…`: what `lookup('slug', page)` leads to, with the
 * slug in `ctx.params.slug` as `/pages/:slug` puts it there.
 */
const page = {
  // GET shows the page, POST saves the edit form: one path, two names.
  index: [expose([PageController, 'show'], { name: 'page' }), expose([PageController, 'save'], { methods: ['POST'], name: 'page-save' })],
  edit: expose([PageController, 'edit'], { name: 'page-edit' }),
  history: expose([PageController, 'history'], { name: 'page-history' }),
  // `/pages/<slug>/revisions/<number>`: the segment after the key is the parameter.
  revisions: expose([PageController, 'revision'], { params: ['number'], name: 'page-revision' }),
  diff: expose([PageController, 'diff'], { name: 'page-diff' }),
}

/**
 * The wiki's routes as a controller tree for the `object-dispatch` router
 * (`createWikiConfig({ router: 'object-dispatch' })`): the same paths, names
 * and controller actions as `wikiRoutes` in app.ts, each key a path segment.
 * The controllers are the same classes, resolved for each request.
 */
export const wikiRoot = {
  index: expose([PageController, 'front'], { name: 'home' }),
  pages: {
    index: [expose([PageController, 'list'], { name: 'pages' }), expose([PageController, 'create'], { methods: ['POST'], name: 'page-create' })],
    _lookup: lookup('slug', page),
  },
  new: expose([PageController, 'new'], { name: 'page-new' }),
  search: expose([SearchController, 'search'], { name: 'search' }),
  changes: expose([SearchController, 'changes'], { name: 'changes' }),
  login: expose({ get: [AccountController, 'loginForm'], post: [AccountController, 'login'] }, { name: 'login' }),
  logout: expose([AccountController, 'logout'], { methods: ['POST'], name: 'logout' }),
}

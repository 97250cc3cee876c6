import { templateExtensions, traitsOf, type ProjectChoices } from './choices.js'

/** A generated file: its path in the project and its text. */
export interface ProjectFile {
  path: string
  content: string
}

const head = (title: string, stylesheet: boolean): string => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>${stylesheet ? '\n  <link rel="stylesheet" href="/static/style.css">' : ''}
</head>
<body>
<main>`

const foot = `</main>
</body>
</html>
`

/** eta: the page sets its layout, and the layout prints the page as `it.body`. */
const etaViews = (fullstack: boolean): Record<string, string> => ({
  layout: `${head('<%= it.title %>', fullstack)}
<%~ it.body %>
${foot}`,
  index: fullstack
    ? `<% layout('layout') %>
<h1><%= it.title %></h1>
<% if (it.error) { %><p class="error" role="alert"><%= it.error %></p><% } %>
<form method="post" action="<%= url('notes') %>">
  <%= csrfField() %>
  <label for="text">A note</label>
  <input id="text" name="text" maxlength="500" required autofocus>
  <button type="submit">Add</button>
</form>
<ul>
<% for (const note of it.notes) { %>
  <li><%= note.text %></li>
<% } %>
</ul>
`
    : `<% layout('layout') %>
<h1><%= it.title %></h1>
<p>This page is views/index.eta, rendered by the template component.</p>
`,
})

/** nunjucks: the page extends the layout and fills its block. */
const nunjucksViews = (fullstack: boolean): Record<string, string> => ({
  layout: `${head('{{ title }}', fullstack)}
{% block content %}{% endblock %}
${foot}`,
  index: fullstack
    ? `{% extends "layout" %}
{% block content %}
<h1>{{ title }}</h1>
{% if error %}<p class="error" role="alert">{{ error }}</p>{% endif %}
<form method="post" action="{{ url('notes') }}">
  {{ csrfField() }}
  <label for="text">A note</label>
  <input id="text" name="text" maxlength="500" required autofocus>
  <button type="submit">Add</button>
</form>
<ul>
{% for note in notes %}
  <li>{{ note.text }}</li>
{% endfor %}
</ul>
{% endblock %}
`
    : `{% extends "layout" %}
{% block content %}
<h1>{{ title }}</h1>
<p>This page is views/index.njk, rendered by the template component.</p>
{% endblock %}
`,
})

const stylesheet = `body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
form { display: flex; gap: 0.5rem; align-items: center; }
input[name="text"] { flex: 1; }
.error { color: #a40000; }
`

/**
 * The views (a layout and the home page) in the chosen engine's syntax, and
 * for fullstack the stylesheet its static middleware serves.
 *
 * @example
 * viewFiles({ template: 'nunjucks', preset: 'minimal', ... }).map((f) => f.path) // ['views/layout.njk', 'views/index.njk']
 */
export function viewFiles(choices: ProjectChoices): ProjectFile[] {
  const { template } = choices
  if (!template) return []
  const { fullstack } = traitsOf(choices)
  const views = template === 'nunjucks' ? nunjucksViews(fullstack) : etaViews(fullstack)
  const files = Object.entries(views).map(([name, content]) => ({ path: `views/${name}${templateExtensions[template]}`, content }))
  return fullstack ? [...files, { path: 'public/style.css', content: stylesheet }] : files
}

/**
 * `{{name}}` placeholders in scaffold files: a word in double braces with no
 * spaces inside. Template engines that use braces too (nunjucks, handlebars)
 * accept `{{ title }}` with spaces, which is left alone.
 */
const placeholder = /\{\{([A-Za-z][\w-]*)\}\}/g

/**
 * Replace every placeholder in `text` by its value. An unknown one is the
 * scaffold's author's mistake, so it fails, naming where it is and what is known.
 *
 * @example
 * fill('Hello {{name}}', { name: 'shop' }, 'README.md') // 'Hello shop'
 */
export function fill(text: string, values: Readonly<Record<string, string>>, where: string): string {
  return text.replace(placeholder, (_match, key: string) => {
    const value = values[key]
    if (value !== undefined) return value
    throw new Error(`${where} has the placeholder {{${key}}}, which this project has no value for. Placeholders: ${Object.keys(values).sort().join(', ')}.`)
  })
}

import { UsageError } from '../usage-error.js'

/** The spellings of one resource name that generated code needs. */
export interface ResourceNames {
  /** `BlogPost`: the entity, and the class-like names. */
  Singular: string
  /** `blogPost` */
  singular: string
  /** `blogPosts`: variables, and the route function's prefix (`blogPostRoutes` uses the singular). */
  plural: string
  /** `blog-posts`: the file and the URL path. */
  pluralKebab: string
  /** `blog_posts`: the migration's name. */
  pluralSnake: string
  /** `blog_post`: the table, as MikroORM names an entity `BlogPost`'s. */
  table: string
  /** `blog post`, `blog posts`: for sentences and headings. */
  words: string
  pluralWords: string
}

/**
 * The names of a resource from what the user typed (`book`, `blog-post`,
 * `BlogPost`, `blog_post`), with an English plural made by rule (books,
 * categories, boxes) unless given.
 *
 * @example
 * resourceNames('blog-post').plural // 'blogPosts'
 */
export function resourceNames(name: string, plural?: string): ResourceNames {
  const words = wordsOf(name, 'name')
  const pluralWords = plural === undefined ? [...words.slice(0, -1), pluralOf(words.at(-1)!)] : wordsOf(plural, '--plural')
  const pascal = (w: string[]) => w.map((x) => x[0]!.toUpperCase() + x.slice(1)).join('')
  const camel = (w: string[]) => w[0]! + pascal(w.slice(1))
  return {
    Singular: pascal(words),
    singular: camel(words),
    plural: camel(pluralWords),
    pluralKebab: pluralWords.join('-'),
    pluralSnake: pluralWords.join('_'),
    table: words.join('_'),
    words: words.join(' '),
    pluralWords: pluralWords.join(' '),
  }
}

function wordsOf(text: string, what: string): string[] {
  if (!/^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*$/.test(text)) {
    throw new UsageError(`The ${what} '${text}' is not a name: use letters and digits, words joined by - or _ (book, blog-post).`)
  }
  return text
    .split(/[-_]|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
}

/** The common English plural rules; a name they get wrong takes --plural. */
function pluralOf(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`
  if (/(?:s|x|z|ch|sh)$/.test(word)) return `${word}es`
  return `${word}s`
}

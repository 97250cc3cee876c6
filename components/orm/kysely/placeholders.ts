import { CompiledQuery } from 'kysely'
import type { OrmDialect } from '../../../core/index.js'

/**
 * `Orm.execute`'s SQL, with `?` placeholders, as the database takes it:
 * PostgreSQL numbers its parameters (`$1`, `$2`), the others take `?` as it
 * is. A `?` inside a quoted string or identifier, or a comment, is text, not
 * a placeholder; `??` stands for a literal `?` (PostgreSQL's JSON operators).
 *
 * @example
 * compileRaw('select * from t where a = ? and b = ?', [1, 'x'], 'postgresql').sql // 'select * from t where a = $1 and b = $2'
 */
export function compileRaw(sql: string, params: readonly unknown[], dialect: OrmDialect): CompiledQuery {
  if (dialect !== 'postgresql' && !sql.includes('??')) return CompiledQuery.raw(sql, [...params])
  let out = ''
  let n = 0
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!
    if (c === "'" || c === '"' || c === '`') {
      // A quoted run, with its doubled quotes, copied as it is.
      let j = i + 1
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1
      out += sql.slice(i, j + 1)
      i = j
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i)
      const j = end < 0 ? sql.length : end
      out += sql.slice(i, j)
      i = j - 1
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      const j = end < 0 ? sql.length : end + 2
      out += sql.slice(i, j)
      i = j - 1
    } else if (c === '?' && sql[i + 1] === '?') {
      out += '?'
      i++
    } else if (c === '?') {
      out += dialect === 'postgresql' ? `$${++n}` : '?'
    } else {
      out += c
    }
  }
  return CompiledQuery.raw(out, [...params])
}

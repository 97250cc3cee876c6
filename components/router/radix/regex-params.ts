import { isSafePattern } from 'redos-detector'
import { RadixUnsafeRegex } from './errors.js'

/**
 * The regular expressions of a find-my-way pattern's parameters, as written:
 * `/:id(^\d+$)/:file(^[a-z]+).:ext` gives `(^\d+$)` and `(^[a-z]+)`.
 * Found the way find-my-way finds them (a `(` right after `:name`, to its
 * matching `)`, a backslash escaping the next character), so that what is
 * checked here is what find-my-way will compile.
 */
export function regexParams(pattern: string): string[] {
  const found: string[] = []
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== ':') continue
    if (pattern[i + 1] === ':') {
      i++ // `::` is an escaped colon
      continue
    }
    let j = i + 1
    while (j < pattern.length && !'(-./'.includes(pattern[j]!)) j++
    if (pattern[j] !== '(') {
      i = j - 1
      continue
    }
    let depth = 1
    let k = j
    while (depth > 0 && ++k < pattern.length) {
      if (pattern[k] === '\\') k++
      else if (pattern[k] === ')') depth--
      else if (pattern[k] === '(') depth++
    }
    found.push(pattern.slice(j, k + 1))
    i = k
  }
  return found
}

/**
 * Refuse a route whose parameter regexes could backtrack catastrophically.
 *
 * find-my-way's own check (safe-regex2, star height) refuses `(a+)+` but lets
 * through overlapping alternation such as `(a|a)+` or `(\w|\d)+`, where a
 * 29-character parameter blocked the event loop for 37 s, and polynomial
 * ones such as `\d+\d+\d+$`. redos-detector follows every way through the
 * pattern instead; each regex is checked anchored, as find-my-way runs it
 * (`^…$` around the segment), so `^(\d+)-(\d+)$`-style patterns pass.
 * `steps` bounds the analysis: a regex not proven safe within it is refused
 * (deterministic, unlike a time budget, so a busy machine cannot change the
 * verdict).
 */
export function checkRegexParams(route: string, pattern: string, steps: number): void {
  for (const regex of regexParams(pattern)) {
    const anchored = `^${regex.replace(/^\(\^/, '(').replace(/\$\)$/, ')')}$`
    let verdict: ReturnType<typeof isSafePattern>
    try {
      verdict = isSafePattern(anchored, { maxSteps: steps, timeout: Number.POSITIVE_INFINITY })
    } catch (error) {
      throw RadixUnsafeRegex(`Route ${route}: the parameter regex ${regex} could not be analysed (${(error as Error).message}); use a plain :param and check it in the handler.`, { cause: error })
    }
    if (!verdict.safe) {
      const why = verdict.error === 'hitMaxSteps' ? `not proven safe within regexCheckSteps (${steps})` : 'can backtrack catastrophically (nested or overlapping repetition)'
      throw RadixUnsafeRegex(
        `Route ${route}: the parameter regex ${regex} ${why}: one request could block the server. Use a plain :param and check the value in the handler, or a regex without nested or overlapping repetition (\\d+, [a-z0-9-]+).`,
      )
    }
  }
}

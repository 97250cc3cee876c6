import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type * as TypeScript from 'typescript'

/**
 * The line of each setting in a config module's source, by key path:
 * `components.template`, `env.production.components.template`,
 * `components.middleware.append[0]`. What `dovetail info` and `dovetail
 * check` print beside a slot so the reader can go to the line that chose it.
 *
 * The module is parsed, not run, with the TypeScript compiler's parser (why
 * not a regular expression: a key path needs the nesting of the object
 * literals, which only a parser knows). TypeScript is a dev dependency of
 * every project `dovetail new` makes, and is looked up from the config's
 * folder; where it is not installed, or the config is not an object literal
 * the parser can follow (`defineConfig({ … })`, a `const` it names, or a
 * literal, default-exported), the map is empty and the caller shows key paths
 * without lines.
 *
 * @example
 * (await settingLines('/srv/app/app.ts')).get('components.template') // 9
 */
export async function settingLines(file: string): Promise<Map<string, number>> {
  const lines = new Map<string, number>()
  const ts = loadTypeScript(file)
  if (!ts) return lines
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return lines
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const root = configLiteral(ts, source)
  if (root) collect(ts, source, root, '', lines)
  return lines
}

function loadTypeScript(file: string): typeof TypeScript | undefined {
  for (const from of [file, import.meta.url]) {
    try {
      return createRequire(from)('typescript') as typeof TypeScript
    } catch {
      // Not installed where this module looks: try the next place, else go without lines.
    }
  }
  return undefined
}

/** The object literal the module exports as its config (default export, else `export const config`). */
function configLiteral(ts: typeof TypeScript, source: TypeScript.SourceFile): TypeScript.ObjectLiteralExpression | undefined {
  let exported: TypeScript.Expression | undefined
  for (const statement of source.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) exported = statement.expression
    if (exported === undefined && ts.isVariableStatement(statement) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === 'config' && d.initializer) exported = d.initializer
    }
  }
  return exported && literalOf(ts, source, exported, 0)
}

/** Follow parentheses, `as`/`satisfies`, `defineConfig(…)` and a `const` of this module to an object literal. */
function literalOf(ts: typeof TypeScript, source: TypeScript.SourceFile, node: TypeScript.Expression, depth: number): TypeScript.ObjectLiteralExpression | undefined {
  if (depth > 8) return undefined
  if (ts.isObjectLiteralExpression(node)) return node
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return literalOf(ts, source, node.expression, depth + 1)
  if (ts.isCallExpression(node)) {
    const callee = node.expression
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : ''
    const [first] = node.arguments
    return name === 'defineConfig' && first ? literalOf(ts, source, first, depth + 1) : undefined
  }
  if (ts.isIdentifier(node)) {
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement)) continue
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === node.text && d.initializer) return literalOf(ts, source, d.initializer, depth + 1)
      }
    }
  }
  return undefined
}

function collect(ts: typeof TypeScript, source: TypeScript.SourceFile, node: TypeScript.Expression, path: string, lines: Map<string, number>): void {
  const lineOf = (n: TypeScript.Node) => source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1
  const inner = unwrap(ts, node)
  if (ts.isObjectLiteralExpression(inner)) {
    for (const property of inner.properties) {
      const key = property.name && keyOf(ts, property.name)
      if (key === undefined) continue
      const at = path ? `${path}.${key}` : key
      lines.set(at, lineOf(property))
      if (ts.isPropertyAssignment(property)) collect(ts, source, property.initializer, at, lines)
    }
  } else if (ts.isArrayLiteralExpression(inner)) {
    inner.elements.forEach((element, i) => {
      lines.set(`${path}[${i}]`, lineOf(element))
      collect(ts, source, element, `${path}[${i}]`, lines)
    })
  }
}

const unwrap = (ts: typeof TypeScript, node: TypeScript.Expression): TypeScript.Expression =>
  ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) ? unwrap(ts, node.expression) : node

function keyOf(ts: typeof TypeScript, name: TypeScript.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text
  return undefined
}

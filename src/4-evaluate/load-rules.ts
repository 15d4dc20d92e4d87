// Reads every rule file of a directory and reports every problem of every file at once, each with its
// file, line, column and JSON pointer, so one run of `npm run rules:check` shows all there is to fix.
import { readdir, readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { LineCounter, parseDocument, type Document } from 'yaml'
import { ruleVersion } from './canonical.js'
import { ruleIssues } from './semantic.js'
import { schemaIssues } from './schema-check.js'
import type { Issue } from './issue.js'
import { locate, toPointer } from './yaml-position.js'
import type { RuleDef, RuleSpec } from './rule-file.js'

/** RuleFileError is one problem in a rule file; `path` is a JSON pointer such as /groups/0/rules/2/levels/red. */
export interface RuleFileError {
  file: string
  line: number
  column: number
  path: string
  message: string
}

/** LoadResult lists the valid rules, every error, and the files read. With errors, keep the old rule set. */
export interface LoadResult {
  /** the rules of the files that have no error (a file with any error contributes none) */
  rules: RuleDef[]
  errors: RuleFileError[]
  files: string[]
}

/** ParsedFile is one file's rules (with where each id sits, for the duplicate check) and its own errors. */
export interface ParsedFile {
  rules: Array<{ def: RuleDef, idError: (message: string) => RuleFileError, where: string }>
  errors: RuleFileError[]
}

const RULE_FILE = new Set(['.yaml', '.yml', '.json'])

/**
 * loadRules reads dir/*.yaml|yml|json (JSON is parsed as YAML, which gives positions for both). Only the
 * files of `dir` itself: subdirectories, such as the rule tests in rules/tests/, are never read.
 */
export async function loadRules (dir: string): Promise<LoadResult> {
  let names: string[]
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    names = entries.filter((e) => e.isFile() && RULE_FILE.has(extname(e.name))).map((e) => e.name).sort()
  } catch (err) {
    return { rules: [], files: [], errors: [fileError(dir, `cannot read rules directory: ${(err as Error).message}`)] }
  }
  // an empty rule set would silently disable every alarm: treat it as an error, never as "nothing to do"
  if (names.length === 0) return { rules: [], files: [], errors: [fileError(dir, 'no rule files (*.yaml, *.yml, *.json)')] }
  const files = names.map((n) => join(dir, n))
  const parsed = await Promise.all(files.map(async (f) => parseRuleFile(f, await readFile(f, 'utf8'))))
  const errors = parsed.flatMap((p) => p.errors)
  const dupFiles = duplicateIdErrors(parsed, errors)
  errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
  const rules = parsed
    .filter((p, i) => p.errors.length === 0 && !dupFiles.has(files[i] as string))
    .flatMap((p) => p.rules.map((r) => r.def))
  return { rules, errors, files }
}

// An id must be unique across all files: the second and later definitions are errors.
function duplicateIdErrors (parsed: ParsedFile[], errors: RuleFileError[]): Set<string> {
  const first = new Map<string, string>()
  const files = new Set<string>()
  for (const p of parsed) {
    for (const r of p.rules) {
      const prev = first.get(r.def.id)
      if (prev === undefined) { first.set(r.def.id, r.where); continue }
      const err = r.idError(`duplicate rule id "${r.def.id}" (first defined at ${prev})`)
      errors.push(err)
      files.add(err.file)
    }
  }
  return files
}

/** parseRuleFile parses and checks one file's text; `file` is only used to label errors and rules. */
export function parseRuleFile (file: string, text: string): ParsedFile {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    return {
      rules: [],
      errors: doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0])
        return { file, line, column: col, path: '', message: firstLine(e.message) }
      })
    }
  }
  const data: unknown = doc.toJS()
  const toError = (i: Issue): RuleFileError => ({ file, ...locate(doc, lines, i.path, i.atKey), path: i.path, message: i.message })
  const issues = schemaIssues(data)
  const out: ParsedFile = { rules: [], errors: [] }
  for (const { spec, group, base } of rulesOf(data)) {
    const broken = issues.some((i) => i.path === base || i.path.startsWith(base + '/'))
    if (broken) continue
    issues.push(...ruleIssues(spec, base))
    out.rules.push(ruleEntry(file, doc, lines, spec, group, base))
  }
  out.errors = issues.map(toError).sort((a, b) => a.line - b.line || a.column - b.column)
  return out
}

function ruleEntry (file: string, doc: Document, lines: LineCounter, spec: RuleSpec, group: string, base: string): ParsedFile['rules'][number] {
  const idPath = `${base}/id`
  const pos = locate(doc, lines, idPath)
  return {
    def: { ...spec, ruleVersion: ruleVersion(spec), file, group },
    idError: (message) => ({ file, ...pos, path: idPath, message }),
    where: `${file}:${pos.line}:${pos.column}`
  }
}

// Walks groups[].rules[] defensively: on a broken file the shape is not guaranteed.
function * rulesOf (data: unknown): Generator<{ spec: RuleSpec, group: string, base: string }> {
  const groups = (data as { groups?: unknown } | null)?.groups
  if (!Array.isArray(groups)) return
  for (const [g, group] of groups.entries()) {
    const rules = (group as { rules?: unknown } | null)?.rules
    if (!Array.isArray(rules)) continue
    const name = String((group as { name?: unknown }).name)
    for (const [r, spec] of rules.entries()) {
      yield { spec: spec as RuleSpec, group: name, base: toPointer(['groups', g, 'rules', r]) }
    }
  }
}

function fileError (file: string, message: string): RuleFileError {
  return { file, line: 0, column: 0, path: '', message }
}

function firstLine (text: string): string {
  return text.split('\n')[0] ?? text
}

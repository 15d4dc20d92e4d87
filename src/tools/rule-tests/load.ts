// Loading rule test files: parse the YAML, check it against the schema, then resolve each test into
// registry content, readings in time order and expectations. Errors point at file, line and column.
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { LineCounter, parseDocument, type Document } from 'yaml'
import type { ReadingRow } from '../../contract/rows.js'
import type { Point, Site } from '../../registry/types.js'
import { toPoint } from '../../registry/store.js'
import type { RuleFileError } from '../../4-evaluate/load-rules.js'
import { inputTs } from '../../4-evaluate/inputs.js'
import { toIssue } from '../../4-evaluate/schema-check.js'
import type { Issue } from '../../4-evaluate/issue.js'
import { locate, toPointer } from '../../4-evaluate/yaml-position.js'
import { durationMs } from './duration.js'
import { testFileValidator } from './schema.js'
import { parseValues, type Slot } from './series.js'
import { resolveInputs } from './inputs.js'
import type { Channel } from '../../1-ingest/video/types.js'
import type { Expected, LoadTestsResult, RuleTestCase, RuleTestFile, TestCaseSpec, TestFileSpec } from './types.js'

const TEST_FILE = /\.test\.ya?ml$/
const DEFAULT_CHECK_MS = 5_000

/**
 * loadRuleTests reads every *.test.yaml (or .test.yml) of `dir`. `rule_files` are resolved against
 * `rulesDir` (default: the parent of `dir`, since the tests live in rules/tests/). Errors carry file,
 * line, column and JSON pointer like the rule loader's; a file with any error contributes no tests.
 */
export async function loadRuleTests (dir: string, opts: { rulesDir?: string } = {}): Promise<LoadTestsResult> {
  const rulesDir = opts.rulesDir ?? dirname(resolve(dir))
  let names: string[]
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && TEST_FILE.test(e.name)).map((e) => e.name).sort()
  } catch (err) {
    return { files: [], errors: [{ file: dir, line: 0, column: 0, path: '', message: `cannot read rule tests directory: ${(err as Error).message}` }] }
  }
  const out: LoadTestsResult = { files: [], errors: [] }
  for (const name of names) {
    const file = join(dir, name)
    const parsed = parseRuleTestFile(file, await readFile(file, 'utf8'), rulesDir)
    if (parsed.errors.length > 0) out.errors.push(...parsed.errors)
    else if (parsed.file !== null) out.files.push(parsed.file)
  }
  return out
}

/** parseRuleTestFile parses and checks one test file's text. */
export function parseRuleTestFile (file: string, text: string, rulesDir: string): { file: RuleTestFile | null, errors: RuleFileError[] } {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    return {
      file: null,
      errors: doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0])
        return { file, line, column: col, path: '', message: e.message.split('\n')[0] ?? e.message }
      })
    }
  }
  const toError = (i: Issue): RuleFileError => ({ file, ...locate(doc, lines, i.path, i.atKey), path: i.path, message: i.message })
  const data: unknown = doc.toJS()
  const validate = testFileValidator()
  if (!validate(data)) {
    const seen = new Set<string>()
    const errors: RuleFileError[] = []
    for (const err of validate.errors ?? []) {
      // "anyOf" only says that no branch held; the branches' own errors say why
      if (err.keyword === 'anyOf') continue
      const e = toError(toIssue(err))
      const id = `${e.path}\u0000${e.message}`
      if (seen.has(id)) continue
      seen.add(id)
      errors.push(e)
    }
    return { file: null, errors: sortErrors(errors) }
  }
  const spec = data as TestFileSpec
  const issues: Issue[] = []
  const names = new Set<string>()
  const tests: RuleTestCase[] = []
  const fileCheck = spec.checkEvery === undefined ? DEFAULT_CHECK_MS : durationMs(spec.checkEvery)
  for (const [i, test] of spec.tests.entries()) {
    const base = toPointer(['tests', i])
    if (names.has(test.name)) issues.push({ path: `${base}/name`, message: `duplicate test name "${test.name}"` })
    names.add(test.name)
    const built = buildCase(test, base, fileCheck, issues, doc, lines)
    if (built !== null) tests.push(built)
  }
  if (issues.length > 0) return { file: null, errors: sortErrors(issues.map(toError)) }
  return { file: { file, ruleFiles: spec.rule_files.map((f) => resolve(rulesDir, f)), tests }, errors: [] }
}

function buildCase (test: TestCaseSpec, base: string, fileCheck: number, issues: Issue[], doc: Document, lines: LineCounter): RuleTestCase | null {
  const before = issues.length
  const site: Site = {
    code: test.site.code,
    name: test.site.code,
    kind: test.site.kind,
    status: test.site.status ?? 'producing',
    attributes: test.site.attributes ?? {},
    ...(test.site.approvedHeadcount === undefined ? {} : { approvedHeadcount: test.site.approvedHeadcount }),
    updatedAt: 0,
    timeline: []
  }
  const points = new Map<string, Point>()
  for (const [j, p] of (test.points ?? []).entries()) {
    if (points.has(p.pointCode)) issues.push({ path: `${base}/points/${j}/pointCode`, message: `duplicate point "${p.pointCode}"` })
    // as the registry stores it, so the catalogue's valid range applies as it does in the server
    points.set(p.pointCode, toPoint(site.code, p, 0))
  }
  const readings: ReadingRow[] = []
  for (const [j, s] of (test.series ?? []).entries()) {
    const path = `${base}/series/${j}`
    const point = points.get(s.point)
    if (point === undefined) {
      issues.push({ path: `${path}/point`, message: `unknown point "${s.point}" (not in this test's points)` })
      continue
    }
    let slots: Slot[]
    try {
      slots = parseValues(s.values)
    } catch (err) {
      issues.push({ path: `${path}/values`, message: (err as Error).message })
      continue
    }
    const every = s.every === undefined ? point.intervalS * 1000 : durationMs(s.every)
    const start = s.start === undefined ? 0 : durationMs(s.start)
    for (const [k, slot] of slots.entries()) {
      if (slot === null) continue
      const ts = start + k * every
      readings.push({ site: site.code, point: s.point, ts, value: slot.value, status: slot.status, receivedAt: ts })
    }
  }
  const channels: Channel[] = (test.channels ?? []).map((c) => ({ site: site.code, code: c.channelCode, name: c.name ?? c.channelCode, definedAt: 0 }))
  const resolved = resolveInputs(site.code, test.inputs ?? [], site.status, base, issues, new Set(channels.map((c) => c.code)))
  site.timeline = resolved.timeline
  const expect: Expected[] = []
  for (const [j, e] of test.expect.entries()) {
    if (e.point !== undefined && !points.has(e.point)) {
      issues.push({ path: `${base}/expect/${j}/point`, message: `unknown point "${e.point}" (not in this test's points)` })
    }
    if (e.point !== undefined && e.subject !== undefined) {
      issues.push({ path: `${base}/expect/${j}/subject`, message: 'give point or subject, not both' })
    }
    expect.push({
      at: durationMs(e.at),
      rule: e.rule,
      point: e.point ?? e.subject ?? null,
      level: e.level,
      ...(e.category === undefined ? {} : { category: e.category }),
      ...(e.hazard === undefined ? {} : { hazard: e.hazard })
    })
  }
  if (issues.length > before) return null
  // stable: readings of one instant keep the order of the series that wrote them
  readings.sort((a, b) => a.ts - b.ts)
  const last = Math.max(readings.at(-1)?.ts ?? 0, resolved.inputs.reduce((m, i) => Math.max(m, inputTs(i)), 0))
  return {
    name: test.name,
    line: locate(doc, lines, `${base}/name`).line,
    site,
    points: [...points.values()],
    channels,
    readings,
    inputs: resolved.inputs,
    untilMs: test.until === undefined ? last : Math.max(last, durationMs(test.until)),
    checkMs: test.checkEvery === undefined ? fileCheck : durationMs(test.checkEvery),
    expect
  }
}

function sortErrors (errors: RuleFileError[]): RuleFileError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column)
}

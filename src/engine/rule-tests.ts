// Rule unit tests, the way `promtool test rules` tests Prometheus rules: each rule file has a test file
// (rules/tests/<name>.test.yaml) of cases that feed readings to a real engine in virtual time and list
// every condition change it must emit, at what time and level. Nothing here reads the wall clock: the
// engine runs on an RxJS TestScheduler that the runner moves from reading to reading.
import { readdir, readFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import { TestScheduler } from 'rxjs/testing'
import { LineCounter, parseDocument, type Document } from 'yaml'
import type { Attributes, Category, Level, Limits, PointKind, Quantity, SiteKind, SiteStatus } from '../contract/index.js'
import type { ReadingRow } from '../ingest/types.js'
import { MemoryRegistry } from '../registry/memory.js'
import type { Point, Site } from '../registry/types.js'
import commonSchema from '../../schemas/common.json' with { type: 'json' }
import pointsSchema from '../../schemas/points.json' with { type: 'json' }
import quantitiesSchema from '../../schemas/quantities.json' with { type: 'json' }
import { createEngine } from './engine.js'
import { parseRuleFile, type RuleFileError } from './load-rules.js'
import type { RuleDef } from './rule-file.js'
import { toIssue, type Issue } from './schema-check.js'
import type { ConditionChange } from './types.js'
import { locate, toPointer } from './yaml-position.js'

/** TestPointSpec is a point definition as written in a test file (the contract's PointDefinition). */
export interface TestPointSpec {
  pointCode: string
  quantity: Quantity
  unit: string
  kind: PointKind
  intervalS: number
  location?: string
  area?: string
  item?: string
  range?: [number, number]
  limits?: Limits
  attributes?: Attributes
}

/** TestSeriesSpec is one point's readings: `values` in the notation of parseValues, one per `every`. */
export interface TestSeriesSpec {
  point: string
  values: string
  /** spacing of the values (default: the point's intervalS) */
  every?: string
  /** virtual time of the first value (default 0s) */
  start?: string
}

/** TestExpectSpec is one expected condition change; `point` is absent for a site-wide condition. */
export interface TestExpectSpec {
  at: string
  rule: string
  point?: string
  level: Level | null
  /** checked when given; the rule's own category otherwise */
  category?: Category
}

/** TestCaseSpec is one test as written. */
export interface TestCaseSpec {
  name: string
  site: { code: string, kind: SiteKind, status?: SiteStatus, attributes?: Attributes }
  points: TestPointSpec[]
  series: TestSeriesSpec[]
  /** run the clock to this virtual time (default: the last reading) */
  until?: string
  /** period of the engine's no-data check (default: the file's, else 5s) */
  checkEvery?: string
  expect: TestExpectSpec[]
}

/** TestFileSpec is a whole test file as written. */
export interface TestFileSpec {
  rule_files: string[]
  checkEvery?: string
  tests: TestCaseSpec[]
}

/** Expected is one expected change, times resolved. */
export interface Expected {
  at: number
  rule: string
  point: string | null
  level: Level | null
  category?: Category
}

/** RuleTestCase is a test ready to run: registry content, readings in time order, expectations. */
export interface RuleTestCase {
  name: string
  line: number
  site: Site
  points: Point[]
  readings: ReadingRow[]
  untilMs: number
  checkMs: number
  expect: Expected[]
}

/** RuleTestFile is one loaded test file. */
export interface RuleTestFile {
  file: string
  /** absolute paths of the rule files under test */
  ruleFiles: string[]
  tests: RuleTestCase[]
}

/** RuleTestResult is the outcome of one test: `diffs` is the readable expected/got diff when it failed. */
export interface RuleTestResult {
  file: string
  /** line of the test's name in the file */
  line: number
  name: string
  ok: boolean
  diffs: string[]
  /** engine warnings and rule health failures seen during the run (do not fail the test by themselves) */
  warnings: string[]
}

export interface LoadTestsResult {
  files: RuleTestFile[]
  errors: RuleFileError[]
}

const TEST_FILE = /\.test\.ya?ml$/
const DURATION = '^(?=\\d)(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$'
const DEFAULT_CHECK_MS = 5_000

const TEST_SCHEMA = {
  $id: 'https://minewatch.example/schemas/v1/rule-test.json',
  type: 'object',
  additionalProperties: false,
  required: ['rule_files', 'tests'],
  properties: {
    rule_files: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    checkEvery: { $ref: '#/definitions/duration' },
    tests: { type: 'array', minItems: 1, items: { $ref: '#/definitions/test' } }
  },
  definitions: {
    duration: { type: 'string', pattern: DURATION },
    code: { $ref: 'common.json#/definitions/Code' },
    test: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'site', 'points', 'series', 'expect'],
      properties: {
        name: { type: 'string', minLength: 1 },
        site: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'kind'],
          properties: {
            code: { $ref: '#/definitions/code' },
            kind: { $ref: 'common.json#/definitions/SiteKind' },
            status: { $ref: 'common.json#/definitions/SiteStatus' },
            attributes: { $ref: 'common.json#/definitions/Attributes' }
          }
        },
        points: { type: 'array', minItems: 1, items: { $ref: 'points.json#/definitions/PointDefinition' } },
        series: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['point', 'values'],
            properties: {
              point: { $ref: '#/definitions/code' },
              values: { type: ['string', 'number'] },
              every: { $ref: '#/definitions/duration' },
              start: { $ref: '#/definitions/duration' }
            }
          }
        },
        until: { $ref: '#/definitions/duration' },
        checkEvery: { $ref: '#/definitions/duration' },
        expect: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['at', 'rule', 'level'],
            properties: {
              at: { $ref: '#/definitions/duration' },
              rule: { type: 'string', minLength: 1 },
              point: { $ref: '#/definitions/code' },
              level: { anyOf: [{ $ref: 'common.json#/definitions/Level' }, { type: 'null' }] },
              category: { $ref: 'common.json#/definitions/Category' }
            }
          }
        }
      }
    }
  }
} as const

let validator: ValidateFunction | undefined

function compiled (): ValidateFunction {
  if (validator !== undefined) return validator
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, validateFormats: false })
  ajv.addSchema([commonSchema, quantitiesSchema, pointsSchema])
  validator = ajv.compile(TEST_SCHEMA)
  return validator
}

/** durationMs reads "0s", "20s", "1m30s", "2h", "500ms" (the test-file durations) as milliseconds. */
export function durationMs (text: string): number {
  const m = new RegExp(DURATION).exec(text)
  if (m === null) throw new Error(`invalid duration "${text}" (use e.g. 20s, 1m30s, 500ms)`)
  const [h, min, s, ms] = m.slice(1).map((g) => g === undefined ? 0 : parseInt(g, 10)) as [number, number, number, number]
  return ((h * 60 + min) * 60 + s) * 1000 + ms
}

/** formatDuration renders milliseconds the way test files write them: 0s, 20s, 1m20s, 1h5m, 1500ms. */
export function formatDuration (ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`
  let s = ms / 1000
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  const out = (h > 0 ? `${h}h` : '') + (m > 0 ? `${m}m` : '') + (s > 0 ? `${s}s` : '')
  return out === '' ? '0s' : out
}

/** Slot is one position of a series: a reading (value, status) or a gap (null). */
export type Slot = { value: number, status: number } | null

const TOKEN = /^(-?\d+(?:\.\d+)?)(?:([+-])(\d+(?:\.\d+)?))?(?:x(\d+))?(?:@(\d+))?$/

/**
 * parseValues reads a series, one slot per interval, separated by spaces:
 * `30` a reading; `30@4` with status 4; `_` no reading; `_x3` three slots without readings;
 * `10+5x3` expands to 10 15 20 25 (promtool's a+bxn, n+1 values); `1x3` is 1 1 1 1; `170-10x2@8` 170 160 150 with status 8.
 */
export function parseValues (text: string | number): Slot[] {
  const out: Slot[] = []
  for (const token of String(text).trim().split(/\s+/)) {
    if (token === '') continue
    const gap = /^_(?:x(\d+))?$/.exec(token)
    if (gap !== null) {
      const n = gap[1] === undefined ? 1 : parseInt(gap[1], 10)
      for (let i = 0; i < n; i++) out.push(null)
      continue
    }
    const m = TOKEN.exec(token)
    if (m === null) throw new Error(`bad value "${token}" (use 30, 30@4, _, _x3, 10+5x3)`)
    const [, a, op, b, times, status] = m
    if (op !== undefined && times === undefined) throw new Error(`bad value "${token}": a step needs a count, e.g. ${token}x3`)
    const start = Number(a)
    const step = op === undefined ? 0 : (op === '-' ? -1 : 1) * Number(b)
    const n = times === undefined ? 0 : parseInt(times, 10)
    const st = status === undefined ? 0 : parseInt(status, 10)
    for (let i = 0; i <= n; i++) out.push({ value: Math.round((start + i * step) * 1e9) / 1e9, status: st })
  }
  return out
}

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
  const validate = compiled()
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
    updatedAt: 0,
    timeline: []
  }
  const points = new Map<string, Point>()
  for (const [j, p] of test.points.entries()) {
    if (points.has(p.pointCode)) issues.push({ path: `${base}/points/${j}/pointCode`, message: `duplicate point "${p.pointCode}"` })
    const { pointCode, attributes, ...rest } = p
    points.set(pointCode, { ...rest, site: site.code, code: pointCode, attributes: attributes ?? {}, definedAt: 0 })
  }
  const readings: ReadingRow[] = []
  for (const [j, s] of test.series.entries()) {
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
  const expect: Expected[] = []
  for (const [j, e] of test.expect.entries()) {
    if (e.point !== undefined && !points.has(e.point)) {
      issues.push({ path: `${base}/expect/${j}/point`, message: `unknown point "${e.point}" (not in this test's points)` })
    }
    expect.push({ at: durationMs(e.at), rule: e.rule, point: e.point ?? null, level: e.level, ...(e.category === undefined ? {} : { category: e.category }) })
  }
  if (issues.length > before) return null
  // stable: readings of one instant keep the order of the series that wrote them
  readings.sort((a, b) => a.ts - b.ts)
  const last = readings.at(-1)?.ts ?? 0
  return {
    name: test.name,
    line: locate(doc, lines, `${base}/name`).line,
    site,
    points: [...points.values()],
    readings,
    untilMs: test.until === undefined ? last : Math.max(last, durationMs(test.until)),
    checkMs: test.checkEvery === undefined ? fileCheck : durationMs(test.checkEvery),
    expect
  }
}

function sortErrors (errors: RuleFileError[]): RuleFileError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column)
}

/** loadRuleFiles reads the rule files a test file names; errors come back in the loader's form. */
export async function loadRuleFiles (paths: readonly string[]): Promise<{ rules: RuleDef[], errors: RuleFileError[] }> {
  const rules: RuleDef[] = []
  const errors: RuleFileError[] = []
  for (const path of paths) {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      errors.push({ file: path, line: 0, column: 0, path: '', message: `cannot read rule file: ${(err as Error).message}` })
      continue
    }
    const parsed = parseRuleFile(path, text)
    errors.push(...parsed.errors)
    rules.push(...parsed.rules.map((r) => r.def))
  }
  return { rules, errors }
}

/** runRuleTests runs every test of every file against that file's rules. */
export async function runRuleTests (files: readonly RuleTestFile[]): Promise<{ results: RuleTestResult[], errors: RuleFileError[] }> {
  const results: RuleTestResult[] = []
  const errors: RuleFileError[] = []
  for (const f of files) {
    const loaded = await loadRuleFiles(f.ruleFiles)
    if (loaded.errors.length > 0) {
      errors.push(...loaded.errors)
      continue
    }
    for (const test of f.tests) results.push(runRuleTest(f.file, test, loaded.rules))
  }
  return { results, errors }
}

/** Got is a change the engine emitted, with the virtual time it was emitted at. */
interface Got {
  change: ConditionChange
  emittedAt: number
}

/** runRuleTest runs one test on a fresh engine in virtual time and compares every change emitted. */
export function runRuleTest (file: string, test: RuleTestCase, rules: readonly RuleDef[]): RuleTestResult {
  const warnings: string[] = []
  const scheduler = new TestScheduler(() => {})
  // outside run(), a TestScheduler flushes only up to maxFrames: advance() moves that bound
  scheduler.maxFrames = 0
  const engine = createEngine({
    scheduler,
    registry: new MemoryRegistry([test.site], test.points),
    lateAfterMs: 60_000,
    offlineCheckMs: test.checkMs,
    log: {
      warn: (obj, msg) => warnings.push(`${msg} ${JSON.stringify(obj)}`),
      error: (obj, msg) => warnings.push(`${msg} ${String((obj.err as Error | undefined)?.message ?? '')}`)
    }
  })
  engine.setRules([...rules])
  const got: Got[] = []
  engine.changes$.subscribe((change) => got.push({ change, emittedAt: scheduler.now() }))
  let i = 0
  while (i < test.readings.length) {
    const ts = (test.readings[i] as ReadingRow).ts
    const batch: ReadingRow[] = []
    while (i < test.readings.length && (test.readings[i] as ReadingRow).ts === ts) batch.push(test.readings[i++] as ReadingRow)
    advance(scheduler, ts)
    engine.ingest(batch)
  }
  advance(scheduler, test.untilMs)
  for (const h of engine.health()) {
    if (h.health === 'err') warnings.push(`rule ${h.ruleId} failed: ${h.lastError ?? ''}`)
  }
  engine.stop()

  const categories = new Map(rules.map((r) => [r.id, r.category]))
  const expected = test.expect.map((e) => expectedLine(e, categories))
  const actual = got.map((g) => gotLine(g))
  const unknown = [...new Set(test.expect.map((e) => e.rule).filter((id) => !categories.has(id)))]
  const same = unknown.length === 0 && expected.length === actual.length && expected.every((l, k) => l === actual[k]?.key)
  const diffs = same ? [] : [...unknown.map((id) => `unknown rule "${id}" (not in ${basename(file)}'s rule_files)`), ...diff(expected, actual)]
  return { file, line: test.line, name: test.name, ok: same, diffs, warnings }
}

function advance (scheduler: TestScheduler, t: number): void {
  if (t < scheduler.now()) return
  scheduler.schedule(() => {}, t - scheduler.now())
  scheduler.maxFrames = t
  scheduler.flush()
}

function expectedLine (e: Expected, categories: Map<string, Category>): string {
  return line(e.at, e.rule, e.point, e.level, e.category ?? categories.get(e.rule) ?? '?')
}

function gotLine ({ change: c, emittedAt }: Got): { key: string, note: string } {
  const point = c.points.length === 1 ? (c.points[0] as string) : (c.points.length === 0 ? null : c.points.join(','))
  const when = emittedAt === c.eventTs ? '' : `, found at ${formatDuration(emittedAt)}`
  return { key: line(c.eventTs, c.rule.ruleId, point, c.level, c.rule.category), note: `${c.message}${when}` }
}

function line (at: number, rule: string, point: string | null, level: Level | null, category: string): string {
  return `at ${formatDuration(at)}  ${rule}  ${point ?? '(site)'}  ${level ?? 'cleared'}  ${category}`
}

/**
 * diff lines up expected and got (longest common subsequence): "  " both, "- " expected but not emitted,
 * "+ " emitted but not expected (with the engine's message, which shows the value).
 */
function diff (expected: readonly string[], actual: ReadonlyArray<{ key: string, note: string }>): string[] {
  const n = expected.length
  const m = actual.length
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] as number[]
      row[j] = expected[i] === actual[j]?.key ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0)
    }
  }
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    const e = expected[i]
    const a = actual[j]
    if (e !== undefined && a !== undefined && e === a.key) {
      out.push(`  ${e}`)
      i++
      j++
    } else if (e !== undefined && (a === undefined || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      out.push(`- ${e}`)
      i++
    } else {
      out.push(`+ ${(a as { key: string }).key}    # ${(a as { note: string }).note}`)
      j++
    }
  }
  return out
}

/** Coverage lists rule files without a test file and rule ids no test expects a change of. */
export interface Coverage {
  untestedFiles: string[]
  untestedRules: string[]
}

/** coverage compares the rule files of `rulesDir` (and their rules) with the loaded test files. */
export function coverage (rules: readonly RuleDef[], ruleFiles: readonly string[], tests: readonly RuleTestFile[]): Coverage {
  const tested = new Set(tests.flatMap((t) => t.ruleFiles.map((f) => resolve(f))))
  const expected = new Set(tests.flatMap((t) => t.tests.flatMap((c) => c.expect.map((e) => e.rule))))
  return {
    untestedFiles: ruleFiles.filter((f) => !tested.has(resolve(f))),
    untestedRules: rules.map((r) => r.id).filter((id) => !expected.has(id))
  }
}

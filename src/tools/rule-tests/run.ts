// Running rule tests: each test on a fresh engine driven by a virtual-time scheduler, moved from reading
// to reading in virtual time; every condition change emitted is compared with the expected ones.
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Category, Level } from '../../contract/index.js'
import type { ReadingRow } from '../../contract/rows.js'
import { MemoryRegistry } from '../../registry/memory.js'
import { advanceTo, createReplayScheduler } from '../../lib/virtual-time.js'
import { fixedChannels } from '../../4-evaluate/channels.js'
import { createEngine } from '../../4-evaluate/engine.js'
import { inputTs, type EngineInput } from '../../4-evaluate/inputs.js'
import { parseRuleFile, type RuleFileError } from '../../4-evaluate/load-rules.js'
import type { RuleDef } from '../../4-evaluate/rule-file.js'
import type { ConditionChange } from '../../4-evaluate/types.js'
import { diff } from './diff.js'
import { formatDuration } from '../../lib/duration.js'
import type { Expected, RuleTestCase, RuleTestFile, RuleTestResult } from './types.js'
import { collectLog } from '../../lib/log.js'

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
  // not RxJS's TestScheduler: its periodic actions chain up, and a test of a day of 5 s checks overflows the stack
  const scheduler = createReplayScheduler(0)
  const engine = createEngine({
    scheduler,
    registry: new MemoryRegistry([test.site], test.points),
    channels: fixedChannels(test.channels),
    lateAfterMs: 60_000,
    offlineCheckMs: test.checkMs,
    log: collectLog(warnings)
  })
  engine.setRules([...rules])
  const got: Got[] = []
  engine.changes$.subscribe((change) => got.push({ change, emittedAt: scheduler.now() }))
  // instant by instant: that instant's readings (one batch), then its other inputs
  const { readings, inputs } = test
  let i = 0
  let j = 0
  while (i < readings.length || j < inputs.length) {
    const ts = Math.min((readings[i] as ReadingRow | undefined)?.ts ?? Infinity, inputs[j] === undefined ? Infinity : inputTs(inputs[j] as EngineInput))
    const batch: ReadingRow[] = []
    while (i < readings.length && (readings[i] as ReadingRow).ts === ts) batch.push(readings[i++] as ReadingRow)
    const other: EngineInput[] = []
    while (j < inputs.length && inputTs(inputs[j] as EngineInput) === ts) other.push(inputs[j++] as EngineInput)
    advanceTo(scheduler, ts)
    engine.ingest(batch)
    engine.observe(other)
  }
  advanceTo(scheduler, test.untilMs)
  for (const h of engine.health()) {
    if (h.health === 'err') warnings.push(`rule ${h.ruleId} failed: ${h.lastError ?? ''}`)
  }
  engine.stop()

  const categories = new Map(rules.map((r) => [r.id, r.category]))
  const expected = test.expect.map((e) => expectedLine(e, categories))
  const actual = got.map((g) => gotLine(g))
  const unknown = [...new Set(test.expect.map((e) => e.rule).filter((id) => !categories.has(id)))]
  const same = unknown.length === 0 && expected.length === actual.length && expected.every((l, k) => l === actual[k]?.key)
  const diffs = same ? hazardDiffs(test.expect, got, expected) : [...unknown.map((id) => `unknown rule "${id}" (not in ${basename(file)}'s rule_files)`), ...diff(expected, actual)]
  return { file, line: test.line, name: test.name, ok: diffs.length === 0, diffs, warnings }
}

// The hazard clause is compared only where an expectation names it, once the changes themselves agree: most
// tests are about levels, and a clause on every line would make them about wording.
function hazardDiffs (expect: readonly Expected[], got: readonly Got[], lines: readonly string[]): string[] {
  const out: string[] = []
  for (const [k, e] of expect.entries()) {
    const clause = got[k]?.change.rule.hazardClause ?? null
    if (e.hazard === undefined || e.hazard === (clause !== null)) continue
    out.push(`- ${lines[k] ?? ''}  hazard: ${String(e.hazard)}`, `+ ${lines[k] ?? ''}  hazard: ${String(clause !== null)}    # ${clause ?? 'no hazard clause'}`)
  }
  return out
}

function expectedLine (e: Expected, categories: Map<string, Category>): string {
  return line(e.at, e.rule, e.point, e.level, e.category ?? categories.get(e.rule) ?? '?')
}

function gotLine ({ change: c, emittedAt }: Got): { key: string, note: string } {
  const point = c.points.length === 1 ? (c.points[0] as string) : (c.points.length === 0 ? subjectOf(c.key) : c.points.join(','))
  const when = emittedAt === c.eventTs ? '' : `, found at ${formatDuration(emittedAt)}`
  return { key: line(c.eventTs, c.rule.ruleId, point, c.level, c.rule.category), note: `${c.message}${when}` }
}

// the key's last part: '*' for the site itself, else a subject such as area:A3
function subjectOf (key: string): string | null {
  const subject = key.slice(key.lastIndexOf('|') + 1)
  return subject === '*' ? null : subject
}

function line (at: number, rule: string, point: string | null, level: Level | null, category: string): string {
  return `at ${formatDuration(at)}  ${rule}  ${point ?? '(site)'}  ${level ?? 'cleared'}  ${category}`
}

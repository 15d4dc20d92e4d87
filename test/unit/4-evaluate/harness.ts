// Engine test harness (not a test file itself): an engine on a virtual clock (an RxJS TestScheduler
// driven by hand), the changes it emitted, and short ways to write readings and rules.
import { TestScheduler } from 'rxjs/testing'
import { createEngine, type Engine } from '../../../src/4-evaluate/engine.js'
import { ruleVersion } from '../../../src/4-evaluate/canonical.js'
import type { RuleDef, RuleSpec, ThresholdRuleSpec } from '../../../src/4-evaluate/rule-file.js'
import type { ConditionChange } from '../../../src/4-evaluate/types.js'
import type { RuleModule } from '../../../src/4-evaluate/module.js'
import { POINT } from '../../../src/4-evaluate/modules/point/index.js'
import type { ReadingRow } from '../../../src/contract/rows.js'
import type { RegistryView } from '../../../src/registry/types.js'
import { silentLog } from '../../../src/lib/log.js'

/** Harness is an engine in virtual time plus what it emitted. */
export interface Harness {
  engine: Engine
  scheduler: TestScheduler
  changes: ConditionChange[]
  /** advanceTo runs every scheduled action up to virtual time `t` and leaves the clock at `t` */
  advanceTo: (t: number) => void
  /** read ingests one reading of `point` at virtual time `ts` (arrival: now) */
  read: (site: string, point: string, ts: number, value: number, status?: number) => void
}

/** POINT_MODULES is the module of the per-point kinds (device_status, threshold, no_data), first in MODULES. */
export const POINT_MODULES: readonly RuleModule[] = [POINT]

/**
 * harness creates an engine with the given rules on a TestScheduler starting at `start`; `modules` are run
 * after the per-point kinds' (tests of a module often raise its inputs with thresholds).
 */
export function harness (registry: RegistryView, rules: RuleSpec[], opts: { start?: number, lateAfterMs?: number, offlineCheckMs?: number, modules?: readonly RuleModule[] } = {}): Harness {
  const scheduler = new TestScheduler(() => {})
  // outside run(), a TestScheduler only flushes up to maxFrames: advanceTo moves that bound
  scheduler.maxFrames = opts.start ?? 0
  if (opts.start !== undefined) advance(scheduler, opts.start)
  const engine = createEngine({
    scheduler,
    registry,
    lateAfterMs: opts.lateAfterMs ?? 60_000,
    offlineCheckMs: opts.offlineCheckMs ?? 5_000,
    ...(opts.modules === undefined ? {} : { modules: [...POINT_MODULES, ...opts.modules] }),
    log: silentLog
  })
  engine.setRules(rules.map(def))
  const changes: ConditionChange[] = []
  engine.changes$.subscribe((c) => changes.push(c))
  return {
    engine,
    scheduler,
    changes,
    advanceTo: (t) => advance(scheduler, t),
    read: (site, point, ts, value, status = 0) => {
      engine.ingest([row(site, point, ts, value, status, scheduler.now())])
    }
  }
}

function advance (scheduler: TestScheduler, t: number): void {
  if (t < scheduler.now()) throw new Error(`cannot go back in time from ${scheduler.now()} to ${t}`)
  scheduler.schedule(() => {}, t - scheduler.now())
  scheduler.maxFrames = t
  scheduler.flush()
}

/** row makes a ReadingRow. */
export function row (site: string, point: string, ts: number, value: number, status = 0, receivedAt = ts): ReadingRow {
  return { site, point, ts, value, status, receivedAt }
}

/** def turns a rule spec into a RuleDef as loadRules would. */
export function def (spec: RuleSpec): RuleDef {
  return { ...spec, ruleVersion: ruleVersion(spec), file: 'test.yaml', group: 'test' }
}

/** CO is the CO rule of rules/gas.yaml, trimmed: yellow 24/20, red 160/140. */
export const CO: ThresholdRuleSpec = {
  id: 'gas.co.limit',
  kind: 'threshold',
  title: 'CO 超限',
  category: 'over_limit',
  source: 'test',
  match: { quantity: ['co'] },
  direction: 'upper',
  for: '10s',
  levels: { yellow: { at: 24, release: 20 }, red: { at: 160, release: 140 } },
  alarmLevel: 'yellow'
}

/** summary reduces changes to what most assertions compare: key, level, eventTs. */
export function summary (changes: ConditionChange[]): Array<[string, string | null, number]> {
  return changes.map((c) => [c.key, c.level, c.eventTs])
}

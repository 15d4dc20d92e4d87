// The replay: a fresh engine on virtual time, fed the stored history instant by instant. Time is moved
// to each instant before it is evaluated, so the periodic checks (no-data) run at the virtual times
// they would have run at, and the changes come out as the live engine would have emitted them.
import type { Level } from '../../contract/index.js'
import { createEngine, type EngineStats } from '../../4-evaluate/engine.js'
import type { RuleModule } from '../../4-evaluate/module.js'
import type { RuleDef } from '../../4-evaluate/rule-file.js'
import type { RuleHealth } from '../../4-evaluate/types.js'
import { MemoryRegistry } from '../../registry/memory.js'
import { MemoryChannels } from '../../1-ingest/video/memory.js'
import { mergeInstants } from './merge.js'
import { advanceTo, createReplayScheduler } from '../../lib/virtual-time.js'
import type { HistorySource, ReplayedChange, TimeRange } from './types.js'
import { collectLog } from '../../lib/log.js'

/** ReplayOptions are the range and the engine settings of a replay. */
export interface ReplayOptions extends TimeRange {
  /** period of the no-data check (the server's MINEWATCH_OFFLINE_CHECK_MS) */
  offlineCheckMs: number
  /** lateness bound of the engine (a replay is never late: time is always at the instant) */
  lateAfterMs: number
  /**
   * history replayed before `from` to set the engine's state (dwells, open conditions, no-data clocks),
   * as a server restores recent readings at start; changes decided in it are not reported. Default 0.
   */
  warmupMs?: number
  /** the rule modules (default: all of src/4-evaluate/modules) */
  modules?: readonly RuleModule[]
  /** told after each replayed instant: its time and the readings so far (a command line shows progress) */
  onProgress?: (at: number, readings: number) => void
}

/** ReplayResult is every change of the range, in emission order, and what the replay went through. */
export interface ReplayResult {
  changes: ReplayedChange[]
  readings: number
  inputs: number
  instants: number
  health: RuleHealth[]
  stats: EngineStats
  /** what the engine logged (a rule failing, a module error) */
  warnings: string[]
}

/** replay runs `rules` over the history of the range and returns the condition changes they produce. */
export async function replay (source: HistorySource, rules: readonly RuleDef[], opts: ReplayOptions): Promise<ReplayResult> {
  const start = opts.from - (opts.warmupMs ?? 0)
  const range: TimeRange = { from: start, to: opts.to, ...(opts.site === undefined ? {} : { site: opts.site }) }
  const stored = await source.registry(range)
  const scheduler = createReplayScheduler(start)
  const warnings: string[] = []
  if (opts.site !== undefined && !stored.sites.some((s) => s.code === opts.site)) warnings.push(`site "${opts.site}" is not registered: no rule applies to it`)
  const engine = createEngine({
    scheduler,
    registry: new MemoryRegistry(stored.sites, stored.points),
    channels: new MemoryChannels(stored.channels),
    lateAfterMs: opts.lateAfterMs,
    offlineCheckMs: opts.offlineCheckMs,
    ...(opts.modules === undefined ? {} : { modules: opts.modules }),
    log: collectLog(warnings)
  })
  engine.setRules([...rules])
  const levels = new Map<string, Level | null>()
  const changes: ReplayedChange[] = []
  const sub = engine.changes$.subscribe((change) => {
    const previous = levels.get(change.key) ?? null
    levels.set(change.key, change.level)
    // warm-up changes only set the state the range starts from
    if (change.eventTs >= opts.from && change.eventTs < opts.to) changes.push({ change, previous, emittedAt: scheduler.now() })
  })
  const result: ReplayResult = { changes, readings: 0, inputs: 0, instants: 0, health: [], stats: engine.stats(), warnings }
  try {
    for await (const instant of mergeInstants(source.streams(range))) {
      advanceTo(scheduler, instant.ts)
      engine.ingest(instant.readings)
      engine.observe(instant.inputs)
      result.readings += instant.readings.length
      result.inputs += instant.inputs.length
      result.instants++
      opts.onProgress?.(instant.ts, result.readings)
    }
    // the silence after the last stored instant counts too, up to the end of the range
    advanceTo(scheduler, opts.to)
  } finally {
    result.health = engine.health()
    result.stats = engine.stats()
    sub.unsubscribe()
    engine.stop()
  }
  return result
}

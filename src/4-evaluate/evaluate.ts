// One batch of readings through the rule modules. Each reading goes through every module's `reading` hook
// in module order (the kinds judged reading by reading: device status, thresholds, no-data clears), then
// each module gets the whole batch in its `readings`. Plain loops, no allocation per reading: this is the
// hot path. A module that throws is logged and the others, and the rest of the batch, carry on.
import type { ReadingRow } from '../contract/rows.js'
import type { EngineStats } from './change.js'
import type { ModuleContext, RuleModuleInstance } from './module.js'

/** ModuleRun is one module instance as a batch (or a periodic check) drives it. */
export interface ModuleRun {
  inst: RuleModuleInstance
  ctx: ModuleContext
  /** fail records that one of the module's callbacks threw */
  fail: (callback: string, err: unknown) => void
}

/** evaluateBatch runs readings, already in event-time order, through the modules. */
export function evaluateBatch (rows: readonly ReadingRow[], runs: readonly ModuleRun[], stats: EngineStats): void {
  const perReading = runs.filter((r) => r.inst.reading !== undefined)
  if (perReading.length > 0) {
    for (const row of rows) {
      // a reading skipped by several rules, or several modules, is one reading out of order
      if (readingThrough(perReading, row)) stats.outOfOrder++
    }
  }
  for (const r of runs) {
    if (r.inst.readings === undefined) continue
    try {
      r.inst.readings(rows, r.ctx)
    } catch (err) {
      r.fail('readings', err)
    }
  }
}

function readingThrough (runs: readonly ModuleRun[], row: ReadingRow): boolean {
  let skipped = false
  for (const r of runs) {
    try {
      if (r.inst.reading?.(row, r.ctx) === true) skipped = true
    } catch (err) {
      r.fail('reading', err)
    }
  }
  return skipped
}

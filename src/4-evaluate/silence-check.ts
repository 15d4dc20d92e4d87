// The periodic check, on the engine's tick: every module's `check`, in module order, for the conditions
// that time passing decides rather than data (silent points and sites, offline channels, overdue people).
// A module that throws is logged and the others still run: an error here must never end the tick.
import type { ModuleRun } from './evaluate.js'

/** checkModules runs each module's periodic check. */
export function checkModules (runs: readonly ModuleRun[]): void {
  for (const r of runs) {
    if (r.inst.check === undefined) continue
    try {
      r.inst.check(r.ctx)
    } catch (err) {
      r.fail('check', err)
    }
  }
}

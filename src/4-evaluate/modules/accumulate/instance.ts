// A window_sum instance: per bound point, the readings of the longest window (event time), and per
// window its own threshold state, so each window has the hysteresis of a threshold rule. The condition
// stands at the highest level of its windows. Sums and window states are kept by condition key for the
// engine's lifetime, so a rule reload or registry change never forgets the rain of the last 24 hours.
import { LEVEL_ZH, levelRank, type Level } from '../../../contract/index.js'
import type { Point, Site } from '../../../registry/types.js'
import type { ReadingRow } from '../../../contract/rows.js'
import { parseDuration } from '../../../lib/duration.js'
import { conditionChange } from '../../change.js'
import { ruleRef } from '../../compile.js'
import { newKeyState, type EffectiveLevel, type KeyState } from '../../compiled.js'
import { SUPPRESS_MASK } from '../../steps/device-status.js'
import { stepThreshold } from '../../steps/threshold.js'
import { judgesValues, pointMatches, siteMatches } from '../../match.js'
import { durationZh, num, pointHead, quantityLabel } from '../../messages.js'
import type { ModuleContext, ModuleEnv, RuleModuleInstance } from '../../module.js'
import type { RuleRef } from '../../types.js'
import { guarded } from '../shared/guard.js'
import { conditionKey } from '../shared/keys.js'
import { PointIndex, pushAt } from '../shared/point-index.js'
import { bandsOf } from '../shared/schema.js'
import { stateOf } from '../shared/state.js'
import type { WindowSumRule } from './spec.js'

/** Samples are a point's readings within the longest window, oldest first. */
interface Samples { ts: number[], vs: number[], lastTs: number }

interface Win { ms: number, levels: EffectiveLevel[], state: KeyState }

interface Inst { key: string, ref: RuleRef, site: Site, point: Point, samples: Samples, windows: Win[], maxMs: number, rule: WindowSumRule }

// a point reporting far faster than planned must not grow a window without bound: beyond this many
// samples the oldest go, and the sum of the longest window reads low (a gauge this fast is misconfigured)
const MAX_SAMPLES = 20_000

/** createWindowSum creates the instance of one engine. */
export function createWindowSum ({ env }: ModuleEnv): RuleModuleInstance {
  const kept = new Map<string, { samples: Samples, states: Map<number, KeyState> }>()
  let byPoint = new PointIndex<Inst[]>()

  function instance (rule: WindowSumRule, ref: RuleRef, site: Site, point: Point): Inst {
    const key = conditionKey(rule.id, site.code, point.code)
    let k = kept.get(key)
    if (k === undefined) kept.set(key, k = { samples: { ts: [], vs: [], lastTs: -Infinity }, states: new Map() })
    const windows = rule.windows.map((w) => {
      const ms = parseDuration(w.over, { bare: 'ms' })
      let state = k.states.get(ms)
      if (state === undefined) k.states.set(ms, state = newKeyState())
      return { ms, levels: bandsOf(w.levels), state }
    })
    return { key, ref, site, point, samples: k.samples, windows, maxMs: Math.max(...windows.map((w) => w.ms)), rule }
  }

  function step (inst: Inst, row: ReadingRow, ctx: ModuleContext): void {
    const s = inst.samples
    if (row.ts <= s.lastTs) return
    s.lastTs = row.ts
    // a calibration tip or a faulty gauge is not rain (DQ-2): nothing is added, nothing changes
    if ((row.status & SUPPRESS_MASK) !== 0) return
    add(s, row.ts, row.value, inst.maxMs)
    let down: { win: Win, sum: number, release: number } | null = null
    const judged = guarded(env.health.get(inst.rule), ctx, () => {
      for (const win of inst.windows) {
        const sum = sumSince(s, row.ts - win.ms)
        const st = stepThreshold({ direction: 'upper', forMs: 0, levels: win.levels }, win.state, sum, row.ts)
        if (st?.release != null) down = { win, sum, release: st.release }
      }
    }, { count: true })
    if (!judged) return
    const state = stateOf(env, inst.key)
    // readings replayed after a restart, up to the last change of the alarm the level was restored from,
    // rebuild the sums but must not move that level (lastTs is the alarm's event time then)
    if (row.ts <= state.lastTs) return
    state.lastTs = row.ts
    const from = state.level
    const to = highest(inst.windows)
    if (to === from) return
    state.level = to
    const text = describe(inst, row.ts, from, to, down)
    ctx.emit(conditionChange({ key: inst.key, ref: inst.ref, site: inst.site }, inst.point, {
      level: to, value: text.sum, limit: text.limit, eventTs: row.ts, late: ctx.now - row.ts > ctx.lateAfterMs, message: text.message, row
    }))
  }

  // Going up, the window that stands at the new level tells why (its sum and at); going down or
  // clearing, the window that fell back (its sum and release), as the threshold messages read.
  function describe (inst: Inst, ts: number, from: Level | null, to: Level | null, down: { win: Win, sum: number, release: number } | null): { sum: number, limit: number | null, message: string } {
    const u = inst.point.unit === '' ? '' : ` ${inst.point.unit}`
    const head = (win: Win, sum: number): string => `${pointHead(inst.point)}${quantityLabel(inst.point.quantity)} ${durationZh(win.ms)}累计 ${num(sum)}${u}`
    const up = to !== null && (from === null || levelRank(to) > levelRank(from))
    if (up) {
      const win = inst.windows.find((w) => w.state.level === to) as Win
      const sum = sumSince(inst.samples, ts - win.ms)
      const at = (win.levels.find((l) => l.level === to) as EffectiveLevel).at
      return { sum, limit: at, message: `${head(win, sum)} ≥ ${num(at)}${u}，${from === null ? '' : '升级为'}${LEVEL_ZH[to]}` }
    }
    const tail = to === null ? '已解除' : `降为${LEVEL_ZH[to]}`
    if (down === null) {
      // a level seeded from an open alarm that the windows, rebuilt since, do not reach: no window fell
      // back, but the alarm must still come down
      const win = inst.windows.reduce((a, b) => (b.ms > a.ms ? b : a))
      const sum = sumSince(inst.samples, ts - win.ms)
      return { sum, limit: null, message: `${head(win, sum)}，${tail}` }
    }
    return { sum: down.sum, limit: down.release, message: `${head(down.win, down.sum)} < ${num(down.release)}${u}，${tail}` }
  }

  return {
    bind (rules, registry) {
      const next = new PointIndex<Inst[]>()
      const keys: string[] = []
      for (const r of rules) {
        const rule = r as WindowSumRule
        const ref = ruleRef(rule)
        for (const site of registry.sites()) {
          if (!siteMatches(rule.match, site)) continue
          for (const point of registry.pointsOf(site.code)) {
            if (!pointMatches(rule.match, point) || !judgesValues(rule.match, point)) continue
            const inst = instance(rule, ref, site, point)
            pushAt(next, site.code, point.code, inst)
            keys.push(inst.key)
          }
        }
      }
      byPoint = next
      const used = new Set(keys)
      for (const key of kept.keys()) if (!used.has(key)) kept.delete(key)
      return keys
    },
    readings (rows, ctx) {
      byPoint.each(rows, (list, row) => { for (const inst of list) step(inst, row, ctx) })
    }
  }
}

function add (s: Samples, ts: number, value: number, maxMs: number): void {
  s.ts.push(ts)
  s.vs.push(value)
  let drop = 0
  while (drop < s.ts.length && (s.ts[drop] as number) <= ts - maxMs) drop++
  if (s.ts.length - drop > MAX_SAMPLES) drop = s.ts.length - MAX_SAMPLES
  if (drop > 0) {
    s.ts.splice(0, drop)
    s.vs.splice(0, drop)
  }
}

// the window (from, ts]: a reading is the amount of its reporting period, which ends at its ts.
// Summed afresh each time (a day of 10-minute readings is 144 additions) so no rounding error builds up.
function sumSince (s: Samples, from: number): number {
  let sum = 0
  for (let i = s.ts.length - 1; i >= 0 && (s.ts[i] as number) > from; i--) sum += s.vs[i] as number
  return Number(sum.toPrecision(12))
}

function highest (windows: readonly Win[]): Level | null {
  let level: Level | null = null
  for (const w of windows) {
    if (w.state.level !== null && (level === null || levelRank(w.state.level) > levelRank(level))) level = w.state.level
  }
  return level
}

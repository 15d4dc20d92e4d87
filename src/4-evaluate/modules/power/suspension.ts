// PW-1 (power.suspension.production): production suspected from power while a site is declared suspended
// or under maintenance (明停暗开). Each site's readings are averaged over fixed windows; a producing
// window teaches the site's production-period reference, a suspended one is judged against it
// (baseline.ts). Suspicious windows for `for` raise `level`; for `redAfter`, red. A window back at a
// suspension level, or a return to `producing`, clears. Windows during which the status changed are
// neither learned nor judged. PW-1's regular night-time peaks are night.ts, a third sign next to the two.
import { levelRank } from '../../../contract/index.js'
import type { ReadingRow } from '../../../contract/rows.js'
import type { RegistryView, Site } from '../../../registry/types.js'
import type { CompileEnv } from '../../compile.js'
import { SUPPRESS_MASK } from '../../steps/device-status.js'
import { siteMatches } from '../../match.js'
import type { ModuleContext } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import { Learner, judge, profileOf, staticReference, type Reference } from './baseline.js'
import { condition, evaluate, move, type Condition } from './condition.js'
import { suspensionConfig, type SuspensionConfig } from './config.js'
import { metersOf, type Meter } from './meters.js'
import { NightPeaks, type NightVerdict } from './night.js'
import { suspicionEndMessage, suspicionMessage } from './messages.js'
import type { Runner } from './runner.js'
import { Windows, type ClosedWindow } from './window.js'
import { PointIndex, pushAt } from '../shared/point-index.js'

/** Memory is what a site has accumulated for one rule; it outlives rebinds. */
interface Memory { windows: Windows, learner: Learner, nights: NightPeaks | null, lastNight: NightVerdict | null }

interface Watch {
  c: Condition
  cfg: SuspensionConfig
  meters: Meter[]
  memory: Memory
  fallback: Reference | null
}

/** suspensionRunner creates the runner of power_suspension rules. */
export function suspensionRunner (env: CompileEnv): Runner {
  const memories = new Map<string, Memory>()
  // the watches of each meter point
  let byPoint = new PointIndex<Watch[]>()

  function bind (rules: readonly RuleDef[], registry: RegistryView): string[] {
    byPoint = new PointIndex()
    const keys: string[] = []
    const used = new Set<string>()
    for (const rule of rules) {
      if (rule.kind !== 'power_suspension') continue
      const cfg = suspensionConfig(rule)
      for (const site of registry.sites()) {
        const meters = metersOf(registry.pointsOf(site.code))
        if (!siteMatches(rule.match, site) || meters.length === 0) continue
        // what was learned stays valid as long as the windows and the span mean the same
        const id = `${rule.id}|${site.code}|${cfg.windowMs}|${cfg.learnSpanMs}|${cfg.minLearnedMs}|${JSON.stringify(cfg.night)}`
        used.add(id)
        let memory = memories.get(id)
        if (memory === undefined) memories.set(id, memory = newMemory(cfg))
        const c = condition(env, rule, site, '*')
        keys.push(c.key)
        const w: Watch = { c, cfg, meters, memory, fallback: staticReference(meters, cfg.equipment, cfg.ratedShare) }
        for (const m of meters) pushAt(byPoint, site.code, m.point.code, w)
      }
    }
    for (const id of memories.keys()) if (!used.has(id)) memories.delete(id)
    return keys
  }

  function readings (rows: readonly ReadingRow[], ctx: ModuleContext): void {
    byPoint.each(rows, (watches, row) => {
      // a calibrating or faulty meter's value is not the site's load (DQ-2)
      if ((row.status & SUPPRESS_MASK) !== 0) return
      for (const w of watches) {
        evaluate(w.c, ctx, () => {
          // the window this reading closes is judged first: it may be the suspension's last
          const closed = w.memory.windows.add(row.point, row.ts, row.value)
          if (closed !== null) onWindow(w, closed, ctx)
          if (w.c.state.level !== null && ctx.registry.statusAt(row.site, row.ts) === 'producing') {
            end(w, row.ts, 'producing', null, ctx)
          }
        })
      }
    })
  }

  return { bind, readings }
}

function newMemory (cfg: SuspensionConfig): Memory {
  const nights = cfg.night === null ? null : new NightPeaks(cfg.night, cfg.windowMs)
  return { windows: new Windows(cfg.windowMs), learner: new Learner(cfg.learnSpanMs, cfg.minLearnedMs), nights, lastNight: null }
}

function onWindow (w: Watch, win: ClosedWindow, ctx: ModuleContext): void {
  const { cfg, c } = w
  const p = profileOf(win, w.meters, cfg.equipment)
  if (p === null) return
  const first = ctx.registry.statusAt(c.site.code, win.start)
  const last = ctx.registry.statusAt(c.site.code, win.end - 1)
  const m = w.memory
  if (first === 'producing' && last === 'producing') {
    m.learner.add(win.end, win.end - win.start, p)
    m.nights?.reset()
    m.lastNight = null
    return
  }
  if (first === undefined || last === undefined || first !== last || !cfg.statuses.includes(last)) return
  const ref = w.memory.learner.reference() ?? w.fallback
  if (ref === null) return
  const v = judge(p, ref, cfg)
  const night = m.nights?.add(win.start, p.loadKw)
  if (night !== undefined && night !== null) m.lastNight = night
  const pattern = m.nights?.active === true ? m.lastNight : null
  const s = c.state
  if (!v.load && !v.share && pattern === null) {
    if (s.level !== null) end(w, win.end, last, p.loadKw, ctx)
    s.pendingSince = null
    return
  }
  // the dwell (and red) is the windows' own; a night pattern took nights to establish and needs none
  s.pendingSince = v.load || v.share ? s.pendingSince ?? win.start : null
  const held = s.pendingSince === null ? 0 : win.end - s.pendingSince
  const level = cfg.redAfterMs !== null && held >= cfg.redAfterMs ? 'red' : held >= cfg.forMs || pattern !== null ? cfg.level : null
  // never down: a restored (seeded) red must not drop to orange because the dwell restarted
  if (level === null || (s.level !== null && levelRank(level) <= levelRank(s.level))) return
  const present = cfg.equipment.filter((e) => w.meters.some((x) => x.equipment === e))
  const nightText = pattern === null || cfg.night === null ? null : { ...pattern, ...cfg.night }
  const message = suspicionMessage(c.site, last, p, ref, v, present, cfg.loadFraction, held, nightText)
  move(c, { level, value: round(p.loadKw), limit: round(cfg.loadFraction * ref.loadKw), eventTs: win.end, startedAt: s.pendingSince ?? win.start, message }, ctx)
}

function end (w: Watch, ts: number, status: Site['status'] | undefined, loadKw: number | null, ctx: ModuleContext): void {
  w.c.state.pendingSince = null
  const message = suspicionEndMessage(w.c.site, status, loadKw === null ? null : { loadKw, prodKw: null })
  move(w.c, { level: null, value: loadKw === null ? null : round(loadKw), limit: null, eventTs: ts, message }, ctx)
}

const round = (x: number): number => Math.round(x * 10) / 10

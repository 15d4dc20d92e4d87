// connectivity.site.silent_producing: a producing site whose every point has gone silent. The plain
// networking interruption (联网中断) is connectivity.site.no_data (core, orange, any non-closed site);
// this rule is its escalation and raises nothing before it, so a producing site's outage is never two
// alarms saying the same thing. It raises `level` (red) once the silence has lasted `silentFor` (and at
// least `missedPeriods` periods of the site's fastest point) and
//   - the site still shows activity over another channel: a live positioning snapshot, AI video event
//     or online video heartbeat arrives (the uplink works, only the monitoring is dark), or
//   - the silence outlasts `escalateAfter` (the response time for a system fault) with no such evidence.
// Backfilled inputs (older than the lateness bound on arrival) are no evidence: a gateway that was cut
// off sends them after its readings. Sites not producing are left to the core rule. A reading clears,
// once the site is no longer silent by `silentFor`.
import type { ReadingRow } from '../../../contract/rows.js'
import type { RegistryView } from '../../../registry/types.js'
import type { CompileEnv } from '../../compile.js'
import { inputReceivedAt, inputSite, inputTs, type EngineInput } from '../../inputs.js'
import { siteMatches } from '../../match.js'
import type { ModuleContext } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import { condition, evaluate, move, type Condition } from './condition.js'
import { silenceConfig, type SilenceConfig } from './config.js'
import { silentEndMessage, silentMessage } from './messages.js'
import type { Runner } from './runner.js'

/** Watch is one rule on one site, with its thresholds for that site. */
interface Watch {
  c: Condition
  cfg: SilenceConfig
  /** silentFor, but at least missedPeriods × the site's fastest reporting period */
  silentMs: number
  escalateMs: number
}

/** silentRunner creates the runner of site_silent_producing rules. */
export function silentRunner (env: CompileEnv): Runner {
  // last reading's event time by site; a site never heard from counts from its points' definition or the
  // engine start, whichever is later (as the core no-data check does)
  const lastSeen = new Map<string, number>()
  const baseline = new Map<string, number>()
  let bySite = new Map<string, Watch[]>()

  function bind (rules: readonly RuleDef[], registry: RegistryView): string[] {
    bySite = new Map()
    const keys: string[] = []
    for (const rule of rules) {
      if (rule.kind !== 'site_silent_producing') continue
      const cfg = silenceConfig(rule)
      for (const site of registry.sites()) {
        const points = registry.pointsOf(site.code)
        if (!siteMatches(rule.match, site) || points.length === 0) continue
        baseline.set(site.code, Math.max(env.startTs, ...points.map((p) => p.definedAt)))
        const c = condition(env, rule, site, '*')
        keys.push(c.key)
        // a dump whose points report every 5 min is not silent 5 min after its last reading
        const silentMs = Math.max(cfg.silentForMs, cfg.missedPeriods * Math.min(...points.map((p) => p.intervalS)) * 1000)
        bySite.set(site.code, [...(bySite.get(site.code) ?? []), { c, cfg, silentMs, escalateMs: Math.max(cfg.escalateAfterMs, silentMs) }])
      }
    }
    return keys
  }

  const seen = (site: string): number => lastSeen.get(site) ?? baseline.get(site) ?? env.startTs

  function readings (rows: readonly ReadingRow[], ctx: ModuleContext): void {
    const latest = new Map<string, ReadingRow>()
    for (const row of rows) {
      const prev = latest.get(row.site)
      if (prev === undefined || row.ts > prev.ts) latest.set(row.site, row)
    }
    for (const [site, row] of latest) {
      if (row.ts > (lastSeen.get(site) ?? -Infinity)) lastSeen.set(site, row.ts)
      for (const w of bySite.get(site) ?? []) {
        // a backfill of readings that are themselves old does not end the silence (as in the core rule)
        if (w.c.state.level === null || ctx.now - seen(site) > w.silentMs) continue
        evaluate(w.c, ctx, () => move(w.c, { level: null, value: null, limit: null, eventTs: row.ts, message: silentEndMessage(w.c.site, row.point) }, ctx))
      }
    }
  }

  function input (i: EngineInput, ctx: ModuleContext): void {
    const site = inputSite(i)
    const watches = bySite.get(site)
    const evidence = evidenceOf(i)
    if (watches === undefined || evidence === null) return
    const ts = inputTs(i)
    if (inputReceivedAt(i) - ts > ctx.lateAfterMs) return
    for (const w of watches) evaluate(w.c, ctx, () => raiseIf(w, ts, evidence, ctx))
  }

  function check (ctx: ModuleContext): void {
    for (const watches of bySite.values()) {
      for (const w of watches) {
        const due = seen(w.c.site.code) + w.escalateMs
        if (w.c.state.level === null && ctx.now > due) evaluate(w.c, ctx, () => raiseIf(w, due, null, ctx))
      }
    }
  }

  function raiseIf (w: Watch, ts: number, evidence: string | null, ctx: ModuleContext): void {
    const { c, cfg } = w
    const since = seen(c.site.code)
    if (c.state.level !== null || ts - since <= w.silentMs) return
    // producing when the silence began and still at the decisive time: a declared stop is not hidden
    if (ctx.registry.statusAt(c.site.code, since) !== 'producing' || ctx.registry.statusAt(c.site.code, ts) !== 'producing') return
    move(c, { level: cfg.level, value: Math.round((ts - since) / 1000), limit: Math.round((evidence === null ? w.escalateMs : w.silentMs) / 1000), eventTs: ts, startedAt: since, message: silentMessage(c.site, ts - since, evidence) }, ctx)
  }

  return { bind, readings, input, check }
}

/** evidenceOf tells what activity an input shows, in words, or null when it shows none. */
function evidenceOf (i: EngineInput): string | null {
  switch (i.type) {
    case 'personnel': return `人员定位（井下 ${i.snapshot.headcount} 人）`
    case 'video_event': return `视频 AI 识别（${i.event.channel}）`
    case 'video_heartbeat': return i.heartbeat.online ? `视频通道 ${i.heartbeat.channel}` : null
    case 'sos': return '人员求救信号'
  }
}

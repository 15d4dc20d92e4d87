// Binds the rule set to the registry: for each (site, point) the instances that apply, with effective
// thresholds. Runs again whenever registry.version() or the rule set changes; state is kept by key in
// the CompileEnv, so a recompile never forgets an open condition or a pending dwell.
import { levelRank } from '../contract/index.js'
import { parseDuration } from '../lib/duration.js'
import type { Point, RegistryView, Site } from '../registry/types.js'
import { newKeyState, type CompiledRules, type KeyState, type PointNoDataInstance, type PointRules, type PointTrack, type SiteNoDataInstance } from './compiled.js'
import { designValues, effectiveLevels } from './effective-levels.js'
import { HealthBook, recordFailure } from './health.js'
import { judgesValues, pointMatches, siteMatches } from './match.js'
import { isCoreRule, type CoreRuleDef, type NoDataRuleDef, type RuleDef } from './rule-file.js'
import type { EngineLogger, RuleRef } from './types.js'

/** CompileEnv is what outlives one compilation: condition state, point tracks and rule health. */
export interface CompileEnv {
  states: Map<string, KeyState>
  /** by `${site}|${point}` */
  tracks: Map<string, PointTrack>
  health: HealthBook
  /** engine start (epoch ms): the "last seen" of points that never reported */
  startTs: number
  /** the engine's clock, to date binding failures */
  now: () => number
  log?: EngineLogger
}

/** newCompileEnv returns an empty environment, for a first compilation or a test. */
export function newCompileEnv (startTs = 0): CompileEnv {
  return { states: new Map(), tracks: new Map(), health: new HealthBook(), startTs, now: () => startTs }
}

/** compileRules binds `rules` to every site and point of the registry. */
export function compileRules (rules: readonly RuleDef[], registry: RegistryView, env: CompileEnv = newCompileEnv()): CompiledRules {
  const out: CompiledRules = { bySite: new Map(), pointNoData: [], siteNoData: [], keys: new Set() }
  // the other kinds belong to rule modules, bound by the engine (src/engine/modules)
  const core = rules.filter((r): r is CoreRuleDef => isCoreRule(r))
  const refs = new Map(core.map((r) => [r.id, ruleRef(r)]))
  for (const site of registry.sites()) {
    const points = registry.pointsOf(site.code)
    if (points.length === 0) continue
    const byPoint = new Map<string, PointRules>()
    for (const p of points) byPoint.set(p.code, emptyPointRules(site, p, env))
    out.bySite.set(site.code, byPoint)
    for (const rule of core) {
      if (!siteMatches(rule.match, site)) continue
      const matching = [...byPoint.values()].filter((pr) => pointMatches(rule.match, pr.point))
      bindRule(rule, refs.get(rule.id) as RuleRef, site, matching, env, out)
    }
  }
  return out
}

/** ruleRef is what every change and alarm records about its rule. */
export function ruleRef (r: RuleDef): RuleRef {
  return { ruleId: r.id, ruleVersion: r.ruleVersion, category: r.category, title: r.title, source: r.source, hazardClause: r.hazardClause ?? null }
}

function bindRule (rule: CoreRuleDef, ref: RuleRef, site: Site, matching: PointRules[], env: CompileEnv, out: CompiledRules): void {
  if (rule.kind === 'no_data' && rule.scope === 'site') {
    if (matching.length > 0) bindSite(rule, ref, site, matching, env, out)
    return
  }
  for (const pr of matching) {
    // one bad point definition (say, a limit that breaks the levels) must not unbind the rule elsewhere
    try {
      bindPoint(rule, ref, pr, env, out)
    } catch (err) {
      recordFailure(env.health.get(rule), err, env.now(), false)
      env.log?.warn({ ruleId: rule.id, site: site.code, point: pr.point.code, err }, 'rule not bound to point')
    }
  }
}

// Instances are built as full object literals, never by spreading a shared base: V8 gives spread
// copies a slow shape once there are a few hundred of them (measured: 20× slower per evaluation).
function bindPoint (rule: CoreRuleDef, ref: RuleRef, pr: PointRules, env: CompileEnv, out: CompiledRules): void {
  const key = `${rule.id}|${pr.site.code}|${pr.point.code}`
  const health = env.health.get(rule)
  const state = stateFor(env, out, key)
  const { site, point } = pr
  switch (rule.kind) {
    case 'threshold': {
      if (!judgesValues(rule.match, point)) return
      const forMs = parseDuration(rule.for ?? '0s', { bare: 'ms' })
      // a rule with `scale` needs, for every level, the point's design value or an absolute limit: with
      // neither designValues throws and the rule is not bound to this point (bindRule records why in the
      // rule's health and logs a warning)
      const levels = effectiveLevels(rule, point.limits, designValues(rule, point))
      const belowHazard = rule.hazardLevel === undefined ? null : { rank: levelRank(rule.hazardLevel), ref: { ...ref, hazardClause: null } }
      pr.threshold.push({ kind: 'threshold', key, ref, health, state, site, point, direction: rule.direction, forMs, levels, belowHazard })
      return
    }
    case 'device_status': {
      const mask = rule.bits.reduce((m, b) => m | b, 0)
      pr.device.push({ kind: 'device_status', key, ref, health, state, site, point, mask, level: rule.level })
      return
    }
    case 'no_data': {
      const thresholdMs = rule.missedPeriods * point.intervalS * 1000
      const inst: PointNoDataInstance = { kind: 'no_data', key, ref, health, state, site, point, track: pr.track, thresholdMs, level: rule.level }
      pr.noData.push(inst)
      out.pointNoData.push(inst)
    }
  }
}

// A site is silent when all its watched points are; the threshold uses the fastest of them.
function bindSite (rule: NoDataRuleDef, ref: RuleRef, site: Site, matching: PointRules[], env: CompileEnv, out: CompiledRules): void {
  const key = `${rule.id}|${site.code}|*`
  const minIntervalS = Math.min(...matching.map((pr) => pr.point.intervalS))
  const inst: SiteNoDataInstance = {
    kind: 'no_data_site',
    key,
    ref,
    health: env.health.get(rule),
    state: stateFor(env, out, key),
    site,
    tracks: matching.map((pr) => pr.track),
    thresholdMs: rule.missedPeriods * minIntervalS * 1000,
    level: rule.level
  }
  out.siteNoData.push(inst)
  for (const pr of matching) pr.siteNoData.push(inst)
}

function emptyPointRules (site: Site, point: Point, env: CompileEnv): PointRules {
  const id = `${site.code}|${point.code}`
  let track = env.tracks.get(id)
  if (track === undefined) {
    track = { lastTs: null, baseline: 0 }
    env.tracks.set(id, track)
  }
  track.baseline = Math.max(point.definedAt, env.startTs)
  return { site, point, track, device: [], threshold: [], noData: [], siteNoData: [] }
}

function stateFor (env: CompileEnv, out: CompiledRules, key: string): KeyState {
  out.keys.add(key)
  let s = env.states.get(key)
  if (s === undefined) {
    s = newKeyState()
    env.states.set(key, s)
  }
  return s
}

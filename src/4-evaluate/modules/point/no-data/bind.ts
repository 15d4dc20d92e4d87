// Binds no-data rules: a point rule to each point it matches, a site rule to each site where it matches
// points (silent when all of them are, for missedPeriods × the smallest intervalS). Every point of the
// registry is tracked, watched or not, so that a rule added later knows when each point last reported.
import type { Level } from '../../../../contract/index.js'
import type { Point, RegistryView, Site } from '../../../../registry/types.js'
import type { CompileEnv } from '../../../compile.js'
import { ruleRef } from '../../../compile.js'
import type { HealthRecord, KeyState } from '../../../compiled.js'
import type { PointTrack } from '../../../steps/no-data.js'
import type { NoDataRuleDef, RuleDef } from '../../../rule-file.js'
import type { RuleRef } from '../../../types.js'
import { KeyRecorder, eachSiteRule } from '../../shared/bind-points.js'
import { PointIndex } from '../../shared/point-index.js'

interface Silence {
  /** `${ruleId}|${siteCode}|${pointCode or '*'}` */
  key: string
  ref: RuleRef
  health: HealthRecord
  state: KeyState
  site: Site
  thresholdMs: number
  level: Level
}

/** PointSilence is a point-scope no-data rule bound to one point. */
export interface PointSilence extends Silence {
  point: Point
  track: PointTrack
}

/** SiteSilence is a site-scope no-data rule bound to one site and the points it watches. */
export interface SiteSilence extends Silence {
  tracks: PointTrack[]
}

/** Watch is one point as the no-data rules see it: when it last reported, and the rules it clears. */
export interface Watch {
  point: Point
  track: PointTrack
  points: PointSilence[]
  /** site-scope rules that this point's readings clear */
  sites: SiteSilence[]
}

/** BoundSilences is the no-data rules bound to the registry. */
export interface BoundSilences {
  byPoint: PointIndex<Watch>
  /** by `${site}|${point}`: carried over to the next binding */
  tracks: Map<string, PointTrack>
  pointList: PointSilence[]
  siteList: SiteSilence[]
  keys: Set<string>
}

/** bindSilences binds the no-data rules among `rules`; `tracks` are the previous binding's. */
export function bindSilences (rules: readonly RuleDef[], registry: RegistryView, env: CompileEnv, tracks: ReadonlyMap<string, PointTrack>): BoundSilences {
  const recorder = new KeyRecorder(env)
  const out: BoundSilences = { byPoint: new PointIndex(), tracks: new Map(), pointList: [], siteList: [], keys: recorder.keys }
  watchAll(registry, env, tracks, out)
  const own = rules.filter((r): r is NoDataRuleDef => r.kind === 'no_data')
  const refs = new Map(own.map((r) => [r.id, ruleRef(r)]))
  eachSiteRule(own, registry, (rule, site, points) => {
    const watches = points.map((p) => out.byPoint.get(site.code, p.code) as Watch)
    const ref = refs.get(rule.id) as RuleRef
    if (rule.scope === 'site') {
      if (watches.length > 0) bindSite(rule, ref, site, watches, env, recorder, out)
      return
    }
    for (const w of watches) {
      const key = `${rule.id}|${site.code}|${w.point.code}`
      const thresholdMs = rule.missedPeriods * w.point.intervalS * 1000
      const inst: PointSilence = { key, ref, health: env.health.get(rule), state: recorder.state(key), site, point: w.point, track: w.track, thresholdMs, level: rule.level }
      w.points.push(inst)
      out.pointList.push(inst)
    }
  })
  return out
}

// Tracks of points no longer in the registry are dropped; the baseline follows a redefinition.
function watchAll (registry: RegistryView, env: CompileEnv, tracks: ReadonlyMap<string, PointTrack>, out: BoundSilences): void {
  for (const site of registry.sites()) {
    for (const point of registry.pointsOf(site.code)) {
      const id = `${site.code}|${point.code}`
      const track = tracks.get(id) ?? { lastTs: null, baseline: 0 }
      track.baseline = Math.max(point.definedAt, env.startTs)
      out.tracks.set(id, track)
      out.byPoint.set(site.code, point.code, { point, track, points: [], sites: [] })
    }
  }
}

// A site is silent when all its watched points are; the threshold uses the fastest of them.
function bindSite (rule: NoDataRuleDef, ref: RuleRef, site: Site, watches: Watch[], env: CompileEnv, recorder: KeyRecorder, out: BoundSilences): void {
  const key = `${rule.id}|${site.code}|*`
  const minIntervalS = Math.min(...watches.map((w) => w.point.intervalS))
  const inst: SiteSilence = {
    key,
    ref,
    health: env.health.get(rule),
    state: recorder.state(key),
    site,
    tracks: watches.map((w) => w.track),
    thresholdMs: rule.missedPeriods * minIntervalS * 1000,
    level: rule.level
  }
  out.siteList.push(inst)
  for (const w of watches) w.sites.push(inst)
}

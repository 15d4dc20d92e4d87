// The periodic no-data check. Sites go first: when a whole site is silent (its network is down), one
// site alarm is raised and its points raise nothing while it lasts, instead of a storm of one alarm
// per point that all say the same thing. Point alarms already open are left as they are.
import { conditionChange, type EvalContext } from '../../../change.js'
import type { HealthRecord } from '../../../compiled.js'
import { recordFailure, recordSuccess } from '../../../health.js'
import { lastSeen, siteLastSeen, silent } from '../../../steps/no-data.js'
import { silenceMessage } from '../../../messages.js'
import type { PointSilence, SiteSilence } from './bind.js'

/** SilenceContext adds to EvalContext whether a site is closed (a closed mine is expected to be silent). */
export interface SilenceContext extends EvalContext {
  closed: (site: string) => boolean
}

/** checkSilence raises the no-data conditions that became true at ctx.now. */
export function checkSilence (sites: readonly SiteSilence[], points: readonly PointSilence[], ctx: SilenceContext): void {
  const silentSites = new Set<string>()
  for (const inst of sites) {
    if (checkSite(inst, ctx)) silentSites.add(inst.site.code)
  }
  for (const inst of points) {
    if (inst.state.level !== null || silentSites.has(inst.site.code)) continue
    checkPoint(inst, ctx)
  }
}

// returns true when the site is (or already was) found silent
function checkSite (inst: SiteSilence, ctx: SilenceContext): boolean {
  if (inst.state.level !== null) return true
  if (ctx.closed(inst.site.code)) return false
  return guarded(inst.health, ctx, () => {
    const seen = siteLastSeen(inst.tracks)
    if (!silent(seen, inst.thresholdMs, ctx.now)) return false
    inst.state.level = inst.level
    const message = silenceMessage(inst.site, undefined, inst.ref.title, inst.thresholdMs, inst.level)
    const eventTs = seen + inst.thresholdMs
    ctx.emit(conditionChange(inst, undefined, { level: inst.level, value: null, limit: null, eventTs, late: false, message }))
    return true
  })
}

function checkPoint (inst: PointSilence, ctx: SilenceContext): void {
  if (ctx.closed(inst.site.code)) return
  guarded(inst.health, ctx, () => {
    const seen = lastSeen(inst.track)
    if (!silent(seen, inst.thresholdMs, ctx.now)) return false
    inst.state.level = inst.level
    const message = silenceMessage(inst.site, inst.point, inst.ref.title, inst.thresholdMs, inst.level)
    const eventTs = seen + inst.thresholdMs
    ctx.emit(conditionChange(inst, inst.point, { level: inst.level, value: null, limit: null, eventTs, late: false, message }))
    return true
  })
}

function guarded (health: HealthRecord, ctx: EvalContext, check: () => boolean): boolean {
  ctx.stats.evaluations++
  try {
    const raised = check()
    recordSuccess(health)
    return raised
  } catch (err) {
    recordFailure(health, err, ctx.now)
    return false
  }
}

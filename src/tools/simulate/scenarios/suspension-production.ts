// suspension-production (明停暗开): the underground mine is ordered to suspend production — its status is
// set to suspended — yet hoists and total load keep drawing production-level power (the clean feed goes on
// untouched), the main shaft belt is seen running and ore trucks leave the gate (PW-1, video, PP-8).
// Production "resumes" officially after 3 h.
import { channelNamed } from '../fleet/index.js'
import { HOUR, MIN, everyIn, type ScenarioDef, type ScenarioEvent } from './types.js'

/** SUSPENSION is the site, how long it is suspended, and the cadence of the tell-tale video events. */
export const SUSPENSION = Object.freeze({ site: 'SG-XS', durationMs: 3 * HOUR, beltEveryMs: 10 * MIN, beltFirstMs: 5 * MIN, truckEveryMs: 15 * MIN, truckFirstMs: 7 * MIN })

export const suspensionProduction: ScenarioDef = {
  name: 'suspension-production',
  summary: `${SUSPENSION.site} is set to suspended for 3 h while its hoists draw production power, the belt runs and trucks leave`,
  create ({ at }) {
    const end = at + SUSPENSION.durationMs
    const belt = channelNamed(SUSPENSION.site, '主井皮带')
    const gate = channelNamed(SUSPENSION.site, '矿区大门')
    return {
      name: 'suspension-production',
      events: (site, from, to) => {
        if (site.code !== SUSPENSION.site) return []
        const out: ScenarioEvent[] = []
        if (at > from && at <= to) out.push({ kind: 'status', ts: at, status: 'suspended', note: '停产整顿 (模拟情景 suspension-production)' })
        if (end > from && end <= to) out.push({ kind: 'status', ts: end, status: 'producing', note: '复产 (模拟情景 suspension-production)' })
        for (const ts of everyIn(at + SUSPENSION.beltFirstMs, SUSPENSION.beltEveryMs, end, from, to)) {
          out.push({ kind: 'video', ts, channel: belt, type: 'belt_running', confidence: 0.92 })
        }
        for (const ts of everyIn(at + SUSPENSION.truckFirstMs, SUSPENSION.truckEveryMs, end, from, to)) {
          out.push({ kind: 'video', ts, channel: gate, type: 'vehicle_departure', confidence: 0.88, count: 1 })
        }
        return out.sort((a, b) => a.ts - b.ts)
      }
    }
  }
}

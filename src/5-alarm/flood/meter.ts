// The alarm-flood indicator (issue 9, item 8), in the EEMUA 191 sense: how many alarms a site raised in the
// last 10 minutes; more than an operator can handle (default 10 in 10 min) is a flood. It counts raises (new
// alarms and re-raises), by server time, and keeps per rule how many there were, so the board can group a
// flood ("12 × 设备离线") instead of listing it. Pure: time comes in with each call.

/** FloodPolicy is the sliding window and the count above which a site is flooded. */
export interface FloodPolicy { windowMs: number, threshold: number }

/** FloodState is one site's count in the window ending at `at`. */
export interface FloodState {
  siteCode: string
  count: number
  flood: boolean
  /** raises in the window by rule, most first */
  byRule: Array<{ ruleId: string, count: number }>
}

interface Raise { at: number, ruleId: string }

/** FloodMeter counts each site's raises in a sliding window. */
export class FloodMeter {
  private readonly raises = new Map<string, Raise[]>()

  constructor (private readonly policy: FloodPolicy) {}

  /** record counts one raise of a site's rule at `at` (raises come in time order; a late one is placed) */
  record (siteCode: string, ruleId: string, at: number): void {
    const list = this.raises.get(siteCode) ?? []
    let i = list.length
    while (i > 0 && (list[i - 1]?.at ?? 0) > at) i--
    list.splice(i, 0, { at, ruleId })
    this.raises.set(siteCode, list)
  }

  /** state is a site's count in the window ending at `now` */
  state (siteCode: string, now: number): FloodState {
    const list = this.prune(siteCode, now)
    const byRule = new Map<string, number>()
    for (const r of list) byRule.set(r.ruleId, (byRule.get(r.ruleId) ?? 0) + 1)
    return {
      siteCode,
      count: list.length,
      flood: list.length > this.policy.threshold,
      byRule: [...byRule].map(([ruleId, count]) => ({ ruleId, count })).sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId))
    }
  }

  /** sites lists every site with a raise in the window ending at `now` */
  sites (now: number): FloodState[] {
    return [...this.raises.keys()].map((s) => this.state(s, now)).filter((s) => s.count > 0)
  }

  private prune (siteCode: string, now: number): Raise[] {
    const list = this.raises.get(siteCode) ?? []
    const from = now - this.policy.windowMs
    const keep = list.filter((r) => r.at > from && r.at <= now)
    if (keep.length === 0) this.raises.delete(siteCode)
    else if (keep.length !== list.length) this.raises.set(siteCode, list.filter((r) => r.at > from))
    return keep
  }
}

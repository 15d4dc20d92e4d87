// Site silence that holds video silence back (`suppressWhile`). When a site's gateway goes dark, its NVR's
// heartbeats stop with its readings: one site alarm (connectivity.site.no_data) says so, and a video
// offline alarm per channel plus a low online rate would repeat it for the same cause. A video rule lists
// the rule ids whose open site-wide condition (subject '*') explains a silence; the module cannot read those
// rules, so it follows their changes (ConditionChange, in the `change` callback) and, at a restart, reads
// the open ones back from the engine's state, as the roll-ups do. Only silence is held back: a heartbeat
// saying offline is the camera's own word and is judged as always.
import type { CompileEnv } from '../../compile.js'
import type { ConditionChange } from '../../types.js'
import { SITE_SUBJECT, splitKey } from '../shared/keys.js'

/**
 * Hold is one site silence: `from` is the event time it was established (the site condition's raise),
 * `until` the engine time it cleared (undefined while it lasts). A channel silent since the hold began is
 * judged afresh from `until`: the heartbeats held by the gateway may arrive after its readings.
 */
export interface Hold { from: number, until?: number }

/** SiteHolds follows the site-wide conditions of the rule ids video rules name in suppressWhile. */
export class SiteHolds {
  /** `${ruleId}|${site}` → the last hold of that site condition */
  private readonly holds = new Map<string, Hold>()
  private watched = new Set<string>()

  /** watch sets the rule ids followed, and reads back their open site conditions (seeded at a restart) */
  watch (ruleIds: Iterable<string>, env: CompileEnv): void {
    this.watched = new Set(ruleIds)
    for (const [key, s] of env.states) {
      const k = splitKey(key)
      if (s.level === null || k.subject !== SITE_SUBJECT || !this.watched.has(k.ruleId)) continue
      const id = `${k.ruleId}|${k.site}`
      // an open hold noted from a change wins
      if (this.holds.get(id)?.until !== undefined || !this.holds.has(id)) this.holds.set(id, { from: s.lastTs })
    }
    // a hold whose condition is gone (its rule removed, its state dropped) must not hold video back for ever
    for (const [id, h] of this.holds) {
      if (h.until === undefined && env.states.get(`${id}|${SITE_SUBJECT}`)?.level == null) this.holds.set(id, { from: h.from, until: env.now() })
    }
  }

  /** change notes a raise (hold begins at its event time) or a clear (hold ends now) of a followed site condition */
  change (c: ConditionChange, now: number): void {
    const k = splitKey(c.key)
    if (k.subject !== SITE_SUBJECT || !this.watched.has(k.ruleId)) return
    const id = `${k.ruleId}|${k.site}`
    const prev = this.holds.get(id)
    if (c.level !== null) {
      // an escalation of an open condition keeps its start
      if (prev === undefined || prev.until !== undefined) this.holds.set(id, { from: c.eventTs })
    } else if (prev !== undefined && prev.until === undefined) {
      this.holds.set(id, { from: prev.from, until: now })
    }
  }

  /**
   * of is the hold that applies at `site` for a rule suppressed by `ruleIds`: an open one (the earliest),
   * else the one that ended last; undefined when none.
   */
  of (site: string, ruleIds: readonly string[]): Hold | undefined {
    let open: Hold | undefined
    let ended: Hold | undefined
    for (const id of ruleIds) {
      const h = this.holds.get(`${id}|${site}`)
      if (h === undefined) continue
      if (h.until === undefined) {
        if (open === undefined || h.from < open.from) open = h
      } else if (ended === undefined || (ended.until as number) < h.until) ended = h
    }
    return open ?? ended
  }
}

// The risk service: per-site state kept from the alarm service's stored transitions, the score recomputed on
// every transition, and a RiskChange handed to the outbox only when the level changes or the score has moved by
// at least `step` since the last published change (small moves are visible in GET, not worth a message).
// At start the state is rebuilt from the open alarms and reconciled with the last change each site published
// before (read back from the risk stream), so a restart neither repeats nor forgets a change.
import type { Observable, Subscription } from 'rxjs'
import type { Level } from '../../contract/index.js'
import type { Alarm, AlarmTransitionRecord } from '../types.js'
import type { AlarmFilters } from '../book.js'
import type { Clock } from '../../lib/clock.js'
import { scoreSite } from './score.js'
import type { RiskChange, RiskInput, RiskParams, RiskScore } from './types.js'
import type { Log } from '../../lib/log.js'

/** Published is the last change a site published: what the next one is compared with. */
export interface Published { seq: number, level: Level | null, score: number }

/** AlarmSource is the part of the alarm service the risk service reads. */
export interface AlarmSource {
  transitions$: Observable<AlarmTransitionRecord>
  list: (filters?: AlarmFilters) => Promise<Alarm[]>
}

/** RiskServiceOptions wire the service. */
export interface RiskServiceOptions {
  alarms: AlarmSource
  /** hands a change to the outbox */
  publish: (change: RiskChange) => void
  clock: Clock
  params: RiskParams
  /** score points the score must move (since the last published change) to publish without a level change */
  step: number
  log: Log
  /** the ids of the roll-up rules (kind `rollup`), read at every computation since the rule set can be reloaded */
  rollupRules: () => ReadonlySet<string>
}

/** RiskState is a site's current risk, as GET answers it. */
export interface RiskState extends RiskScore {
  siteCode: string
  /** seq of the last published change (0: none yet) */
  seq: number
  /** server time of the last recomputation (epoch ms) */
  computedAt: number
}

/** RiskService is what the plugin, the routes and the metrics use. */
export interface RiskService {
  /** start subscribes to transitions and rebuilds the state from the open alarms; call once */
  start: (restored?: ReadonlyMap<string, Published>) => Promise<void>
  /** site returns a site's current risk (undefined: no alarm seen there since start) */
  site: (siteCode: string) => RiskState | undefined
  /** sites returns every site with an open alarm */
  sites: () => RiskState[]
  close: () => void
}

interface SiteState {
  alarms: Map<string, { input: RiskInput, seq: number }>
  current: RiskScore
  published: Published
  computedAt: number
}

type Cause = RiskChange['cause']

/** createRiskService builds the service; start() wires it to the alarm service. */
export function createRiskService (o: RiskServiceOptions): RiskService {
  const sites = new Map<string, SiteState>()
  let subscription: Subscription | undefined

  const stateOf = (siteCode: string, restored?: Published): SiteState => {
    let s = sites.get(siteCode)
    if (s === undefined) {
      const published = restored ?? { seq: 0, level: null, score: 0 }
      s = { alarms: new Map(), current: scoreSite([], null, o.params), published, computedAt: o.clock.now() }
      sites.set(siteCode, s)
    }
    return s
  }

  // Records of one alarm arrive in seq order, but the snapshot at start may overlap them: keep the newest.
  const apply = (a: Alarm, seq: number): SiteState | undefined => {
    const s = stateOf(a.siteCode)
    const known = s.alarms.get(a.alarmId)
    if (known !== undefined && known.seq >= seq) return undefined
    if (a.state === 'closed') s.alarms.delete(a.alarmId)
    else s.alarms.set(a.alarmId, { input: toInput(a), seq })
    return s
  }

  const recompute = (siteCode: string, s: SiteState, cause: Cause): void => {
    const now = o.clock.now()
    s.current = scoreSite([...s.alarms.values()].map((e) => e.input), s.current.level ?? s.published.level, o.params, o.rollupRules())
    s.computedAt = now
    const prev = s.published
    const levelChanged = s.current.level !== prev.level
    if (!levelChanged && Math.abs(s.current.score - prev.score) < o.step) return
    // Never below the clock: a restart that lost the in-memory seq still publishes fresh Nats-Msg-Ids.
    const seq = Math.max(prev.seq + 1, now)
    const change: RiskChange = { ...s.current, siteCode, seq, previousLevel: prev.level, previousScore: prev.score, changedAt: now, cause }
    s.published = { seq, level: s.current.level, score: s.current.score }
    o.publish(change)
  }

  const onTransition = (r: AlarmTransitionRecord): void => {
    try {
      const s = apply(r.alarm, r.seq)
      if (s !== undefined) recompute(r.alarm.siteCode, s, { alarmId: r.alarmId, seq: r.seq, transition: r.transition })
    } catch (err) {
      // A bug here must not break the alarm service's commit, which emitted this synchronously.
      o.log.error({ err, alarmId: r.alarmId, seq: r.seq }, 'risk not updated for an alarm transition')
    }
  }

  const view = (siteCode: string, s: SiteState): RiskState => ({ ...s.current, siteCode, seq: s.published.seq, computedAt: s.computedAt })

  return {
    async start (restored = new Map()) {
      // Transitions stored while the snapshot is read are held back and applied after it (seq decides).
      const held: AlarmTransitionRecord[] = []
      let live = false
      subscription = o.alarms.transitions$.subscribe((r) => { if (live) onTransition(r); else held.push(r) })
      const open = await o.alarms.list({ state: 'open', limit: Number.MAX_SAFE_INTEGER })
      for (const [siteCode, published] of restored) stateOf(siteCode, published)
      for (const a of open) apply(a, a.seq)
      for (const [siteCode, s] of sites) recompute(siteCode, s, null)
      live = true
      for (const r of held.splice(0)) onTransition(r)
      o.log.info({ sites: [...sites.values()].filter((s) => s.current.level !== null).length, open: open.length }, 'site risk rebuilt')
    },
    site: (siteCode) => {
      const s = sites.get(siteCode)
      return s === undefined ? undefined : view(siteCode, s)
    },
    sites: () => [...sites].filter(([, s]) => s.current.level !== null).map(([code, s]) => view(code, s)),
    close () {
      subscription?.unsubscribe()
    }
  }
}

function toInput (a: Alarm): RiskInput {
  return { alarmId: a.alarmId, ruleId: a.ruleId, category: a.category, level: a.level, active: a.active, state: a.state, hazardClause: a.hazardClause }
}

// PP-5 SOS (求救, RYQJ): red at once, per card. Pressing the button twice changes nothing.
//
// When does it clear? Not after a fixed time: a person who called for help and is still underground may
// still need it, and positioning going silent says nothing either way. The condition clears only once the
// card has been absent from every snapshot for clearAfter (default 10 min): the person has come up the
// shaft, and the delay rides over a reader missing a card for a snapshot or two. The alarm itself stays
// open until the duty room closes it (alarm life-cycle), so clearing never hides an SOS nobody handled.
import type { Level } from '../../../contract/index.js'
import type { StoredEvent } from '../../../1-ingest/personnel/types.js'
import type { Site } from '../../../registry/types.js'
import { formatMinutes, hazardFor, ms, type Bound } from '../shared/condition.js'
import { conditionKey } from '../shared/keys.js'
import type { Judge, Step } from './positioning.js'

/** SosState remembers, per condition key, since when its card has been missing from the snapshots. */
export type SosState = Map<string, number>

/** raiseSos raises the card's SOS condition at the event's time. */
export function raiseSos (j: Judge, b: Bound, site: Site, e: StoredEvent, absent: SosState): void {
  const key = conditionKey(b.rule.id, site.code, `card:${e.card}`)
  absent.delete(key)
  j.conds.set(j.ctx, key, b.ref, site.code, {
    level: (b.rule.level as Level | undefined) ?? 'red',
    value: null,
    limit: null,
    eventTs: e.ts,
    receivedAt: e.receivedAt,
    message: `${e.card}${e.area === undefined ? '' : ` 在区域 ${e.area}`} 发出求救信号（SOS）`,
    hazardClause: hazardFor(b.rule, site.kind)
  })
}

/** settleSos clears the SOS of cards absent from the snapshots for clearAfter. */
export function settleSos (j: Judge, b: Bound, step: Step, absent: SosState): void {
  const site = step.site.code
  const ts = step.snap.ts
  const clearMs = ms(b.rule, 'clearAfter', '10m')
  const listed = new Set(step.snap.people.map((p) => `card:${p.card}`))
  for (const subject of j.conds.open(b.rule.id, site)) {
    const key = conditionKey(b.rule.id, site, subject)
    // a snapshot older than the SOS (or than the seeded alarm) says nothing about after it
    if (ts <= j.conds.lastTs(key)) continue // (before, and the SOS's own instant)
    if (listed.has(subject)) {
      absent.delete(key)
      continue
    }
    const since = absent.get(key) ?? ts
    absent.set(key, since)
    if (ts - since < clearMs) continue
    absent.delete(key)
    j.conds.set(j.ctx, key, b.ref, site, {
      level: null, value: null, limit: null, eventTs: ts, receivedAt: step.receivedAt, message: `${subject.slice('card:'.length)} 已出井 ${formatMinutes(ts - since)}，求救条件解除`
    })
    // the card has come up: nothing about it is worth keeping
    j.conds.forget(b.rule.id, site, subject)
  }
}

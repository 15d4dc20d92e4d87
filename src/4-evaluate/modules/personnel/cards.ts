// Conditions about one card (subject card:<card>): PP-2 overtime (滞留超时) and PP-3 restricted area
// (进入限制区域). Each snapshot decides every card it lists, and clears the open conditions of cards it
// no longer lists: that person came up (a snapshot lists everyone underground).
import type { Level } from '../../../contract/index.js'
import type { StoredPerson } from '../../../1-ingest/personnel/types.js'
import type { Site } from '../../../registry/types.js'
import { formatMinutes, hazardFor, ms, type Bound, type ModRule, type Outcome } from '../shared/condition.js'
import { conditionKey } from '../shared/keys.js'
import { numberAttr, who, type Judge, type Step } from './positioning.js'

type Verdict = (p: StoredPerson) => Outcome

/**
 * judgeCards applies `verdict` to every card of the snapshot. A card no longer listed came up the shaft: its
 * open condition clears, and what was kept about it is forgotten.
 */
function judgeCards (j: Judge, b: Bound, step: Step, verdict: Verdict, gone: string): void {
  const site = step.site.code
  const ts = step.snap.ts
  const listed = new Set<string>()
  for (const p of step.snap.people) {
    const subject = `card:${p.card}`
    listed.add(subject)
    const key = conditionKey(b.rule.id, site, subject)
    if (!j.conds.before(key, ts)) j.conds.set(j.ctx, key, b.ref, site, { ...verdict(p), eventTs: ts, receivedAt: step.receivedAt })
  }
  for (const subject of j.conds.known(b.rule.id, site)) {
    const key = conditionKey(b.rule.id, site, subject)
    // a condition restored at a restart is not judged by a snapshot older than its last change
    if (listed.has(subject) || j.conds.before(key, ts)) continue
    j.conds.set(j.ctx, key, b.ref, site, {
      level: null, value: null, limit: null, eventTs: ts, receivedAt: step.receivedAt, message: `${subject.slice('card:'.length)} ${gone}`
    })
    j.conds.forget(b.rule.id, site, subject)
  }
}

/** maxStayMs is the longest allowed stay: the site's shift length attribute (hours), else the rule's maxStay. */
export function maxStayMs (rule: ModRule, site: Site): number {
  const hours = numberAttr(site, typeof rule.attribute === 'string' ? rule.attribute : 'shiftHours')
  return hours !== undefined && hours > 0 ? hours * 3_600_000 : ms(rule, 'maxStay', '8h')
}

/** judgeOvertime: a card underground longer than the allowed stay (enteredAt to the snapshot's time). */
export function judgeOvertime (j: Judge, b: Bound, step: Step): void {
  const limitMs = maxStayMs(b.rule, step.site)
  const level = (b.rule.level as Level | undefined) ?? 'yellow'
  const hazardClause = hazardFor(b.rule, step.site.kind)
  const limitH = limitMs / 3_600_000
  judgeCards(j, b, step, (p) => {
    // without an entry time the stay is unknown: not judged, and an open condition stays as it is
    if (p.enteredAt === undefined) return { level: j.conds.levelOf(conditionKey(b.rule.id, step.site.code, `card:${p.card}`)), value: null, limit: limitH, eventTs: 0, message: `${who(p)} 无入井时间` }
    const stay = step.snap.ts - p.enteredAt
    const hours = Math.round(stay / 36_000) / 100
    if (stay <= limitMs) return { level: null, value: hours, limit: limitH, eventTs: 0, message: `${who(p)} 井下 ${formatMinutes(stay)}，未超时`, hazardClause }
    return { level, value: hours, limit: limitH, eventTs: 0, startedAt: p.enteredAt + limitMs, message: `${who(p)} 井下 ${formatMinutes(stay)} > ${formatMinutes(limitMs)}（滞留超时）`, hazardClause }
  }, '已出井')
}

/** restrictedAreas merges the rule's `areas` with the site's attribute (comma-separated list). */
export function restrictedAreas (rule: ModRule, site: Site): Set<string> {
  const out = new Set<string>((rule.areas ?? []) as string[])
  const v = site.attributes[typeof rule.attribute === 'string' ? rule.attribute : 'restrictedAreas']
  if (typeof v === 'string') for (const a of v.split(/[,，\s]+/)) if (a !== '') out.add(a)
  return out
}

/** judgeRestricted: a card of a judged role in a restricted area. */
export function judgeRestricted (j: Judge, b: Bound, step: Step): void {
  const areas = restrictedAreas(b.rule, step.site)
  const roles = b.rule.roles as string[] | undefined
  const level = (b.rule.level as Level | undefined) ?? 'orange'
  const hazardClause = hazardFor(b.rule, step.site.kind)
  judgeCards(j, b, step, (p) => {
    const inside = p.area !== undefined && areas.has(p.area) && (roles === undefined || roles.includes(p.role))
    return inside
      ? { level, value: null, limit: null, eventTs: 0, message: `${who(p)} 进入限制区域`, hazardClause }
      : { level: null, value: null, limit: null, eventTs: 0, message: `${who(p)} 已离开限制区域`, hazardClause }
  }, '已出井')
}

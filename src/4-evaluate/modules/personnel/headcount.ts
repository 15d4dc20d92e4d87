// PP-1 over-staffing (超员): the whole mine against its approved headcount, and each area against its limit.
// Above limit × escalate.ratio (default 1.2, the coal criterion's "20 % above the staffing limit") the
// condition moves to the escalated level and carries the rule's hazard clause where it applies.
import type { Level } from '../../../contract/index.js'
import type { Site } from '../../../registry/types.js'
import { hazardFor, ms, type Bound, type Outcome, type ModRule } from '../shared/condition.js'
import { SITE_SUBJECT, conditionKey } from '../shared/keys.js'
import { judgeDwell, numberAttr, type Judge, type Step } from './positioning.js'

/** STALE_AFTER is the default gap without snapshots that breaks a dwell (4 × the 30 s snapshot period). */
export const STALE_AFTER = '2m'

interface Escalate { ratio: number, level: Level }

/** mineLimit is the approved headcount of a site: its registry value, its attribute, or the rule's limit. */
export function mineLimit (rule: ModRule, site: Site): number | undefined {
  return site.approvedHeadcount ?? numberAttr(site, typeof rule.attribute === 'string' ? rule.attribute : 'approvedHeadcount') ?? rule.limit as number | undefined
}

/** judgeMine judges the site's headcount against its approved headcount. */
export function judgeMine (j: Judge, b: Bound, step: Step): void {
  const limit = mineLimit(b.rule, step.site)
  if (limit === undefined) return
  const target = crowd(b.rule, step.site, step.snap.people.length, limit, '井下总人数')
  judgeDwell(j, conditionKey(b.rule.id, step.site.code, SITE_SUBJECT), b.ref, step, target, ms(b.rule, 'for', '0s'), ms(b.rule, 'staleAfter', STALE_AFTER))
}

/** areaLimits merges the rule's `areas` with the site's `<attributePrefix><area>` attributes (the site wins). */
export function areaLimits (rule: ModRule, site: Site): Map<string, number> {
  const out = new Map<string, number>(Object.entries((rule.areas ?? {}) as Record<string, number>))
  const prefix = typeof rule.attributePrefix === 'string' ? rule.attributePrefix : 'areaLimit.'
  for (const name of Object.keys(site.attributes)) {
    if (!name.startsWith(prefix)) continue
    const n = numberAttr(site, name)
    if (n !== undefined) out.set(name.slice(prefix.length), n)
  }
  return out
}

/** judgeAreas judges each area that has a limit; an open area condition whose limit was removed clears. */
export function judgeAreas (j: Judge, b: Bound, step: Step): void {
  const limits = areaLimits(b.rule, step.site)
  const counts = new Map<string, number>()
  for (const p of step.snap.people) if (p.area !== undefined) counts.set(p.area, (counts.get(p.area) ?? 0) + 1)
  const forMs = ms(b.rule, 'for', '0s')
  const staleMs = ms(b.rule, 'staleAfter', STALE_AFTER)
  for (const [area, limit] of limits) {
    const target = crowd(b.rule, step.site, counts.get(area) ?? 0, limit, `区域 ${area} 人数`)
    judgeDwell(j, conditionKey(b.rule.id, step.site.code, `area:${area}`), b.ref, step, target, forMs, staleMs)
  }
  for (const subject of j.conds.open(b.rule.id, step.site.code)) {
    if (limits.has(subject.slice('area:'.length))) continue
    const key = conditionKey(b.rule.id, step.site.code, subject)
    j.pending.delete(key)
    j.conds.set(j.ctx, key, b.ref, step.site.code, { level: null, value: null, limit: null, eventTs: step.snap.ts, message: `${subject} 不再设定人数限制` })
  }
}

function crowd (rule: ModRule, site: Site, n: number, limit: number, what: string): Outcome {
  const base = { value: n, limit, eventTs: 0 }
  if (n <= limit) return { ...base, level: null, message: `${what} ${n} 人，未超过定员 ${limit} 人`, hazardClause: null }
  const esc = rule.escalate as Escalate | undefined
  const escalated = esc !== undefined && n > limit * esc.ratio
  if (esc !== undefined && escalated) {
    const over = Math.round((esc.ratio - 1) * 100)
    return { ...base, level: esc.level, message: `${what} ${n} 人 > 定员 ${limit} 人，超员 ${over}% 以上`, hazardClause: hazardFor(rule, site.kind) }
  }
  return { ...base, level: (rule.level as Level | undefined) ?? 'yellow', message: `${what} ${n} 人 > 定员 ${limit} 人（超员）`, hazardClause: null }
}

// Site-wide conditions about the crew underground: PP-6 no duty leader (带班下井) and PP-8 people
// underground while the site is declared suspended or closed (明停暗开 suspicion).
import type { Level, SiteStatus } from '../../../contract/index.js'
import { hazardFor, ms, type Bound } from '../shared/condition.js'
import { SITE_SUBJECT, conditionKey } from '../shared/keys.js'
import { STALE_AFTER } from './headcount.js'
import { judgeDwell, numberAttr, type Judge, type Step } from './positioning.js'

/**
 * judgeNoLeader: people underground but no card of role leader, for `for` (default 10 min, the time a
 * leader may go up before the last worker or come down after the first; configurable default).
 */
export function judgeNoLeader (j: Judge, b: Bound, step: Step): void {
  const people = step.snap.people
  const crew = people.filter((p) => p.role !== 'leader').length
  const leaders = people.length - crew
  const holds = crew > 0 && leaders === 0
  const level = holds ? (b.rule.level as Level | undefined) ?? 'yellow' : null
  const message = holds ? `井下 ${crew} 人，无带班领导` : leaders > 0 ? `带班领导 ${leaders} 人在井下` : '井下无人'
  judgeDwell(j, conditionKey(b.rule.id, step.site.code, SITE_SUBJECT), b.ref, step,
    { level, value: crew, limit: 0, eventTs: 0, message, hazardClause: hazardFor(b.rule, step.site.kind) },
    ms(b.rule, 'for', '10m'), ms(b.rule, 'staleAfter', STALE_AFTER))
}

const STATUS_ZH: Readonly<Record<SiteStatus, string>> = { producing: '生产', suspended: '停产', maintenance: '检修', closed: '关闭' }

/** SUSPENDED are the statuses under which people underground are suspect by default. */
export const SUSPENDED: readonly SiteStatus[] = ['suspended', 'closed']

/**
 * judgeSuspension: more people underground than the maintenance allowance (site attribute, else the
 * rule's) while the site's status at the snapshot's time is one of `statuses`.
 */
export function judgeSuspension (j: Judge, b: Bound, step: Step): void {
  const statuses = (b.rule.statuses as SiteStatus[] | undefined) ?? SUSPENDED
  const status = j.ctx.registry.statusAt(step.site.code, step.snap.ts)
  const allowance = numberAttr(step.site, typeof b.rule.attribute === 'string' ? b.rule.attribute : 'suspensionAllowance') ?? (b.rule.allowance as number | undefined) ?? 0
  const n = step.snap.people.length
  const declared = status !== undefined && statuses.includes(status)
  const holds = declared && n > allowance
  const message = holds
    ? `矿山状态为${STATUS_ZH[status as SiteStatus]}，井下 ${n} 人 > 允许留守 ${allowance} 人（疑似明停暗开）`
    : declared ? `矿山状态为${STATUS_ZH[status]}，井下 ${n} 人，未超过允许留守 ${allowance} 人` : `矿山状态为${status === undefined ? '未知' : STATUS_ZH[status]}`
  judgeDwell(j, conditionKey(b.rule.id, step.site.code, SITE_SUBJECT), b.ref, step,
    { level: holds ? (b.rule.level as Level | undefined) ?? 'orange' : null, value: n, limit: allowance, eventTs: 0, message, hazardClause: hazardFor(b.rule, step.site.kind) },
    ms(b.rule, 'for', '10m'), ms(b.rule, 'staleAfter', STALE_AFTER))
}

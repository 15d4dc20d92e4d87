// The payload of a risk change published on minewatch.risk.<siteCode> (schemas/risk-message.json), and the
// current risk GET answers (the same fields, with the time of the last recomputation). Times are RFC 3339 UTC.
import type { RiskMessage, RiskView } from '../../contract/index.js'
import { toIso } from '../../lib/time.js'
import type { RiskState } from './service.js'
import type { RiskChange, RiskScore } from './types.js'

/** toRiskMessage renders a change for NATS. */
export function toRiskMessage (c: RiskChange): RiskMessage {
  return {
    siteCode: c.siteCode,
    seq: c.seq,
    level: c.level,
    score: c.score,
    previousLevel: c.previousLevel,
    previousScore: c.previousScore,
    changedAt: toIso(c.changedAt),
    cause: c.cause,
    ...scoreParts(c)
  }
}

/** encodeRiskMessage is the UTF-8 JSON body published on NATS. */
export function encodeRiskMessage (c: RiskChange): Uint8Array {
  return Buffer.from(JSON.stringify(toRiskMessage(c)), 'utf8')
}

/** toRiskView renders a site's current risk for GET. */
export function toRiskView (s: RiskState): RiskView {
  return { siteCode: s.siteCode, seq: s.seq, level: s.level, score: s.score, computedAt: toIso(s.computedAt), ...scoreParts(s) }
}

function scoreParts (s: RiskScore): Omit<RiskScore, 'score' | 'level'> {
  return { floor: s.floor, multiSource: s.multiSource, domains: s.domains, openAlarms: s.openAlarms, contributors: s.contributors }
}

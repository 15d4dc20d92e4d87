// The only place NATS subjects are built (access standard section 6): minewatch.alarm.<siteCode>.<category>.<level>.
import type { Category, Level } from '../contract/index.js'

/** ALARM_SUBJECT_PREFIX starts every alarm subject. */
export const ALARM_SUBJECT_PREFIX = 'minewatch.alarm'

/** ALARM_SUBJECTS is the wildcard the JetStream stream captures. */
export const ALARM_SUBJECTS = `${ALARM_SUBJECT_PREFIX}.>`

// A site code may contain '.', which would split it into two subject tokens and shift category and level.
// Every character outside [A-Za-z0-9_-] is therefore percent-encoded ('.' → '%2E'). Codes cannot contain '%'
// (section 1: A-Z a-z 0-9 _ . -), so the encoding is unambiguous and decodeToken inverts it. Subscribers
// filtering on one site use the encoded form: minewatch.alarm.SC%2EIRON.>.
const UNSAFE = /[^A-Za-z0-9_-]/g

/** encodeToken makes a code safe as one subject token ('.' becomes '%2E'). */
export function encodeToken (code: string): string {
  return code.replace(UNSAFE, (ch) => [...Buffer.from(ch, 'utf8')].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''))
}

/** decodeToken turns a subject token back into the code it encodes. */
export function decodeToken (token: string): string {
  return decodeURIComponent(token)
}

/** alarmSubject is the subject of an alarm transition of a site, category and level. */
export function alarmSubject (siteCode: string, category: Category, level: Level): string {
  return `${ALARM_SUBJECT_PREFIX}.${encodeToken(siteCode)}.${category}.${level}`
}

/** RISK_SUBJECT_PREFIX starts every composite-risk subject (a derived signal, not an alarm: docs/risk.md). */
export const RISK_SUBJECT_PREFIX = 'minewatch.risk'

/** RISK_SUBJECTS is the wildcard the risk stream captures. */
export const RISK_SUBJECTS = `${RISK_SUBJECT_PREFIX}.>`

/** riskSubject is the subject of a site's risk changes, its code escaped like in alarm subjects. */
export function riskSubject (siteCode: string): string {
  return `${RISK_SUBJECT_PREFIX}.${encodeToken(siteCode)}`
}

/** NOTIFY_SUBJECT_PREFIX starts every notification job's subject (internal: the notify work queue, not the contract). */
export const NOTIFY_SUBJECT_PREFIX = 'minewatch.notify'

/** NOTIFY_SUBJECTS is the wildcard the notify stream captures. */
export const NOTIFY_SUBJECTS = `${NOTIFY_SUBJECT_PREFIX}.>`

/** notifySubject is the subject of a site's notification jobs. */
export function notifySubject (siteCode: string): string {
  return `${NOTIFY_SUBJECT_PREFIX}.${encodeToken(siteCode)}`
}

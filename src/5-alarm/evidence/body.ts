// What an evidence record holds (docs/evidence.md): the alarm and its raise, the window, the readings of its
// points in the window, the rule's definition and version, the transitions so far, and the video references.
// Pure: evidence.ts gathers the parts, this shapes them; times are RFC 3339 UTC, as everywhere in the API.
import type { AlarmMessage } from '../../contract/index.js'
import { toIso } from '../../lib/time.js'
import type { Attachment } from '../read.js'

/** EVIDENCE_FORMAT names the shape of the body, so a later shape can be told apart. */
export const EVIDENCE_FORMAT = 'minewatch.evidence/1'

/** Window is the readings window around the raise, in epoch ms, both ends included. */
export interface Window { from: number, to: number }

/** windowOf is [raise - before, raise + after]. */
export function windowOf (raisedAt: number, o: { beforeMs: number, afterMs: number }): Window {
  return { from: raisedAt - o.beforeMs, to: raisedAt + o.afterMs }
}

/** dueAt is when a record can be fixed: the window's end plus the settle delay for late data. */
export function dueAt (raisedAt: number, o: { afterMs: number, settleMs: number }): number {
  return raisedAt + o.afterMs + o.settleMs
}

/** RuleEvidence is the rule as it raised the alarm: its definition when the loaded rule still has that version. */
export interface RuleEvidence { id: string, version: string, definition: Record<string, unknown> | null }

/** ReadingEvidence is one stored reading of the window. */
export interface ReadingEvidence { point: string, ts: number, value: number | null, status: number }

/** VideoEventEvidence is one stored AI recognition result of the site in the window, with its snapshot reference. */
export interface VideoEventEvidence { channel: string, type: string, ts: number, confidence: number | null, count: number | null, sha256: string | null, url: string | null }

/** EvidenceParts is everything gathered for one record. */
export interface EvidenceParts {
  alarmId: string
  site: string
  points: readonly string[]
  title: string
  category: string
  raisedAt: number
  window: Window
  settleMs: number
  rule: RuleEvidence
  transitions: readonly AlarmMessage[]
  readings: readonly ReadingEvidence[]
  attachments: readonly Attachment[]
  videoEvents: readonly VideoEventEvidence[]
  fixedAt: number
}

/** evidenceBody shapes the parts as the JSON body whose canonical form the digest covers. */
export function evidenceBody (p: EvidenceParts): Record<string, unknown> {
  return {
    format: EVIDENCE_FORMAT,
    alarmId: p.alarmId,
    site: p.site,
    points: [...p.points],
    title: p.title,
    category: p.category,
    raisedAt: toIso(p.raisedAt),
    window: { from: toIso(p.window.from), to: toIso(p.window.to), settleMs: p.settleMs },
    rule: p.rule,
    transitions: p.transitions,
    readings: p.readings.map((r) => ({ point: r.point, ts: toIso(r.ts), value: r.value, status: r.status })),
    video: {
      attachments: p.attachments.map((a) => ({ ...a, ts: toIso(a.ts) })),
      events: p.videoEvents.map((e) => ({ ...e, ts: toIso(e.ts) }))
    },
    fixedAt: toIso(p.fixedAt)
  }
}

/** ruleDefinition strips what loading added (version, file, group): the version is the hash of what is left. */
export function ruleDefinition (def: Record<string, unknown>): Record<string, unknown> {
  const { ruleVersion: _v, file: _f, group: _g, ...spec } = def
  return spec
}

// What GET/POST /v1/alarms answer (section 7): alarms with RFC 3339 UTC times, their history as the same
// messages published on NATS (section 6), and the JSON Schemas Fastify serialises them with.
import type { AlarmMessage } from '../contract/index.js'
import { toIso } from '../lib/time.js'
import { shelfView, toAlarmMessage } from '../6-publish/message.js'
import type { Alarm, AlarmTransitionRecord } from './types.js'
import type { AlarmDetail } from './read.js'

/** AlarmView is an alarm's current state as the API returns it. */
export interface AlarmView {
  alarmId: string
  seq: number
  state: Alarm['state']
  active: boolean
  category: Alarm['category']
  level: Alarm['level']
  siteCode: string
  points: string[]
  ruleId: string
  ruleVersion: string
  title: string
  message: string
  source: string
  value: number | null
  limit: number | null
  /** event time the condition began */
  startedAt: string
  /** server time of the last transition */
  detectedAt: string
  /** event time of the last condition change */
  eventAt: string
  late: boolean
  hazardClause: string | null
  /** server time of the raise: the deadlines count from it */
  raisedAt: string
  escalation: number
  overdue: boolean
  /** the dispatch deadline (server time), null when the dispatch named none or there was no dispatch */
  deadline: string | null
  /** the dispatch deadline passed while the alarm was still dispatched */
  verificationOverdue: boolean
  shelf: AlarmMessage['shelf'] | null
}

/** toAlarmView renders an alarm for the API. */
export function toAlarmView (a: Alarm): AlarmView {
  return {
    alarmId: a.alarmId,
    seq: a.seq,
    state: a.state,
    active: a.active,
    category: a.category,
    level: a.level,
    siteCode: a.siteCode,
    points: a.points,
    ruleId: a.ruleId,
    ruleVersion: a.ruleVersion,
    title: a.title,
    message: a.message,
    source: a.source,
    value: Number.isFinite(a.value) ? a.value : null,
    limit: Number.isFinite(a.limit) ? a.limit : null,
    startedAt: toIso(a.startedAt),
    detectedAt: toIso(a.detectedAt),
    eventAt: toIso(a.eventTs),
    late: a.late,
    hazardClause: a.hazardClause,
    raisedAt: toIso(a.raisedAt),
    escalation: a.escalation,
    overdue: a.overdue,
    deadline: a.deadline === null ? null : toIso(a.deadline),
    verificationOverdue: a.verificationOverdue,
    shelf: a.shelf === null ? null : shelfView(a.shelf)
  }
}

/** toDetailView renders an alarm with its history (as published messages) and evidence. */
export function toDetailView (d: AlarmDetail): { alarm: AlarmView, history: AlarmMessage[], evidence: Array<{ point: string, ts: string, value: number, status: number }>, attachments: AttachmentView[] } {
  return {
    alarm: toAlarmView(d.alarm),
    history: d.history.map(toAlarmMessage),
    evidence: d.evidence.map((e) => ({ point: e.point, ts: toIso(e.ts), value: e.value, status: e.status })),
    attachments: d.attachments.map(({ ts, ...rest }) => ({ ...rest, ts: toIso(ts) }))
  }
}

/** AttachmentView is an attachment as the API returns it: an AI event's snapshot reference, ts in RFC 3339. */
export type AttachmentView = Omit<AlarmDetail['attachments'][number], 'ts'> & { ts: string }

/** toActionView answers an operator action: the alarm after it and the transition it published. */
export function toActionView (r: AlarmTransitionRecord): { alarm: AlarmView, transition: AlarmMessage } {
  return { alarm: toAlarmView(r.alarm), transition: toAlarmMessage(r) }
}

// Response schemas only steer serialisation, so they carry types, not the contract's enums and patterns (and
// no $ref: fast-json-stringify cannot resolve alarm-message.json's relative "common.json#…" references).
const str = { type: 'string' }
const time = { type: 'string', format: 'date-time' }
const nullableNumber = { type: ['number', 'null'] }
const nullableStr = { type: ['string', 'null'] }

// The fields an alarm view and a transition message share (the message adds the transition and operator fields).
const alarmFields = {
  alarmId: str,
  seq: { type: 'integer' },
  state: str,
  active: { type: 'boolean' },
  category: str,
  level: str,
  siteCode: str,
  points: { type: 'array', items: str },
  ruleId: str,
  ruleVersion: str,
  title: str,
  message: str,
  source: str,
  value: nullableNumber,
  limit: nullableNumber,
  startedAt: time,
  detectedAt: time,
  eventAt: time,
  late: { type: 'boolean' },
  hazardClause: nullableStr,
  raisedAt: time,
  escalation: { type: 'integer' },
  overdue: { type: 'boolean' },
  deadline: nullableStr,
  verificationOverdue: { type: 'boolean' },
  shelf: { type: ['object', 'null'], properties: { until: time, reason: str, by: str, approvedBy: str, maintenance: str } }
} as const

/** alarmViewSchema is the response schema of an AlarmView. */
export const alarmViewSchema = {
  type: 'object',
  required: ['alarmId', 'seq', 'state', 'active', 'category', 'level', 'siteCode', 'points', 'ruleId', 'ruleVersion',
    'title', 'message', 'source', 'value', 'limit', 'startedAt', 'detectedAt', 'eventAt', 'late', 'hazardClause'],
  properties: alarmFields
} as const

/** alarmMessageSchema serialises an AlarmMessage (schemas/alarm-message.json), extensions included. */
export const alarmMessageSchema = {
  type: 'object',
  required: ['alarmId', 'seq', 'transition', 'category', 'level', 'siteCode', 'points', 'ruleId', 'ruleVersion',
    'title', 'message', 'value', 'limit', 'startedAt', 'detectedAt', 'late', 'hazardClause'],
  properties: { ...alarmFields, transition: str, by: str, assignee: str, disposition: str, note: str }
} as const

/** responseSchemas are the 200 answers of the alarm routes. */
export const responseSchemas = {
  list: { type: 'object', required: ['alarms'], properties: { alarms: { type: 'array', items: alarmViewSchema } } },
  detail: {
    type: 'object',
    required: ['alarm', 'history', 'evidence'],
    properties: {
      alarm: alarmViewSchema,
      history: { type: 'array', items: alarmMessageSchema },
      evidence: {
        type: 'array',
        items: { type: 'object', properties: { point: str, ts: time, value: { type: 'number' }, status: { type: 'integer' } } }
      },
      attachments: {
        type: 'array',
        items: {
          type: 'object',
          properties: { kind: str, site: str, channel: str, type: str, ts: time, confidence: { type: 'number' }, count: { type: 'integer' }, sha256: str, url: str }
        }
      }
    }
  },
  action: { type: 'object', required: ['alarm', 'transition'], properties: { alarm: alarmViewSchema, transition: alarmMessageSchema } }
} as const

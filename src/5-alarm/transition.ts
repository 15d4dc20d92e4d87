// The one pure function that changes alarm state. Everything else (book, service, routes) only stores,
// persists and publishes what it returns. An alarm is "open" (not closed) until an operator closes it, and
// one condition key has at most one open alarm: a recurrence re-raises that alarm instead of a new one.
import { levelRank, type HandlingState, type Level, type TransitionName } from '../contract/index.js'
import type { Alarm, AlarmInput, Shelf, AlarmTransitionRecord, ConditionInput, DeadlineInput, OperatorInput } from './types.js'

/** TransitionContext is the decision time (server clock, epoch ms) and the source of new alarm ids. */
export interface TransitionContext {
  now: number
  newId: () => string
  /** the shelf the maintenance windows on now put on a raise of these points at this level (none: null) */
  cover?: (siteCode: string, points: readonly string[], level: Level, now: number) => Shelf | null
}

/** DISPATCH_DEADLINE_MAX_MS: a dispatch deadline lies at most 7 days after the decision time. */
export const DISPATCH_DEADLINE_MAX_MS = 7 * 86_400_000

/**
 * TransitionError says why an operator action was refused: the alarm's state does not allow it (conflict), there
 * is no such alarm (not_found), or a field of the action is out of its bounds (invalid, `path` names the field).
 */
export interface TransitionError {
  error: 'conflict' | 'not_found' | 'invalid'
  message: string
  /** JSON pointer of the offending field of the action (invalid only), e.g. /deadline */
  path?: string
}

/** TransitionResult is the new alarm with its record, or {} when nothing changes, or an error. */
export type TransitionResult = { alarm?: Alarm, record?: AlarmTransitionRecord } | TransitionError

/** isTransitionError narrows a result to its error case. */
export function isTransitionError (r: TransitionResult): r is TransitionError {
  return 'error' in r
}

/** transition applies one input to the current alarm of its key (condition) or id (operator action). */
export function transition (current: Alarm | undefined, input: AlarmInput, ctx: TransitionContext): TransitionResult {
  if (input.type === 'condition') return onCondition(current, input, ctx)
  if (current === undefined) return { error: 'not_found', message: 'alarm not found' }
  if (input.type === 'deadline') return onDeadline(current, input, ctx)
  if (input.type === 'shelve' || input.type === 'unshelve') return onShelf(current, input, ctx)
  return onAction(current, input, ctx)
}

function onCondition (cur: Alarm | undefined, c: ConditionInput, ctx: TransitionContext): TransitionResult {
  if (cur === undefined || cur.state === 'closed') {
    // A closed alarm stays closed; a condition that is (still or again) present opens a new one.
    return c.level === null ? {} : raiseNew(c, c.level, ctx)
  }
  if (!cur.active) {
    // Cleared but not yet closed: the recurrence re-raises the same alarm (one open alarm per key).
    // it is a new occurrence: its deadlines start again
    return c.level === null ? {} : conditionStep(cur, c, ctx, 'raised', { active: true, level: c.level, startedAt: c.startedAt ?? c.eventTs, raisedAt: ctx.now, escalation: 0, ...reraiseShelf(cur, c, c.level, ctx) })
  }
  if (c.level === null) return conditionStep(cur, c, ctx, 'cleared', { active: false })
  const diff = levelRank(c.level) - levelRank(cur.level)
  // The engine only reports level changes, but a replay after a restart may repeat the current one.
  if (diff === 0) return {}
  return conditionStep(cur, c, ctx, diff > 0 ? 'escalated' : 'deescalated', { level: c.level, ...redUnshelves(cur, c.level) })
}

// A shelf one person put up does not hold a red alarm: rising to red takes it off (red needs two people).
function redUnshelves (cur: Alarm, level: Level): Partial<Alarm> {
  return level === 'red' && cur.shelf !== null && cur.shelf.approvedBy === undefined ? { shelf: null } : {}
}

// A re-raise keeps a shelf that still holds; an unshelved alarm re-raised inside a maintenance window takes its shelf.
function reraiseShelf (cur: Alarm, c: ConditionInput, level: Level, ctx: TransitionContext): Partial<Alarm> {
  const kept = redUnshelves(cur, level)
  if ((kept.shelf === undefined && cur.shelf !== null)) return {}
  const cover = maintenanceShelf(c, level, ctx)
  return cover === null ? kept : { shelf: cover }
}

function maintenanceShelf (c: ConditionInput, level: Level, ctx: TransitionContext): Shelf | null {
  return ctx.cover?.(c.siteCode, c.points, level, ctx.now) ?? null
}

function raiseNew (c: ConditionInput, level: Level, ctx: TransitionContext): TransitionResult {
  const alarm: Alarm = {
    alarmId: ctx.newId(),
    key: c.key,
    seq: 1,
    ruleId: c.rule.ruleId,
    ruleVersion: c.rule.ruleVersion,
    category: c.rule.category,
    level,
    siteCode: c.siteCode,
    points: [...c.points],
    title: c.rule.title,
    message: c.message,
    source: c.rule.source,
    value: c.value,
    limit: c.limit,
    startedAt: c.startedAt ?? c.eventTs,
    detectedAt: ctx.now,
    eventTs: c.eventTs,
    late: c.late,
    hazardClause: c.rule.hazardClause,
    active: true,
    state: 'open',
    raisedAt: ctx.now,
    escalation: 0,
    overdue: false,
    deadline: null,
    verificationOverdue: false,
    shelf: maintenanceShelf(c, level, ctx)
  }
  return { alarm, record: conditionRecord(alarm, 'raised', c) }
}

// A condition step refreshes what the engine knows now: rule version, value, limit, text, event time.
function conditionStep (cur: Alarm, c: ConditionInput, ctx: TransitionContext, name: TransitionName, patch: Partial<Alarm>): TransitionResult {
  const alarm: Alarm = {
    ...cur,
    ruleVersion: c.rule.ruleVersion,
    title: c.rule.title,
    source: c.rule.source,
    hazardClause: c.rule.hazardClause,
    points: [...c.points],
    value: c.value,
    limit: c.limit,
    message: c.message,
    late: c.late,
    eventTs: c.eventTs,
    ...patch,
    seq: cur.seq + 1,
    detectedAt: nextDetectedAt(cur, ctx.now)
  }
  return { alarm, record: conditionRecord(alarm, name, c) }
}

function conditionRecord (alarm: Alarm, name: TransitionName, c: ConditionInput): AlarmTransitionRecord {
  const record: AlarmTransitionRecord = {
    alarmId: alarm.alarmId,
    seq: alarm.seq,
    transition: name,
    alarm,
    detectedAt: alarm.detectedAt,
    eventTs: c.eventTs,
    late: alarm.late
  }
  if (c.evidence !== undefined) record.evidence = c.evidence
  if (c.attachments !== undefined) record.attachments = c.attachments
  if (c.predictedAt !== undefined) record.predictedAt = c.predictedAt
  if (c.receivedAt !== undefined) record.receivedAt = c.receivedAt
  return record
}

// Which handling states each action may start from, and where it leads.
const ACTIONS: Record<'ack' | 'dispatch' | 'close', { from: readonly HandlingState[], to: HandlingState, name: TransitionName }> = {
  ack: { from: ['open'], to: 'acknowledged', name: 'acknowledged' },
  dispatch: { from: ['open', 'acknowledged'], to: 'dispatched', name: 'dispatched' },
  close: { from: ['open', 'acknowledged', 'dispatched'], to: 'closed', name: 'closed' }
}

function onAction (cur: Alarm, input: Extract<OperatorInput, { type: 'ack' | 'dispatch' | 'close' }>, ctx: TransitionContext): TransitionResult {
  const rule = ACTIONS[input.type]
  if (!rule.from.includes(cur.state)) {
    return { error: 'conflict', message: `alarm ${cur.alarmId} is ${cur.state}: cannot ${input.type} it` }
  }
  if (input.type === 'dispatch' && input.assignee.trim() === '') {
    return { error: 'conflict', message: `alarm ${cur.alarmId}: dispatch needs an assignee` }
  }
  const deadline = input.type === 'dispatch' ? input.deadline : undefined
  if (deadline !== undefined) {
    const refused = checkDeadline(deadline, ctx.now)
    if (refused !== null) return refused
  }
  // Closing while the condition still holds is allowed (e.g. planned work) and stays visible: active is kept.
  // A dispatch sets the deadline it names (or none); the alarm keeps it until closed and after.
  const alarm: Alarm = {
    ...cur,
    state: rule.to,
    ...(input.type === 'dispatch' ? { deadline: deadline ?? null, verificationOverdue: false } : {}),
    seq: cur.seq + 1,
    detectedAt: nextDetectedAt(cur, ctx.now)
  }
  const record: AlarmTransitionRecord = {
    alarmId: alarm.alarmId,
    seq: alarm.seq,
    transition: rule.name,
    alarm,
    detectedAt: alarm.detectedAt,
    eventTs: ctx.now,
    late: alarm.late,
    by: input.by
  }
  if (input.note !== undefined) record.note = input.note
  if (input.type === 'dispatch') record.assignee = input.assignee
  if (input.type === 'close') record.disposition = input.disposition
  return { alarm, record }
}

// A dispatch deadline is a time after the decision and at most DISPATCH_DEADLINE_MAX_MS ahead of it (the server
// clock, so a gateway's or a browser's clock cannot move it).
function checkDeadline (deadline: number, now: number): TransitionError | null {
  const invalid = (message: string): TransitionError => ({ error: 'invalid', path: '/deadline', message })
  if (!Number.isFinite(deadline)) return invalid('must be an RFC 3339 time between 1970 and 9999')
  if (deadline <= now) return invalid(`must be in the future (server time ${new Date(now).toISOString()})`)
  if (deadline > now + DISPATCH_DEADLINE_MAX_MS) return invalid(`must be at most 7 days ahead (until ${new Date(now + DISPATCH_DEADLINE_MAX_MS).toISOString()})`)
  return null
}

// A deadline that no longer applies (acknowledged meanwhile, shelved, closed) changes nothing: timers race with
// operators, and losing that race is normal.
function onDeadline (cur: Alarm, input: DeadlineInput, ctx: TransitionContext): TransitionResult {
  if (input.kind === 'response') {
    if (cur.state !== 'open' || cur.shelf !== null) return {}
    return step(cur, ctx, 'response_overdue', { escalation: cur.escalation + 1 })
  }
  if (input.kind === 'verification') {
    // only while still dispatched: closed before the deadline, nothing is overdue
    if (cur.state !== 'dispatched' || cur.deadline === null || cur.verificationOverdue) return {}
    return step(cur, ctx, 'verification_overdue', { verificationOverdue: true })
  }
  if (cur.state === 'closed' || cur.overdue || (cur.shelf?.maintenance !== undefined && cur.shelf.until > ctx.now)) return {}
  return step(cur, ctx, 'repair_overdue', { overdue: true })
}

// Shelving needs a reason and an end; a red alarm needs a second person's approval.
function onShelf (cur: Alarm, input: Extract<OperatorInput, { type: 'shelve' | 'unshelve' }>, ctx: TransitionContext): TransitionResult {
  if (cur.state === 'closed') return { error: 'conflict', message: `alarm ${cur.alarmId} is closed: cannot ${input.type} it` }
  if (input.type === 'unshelve') {
    if (cur.shelf === null) return { error: 'conflict', message: `alarm ${cur.alarmId} is not shelved` }
    return step(cur, ctx, 'unshelved', { shelf: null }, { by: input.by, ...(input.note === undefined ? {} : { note: input.note }) })
  }
  if (cur.shelf !== null) return { error: 'conflict', message: `alarm ${cur.alarmId} is already shelved` }
  if (input.reason.trim() === '') return { error: 'conflict', message: `alarm ${cur.alarmId}: shelving needs a reason` }
  if (input.until <= ctx.now) return { error: 'conflict', message: `alarm ${cur.alarmId}: a shelf must end in the future` }
  if (cur.level === 'red' && (input.approvedBy === undefined || input.approvedBy === input.by)) {
    return { error: 'conflict', message: `alarm ${cur.alarmId} is red: shelving it needs the approval of a second person, a supervisor` }
  }
  const shelf: Shelf = {
    until: input.until,
    reason: input.reason,
    by: input.by,
    ...(input.approvedBy === undefined ? {} : { approvedBy: input.approvedBy }),
    ...(input.maintenance === undefined ? {} : { maintenance: input.maintenance })
  }
  return step(cur, ctx, 'shelved', { shelf }, { by: input.by, note: input.reason })
}

// A transition that is neither a condition change nor one of the handling actions: the alarm patched, one record.
function step (cur: Alarm, ctx: TransitionContext, name: TransitionName, patch: Partial<Alarm>, extra: Partial<AlarmTransitionRecord> = {}): TransitionResult {
  const alarm: Alarm = { ...cur, ...patch, seq: cur.seq + 1, detectedAt: nextDetectedAt(cur, ctx.now) }
  return { alarm, record: { alarmId: alarm.alarmId, seq: alarm.seq, transition: name, alarm, detectedAt: alarm.detectedAt, eventTs: ctx.now, late: alarm.late, ...extra } }
}

// The audit table's designated timestamp is detectedAt and "latest" is read by it (LATEST ON ts), so two
// transitions of one alarm must never share a millisecond: a second one in the same ms moves 1 ms on.
function nextDetectedAt (cur: Alarm, now: number): number {
  return Math.max(now, cur.detectedAt + 1)
}

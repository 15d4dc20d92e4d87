// Alarms: the record the transition function keeps, and the inputs that move it.
import type { Category, Disposition, HandlingState, Level, TransitionName } from '../contract/index.js'
import type { ConditionChange } from '../4-evaluate/types.js'

/** Alarm is the current state of one alarm. Only 5-alarm/transition.ts creates or changes one. */
export interface Alarm {
  alarmId: string
  key: string
  /** number of transitions so far; the next one gets seq + 1 */
  seq: number
  ruleId: string
  ruleVersion: string
  category: Category
  /** current level (the last level while cleared) */
  level: Level
  siteCode: string
  points: string[]
  title: string
  message: string
  source: string
  value: number | null
  limit: number | null
  /** event time at which the condition began (epoch ms) */
  startedAt: number
  /** server time of the last transition (epoch ms) */
  detectedAt: number
  /** event time of the last condition change, so a replay skips what was already decided */
  eventTs: number
  late: boolean
  hazardClause: string | null
  /** whether the condition still holds */
  active: boolean
  /** operator-side state: open → acknowledged → dispatched → closed */
  state: HandlingState
  /** server time of the raise (or re-raise): the response and repair deadlines count from it */
  raisedAt: number
  /** how many times the response deadline passed unacknowledged (0: never) */
  escalation: number
  /** the repair deadline passed before the alarm was closed */
  overdue: boolean
  /** the dispatch deadline (server time, epoch ms): by when the assignee is to have verified on site; null: none given */
  deadline: number | null
  /** the dispatch deadline passed while the alarm was still dispatched (verification_overdue) */
  verificationOverdue: boolean
  /** set while shelved: no sound, no notification, no escalation, until it ends by itself */
  shelf: Shelf | null
}

/** Shelf is why and until when an alarm is shelved, and who did it (two people for a red one). */
export interface Shelf {
  until: number
  reason: string
  by: string
  approvedBy?: string
  /** the maintenance window that put it up (5-alarm/maintenance) */
  maintenance?: string
}

/** AlarmTransitionRecord is one transition: what is stored (audit trail) and published. */
export interface AlarmTransitionRecord {
  alarmId: string
  seq: number
  transition: TransitionName
  alarm: Alarm
  /** server time of the decision (epoch ms) */
  detectedAt: number
  /** event time behind it: the reading's ts, or the time of the operator action */
  eventTs: number
  /** the alarm's late flag after this transition (section 6: found from late data) */
  late: boolean
  /** arrival time of the reading that triggered it (epoch ms), for the ingest-to-publish latency; not stored */
  receivedAt?: number
  by?: string
  assignee?: string
  disposition?: Disposition
  note?: string
  evidence?: ConditionChange['evidence']
  /** evidence that is not a reading (an AI event's snapshot reference), stored with `evidence` */
  attachments?: ConditionChange['attachments']
  /** a forecast's predicted event time (epoch ms, SL-2 failure time); published, not stored */
  predictedAt?: number
}

/** ConditionInput is a condition change, optionally with the arrival time of its decisive reading. */
export type ConditionInput = ConditionChange & { receivedAt?: number }

/** OperatorInput is one of the operator actions of section 7, or a shelving (issue 9). */
export type OperatorInput =
  | { type: 'ack', by: string, note?: string }
  /** deadline: the dispatch deadline (epoch ms; NaN for a text that is no time), after now and within DISPATCH_DEADLINE_MAX_MS */
  | { type: 'dispatch', by: string, assignee: string, note?: string, deadline?: number }
  | { type: 'close', by: string, disposition: Disposition, note?: string }
  | { type: 'shelve', by: string, reason: string, until: number, approvedBy?: string, maintenance?: string }
  | { type: 'unshelve', by: string, note?: string }

/**
 * DeadlineInput is a deadline that passed: the response (not acknowledged in time), the repair (not closed), or the
 * dispatch deadline (still dispatched: the verification on site is overdue).
 */
export interface DeadlineInput { type: 'deadline', kind: 'response' | 'repair' | 'verification' }

/** AlarmInput moves an alarm: a condition change from the engine, an operator action, or a deadline. */
export type AlarmInput = ConditionInput | OperatorInput | DeadlineInput

// The shapes the console reads: an alarm as GET /v1/alarms and the feed give it (schemas/alarm-message.json).
export type Level = 'red' | 'orange' | 'yellow' | 'blue'
export type State = 'open' | 'acknowledged' | 'dispatched' | 'closed'

export interface Shelf { until: string, reason: string, by: string, approvedBy?: string, maintenance?: string }

export interface Alarm {
  alarmId: string
  seq: number
  transition?: string
  state: State
  active: boolean
  category: string
  level: Level
  siteCode: string
  points: string[]
  ruleId: string
  ruleVersion: string
  title: string
  message: string
  source?: string
  value: number | null
  limit: number | null
  startedAt: string
  detectedAt: string
  eventAt?: string
  hazardClause: string | null
  raisedAt?: string
  escalation?: number
  overdue?: boolean
  shelf?: Shelf | null
  by?: string
  assignee?: string
  /** the dispatch's deadline for the on-site verification */
  deadline?: string | null
  /** still dispatched when the dispatch deadline passed */
  verificationOverdue?: boolean
  disposition?: string
  note?: string
}

export const LEVELS: readonly Level[] = ['red', 'orange', 'yellow', 'blue']

/** levelRank orders red first. */
export function levelRank (l: Level): number {
  return LEVELS.indexOf(l)
}

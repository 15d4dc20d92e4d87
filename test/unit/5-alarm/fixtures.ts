// Builders for alarm tests: a condition change, an alarm in a given state, a transition context.
import type { Level } from '../../../src/contract/index.js'
import type { Alarm, ConditionInput } from '../../../src/5-alarm/types.js'
import type { TransitionContext } from '../../../src/5-alarm/transition.js'

/** T0 is the event time the fixtures start at (2026-11-21T00:00:00Z). */
export const T0 = Date.UTC(2026, 10, 21)

/** KEY is the condition key of the fixtures. */
export const KEY = 'gas.co.limit|SC-IRON|CO-101'

/** change builds a condition change of KEY at `level`. */
export function change (level: Level | null, over: Partial<ConditionInput> = {}): ConditionInput {
  return {
    type: 'condition',
    key: KEY,
    rule: {
      ruleId: 'gas.co.limit',
      ruleVersion: 'v1',
      category: 'over_limit',
      title: 'CO 超限',
      source: 'AQ 1029-2019 §5',
      hazardClause: null
    },
    siteCode: 'SC-IRON',
    points: ['CO-101'],
    level,
    value: level === null ? 10 : 31,
    limit: 24,
    eventTs: T0,
    late: false,
    message: 'CO-101 CO 31 ppm ≥ 24 ppm',
    ...over
  }
}

/** alarm builds an alarm of KEY, open and active at yellow unless overridden. */
export function alarm (over: Partial<Alarm> = {}): Alarm {
  return {
    alarmId: 'A1',
    key: KEY,
    seq: 1,
    ruleId: 'gas.co.limit',
    ruleVersion: 'v1',
    category: 'over_limit',
    level: 'yellow',
    siteCode: 'SC-IRON',
    points: ['CO-101'],
    title: 'CO 超限',
    message: 'CO-101 CO 31 ppm ≥ 24 ppm',
    source: 'AQ 1029-2019 §5',
    value: 31,
    limit: 24,
    startedAt: T0,
    detectedAt: T0 + 100,
    eventTs: T0,
    late: false,
    hazardClause: null,
    active: true,
    state: 'open',
    raisedAt: T0 + 100,
    escalation: 0,
    overdue: false,
    deadline: null,
    verificationOverdue: false,
    shelf: null,
    ...over
  }
}

/** ctx is a transition context at `now` whose new ids are N1, N2, … */
export function ctx (now = T0 + 10_000): TransitionContext {
  let n = 0
  return { now, newId: () => `N${++n}` }
}

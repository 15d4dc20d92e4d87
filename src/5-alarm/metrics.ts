// Alarm metrics, registered on the Registry the caller owns. Labels are bounded: category, level,
// transition, outcome; never an alarm id or a site code.
import { Counter, Gauge, type Registry } from 'prom-client'
import type { Alarm } from './types.js'

/** AlarmMetrics are the alarm service's counters and the open-alarms gauge. */
export interface AlarmMetrics {
  transitions: Counter<'category' | 'level' | 'transition'>
  actions: Counter<'transition' | 'outcome'>
  persistFailures: Counter
  open: Gauge<'category' | 'level'>
  /** observeOpen names the source the open-alarms gauge counts at scrape time */
  observeOpen: (source: () => Iterable<Alarm>) => void
}

/** createAlarmMetrics registers the alarm metrics on `registry`. */
export function createAlarmMetrics (registry: Registry): AlarmMetrics {
  const registers = [registry]
  let source: () => Iterable<Alarm> = () => []
  return {
    transitions: new Counter({
      name: 'minewatch_alarm_transitions_total',
      help: 'Alarm transitions decided and stored, by category, level and transition',
      labelNames: ['category', 'level', 'transition'] as const,
      registers
    }),
    actions: new Counter({
      name: 'minewatch_alarm_actions_total',
      help: 'Operator actions on alarms (ack, dispatch, close) by outcome: ok, conflict, not_found, invalid, error',
      labelNames: ['transition', 'outcome'] as const,
      registers
    }),
    persistFailures: new Counter({
      name: 'minewatch_alarm_persist_failures_total',
      help: 'Failed writes of an alarm transition to QuestDB (a condition change is retried until stored)',
      registers
    }),
    open: new Gauge({
      name: 'minewatch_alarms_open',
      help: 'Alarms not closed, by category and level',
      labelNames: ['category', 'level'] as const,
      registers,
      // Counted at scrape time from the book, so the gauge can never drift from the alarms it describes.
      collect () {
        this.reset()
        for (const a of source()) this.inc({ category: a.category, level: a.level })
      }
    }),
    observeOpen (fn) { source = fn }
  }
}

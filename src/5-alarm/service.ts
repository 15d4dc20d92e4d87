// The alarm service: applies condition changes and operator actions through transition(), stores every
// transition in QuestDB, and only then hands it to the publisher, so that whatever subscribers see is in the
// audit trail, and whatever is in the audit trail but was never acknowledged is republished at start.
import { asyncScheduler, Subject, type Observable, type SchedulerLike } from 'rxjs'
import type { Level } from '../contract/index.js'
import type { Reader, Writer } from '../3-store/types.js'
import type { Clock } from '../lib/clock.js'
import { sleep } from '../lib/sleep.js'
import { walApplied } from '../3-store/wal.js'
import { Conflict, InvalidBody, NotFound } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import type { Alarm, AlarmTransitionRecord, ConditionInput, DeadlineInput, OperatorInput } from './types.js'
import type { AlarmMetrics } from './metrics.js'
import { AlarmBook, type AlarmFilters, type BookOptions } from './book.js'
import { isTransitionError, transition, type TransitionError, type TransitionResult } from './transition.js'
import { ALARM_TABLES, loadLatest, loadOpenAlarms, loadUnpublished, toRow, TRANSITIONS_TABLE } from './persist.js'
import { createKeyedSerializer } from './serial.js'
import { createIdGenerator } from './ids.js'
import { getAlarm, listAll, type AlarmDetail } from './read.js'
import type { Log } from '../lib/log.js'
import type { CoverFn } from './maintenance/windows.js'

/** AlarmServiceOptions wire the service to storage, the publisher and time. */
export interface AlarmServiceOptions {
  writer: Writer
  reader: Reader
  publisher: { enqueue: (record: AlarmTransitionRecord) => void }
  clock: Clock
  /** what storage retries wait on: the wall clock's asyncScheduler in production, a virtual one in tests */
  scheduler: SchedulerLike
  /** alarm id source; defaults to createIdGenerator(clock) */
  newId?: () => string
  log: Log
  metrics: AlarmMetrics
  /** how far back start() looks for transitions never acknowledged by JetStream (default 7 days) */
  republishWindowMs?: number
  /** backoff bounds while a condition change cannot be stored (defaults 200 ms and 5000 ms) */
  retryMinMs?: number
  retryMaxMs?: number
  book?: BookOptions
  /** the maintenance windows' shelf for a raise (5-alarm/maintenance); none: nothing is held */
  cover?: CoverFn
}

/** AlarmSeed tells the engine the last known level of a condition key (null: not active) at restart. */
export interface AlarmSeed { key: string, level: Level | null, eventTs: number }

/** AlarmService is what the engine, the routes and the plugin use. */
export interface AlarmService {
  /** start loads open alarms from QuestDB and republishes unacknowledged transitions; call once, first */
  start: () => Promise<void>
  /** onCondition applies one engine change; it resolves once stored and enqueued (retrying storage meanwhile) */
  onCondition: (change: ConditionInput) => Promise<void>
  /** act applies an operator action: NotFound (404) for an unknown id, Conflict (409) when not allowed, InvalidBody (400) for a field out of bounds (a dispatch deadline) */
  act: (alarmId: string, input: OperatorInput) => Promise<AlarmTransitionRecord>
  /** deadline applies a deadline that passed; undefined when it no longer applies (acknowledged, shelved, closed) */
  deadline: (alarmId: string, kind: DeadlineInput['kind']) => Promise<AlarmTransitionRecord | undefined>
  /** find returns an alarm's current state from memory or QuestDB */
  find: (alarmId: string) => Promise<Alarm | undefined>
  /** list returns alarms passing the filters, newest change first */
  list: (filters?: AlarmFilters) => Promise<Alarm[]>
  /** get returns an alarm with its full history and evidence, or throws NotFound */
  get: (alarmId: string) => Promise<AlarmDetail>
  /** seeds gives the engine each key's last known level */
  seeds: () => AlarmSeed[]
  /** transitions$ emits every transition once it is stored and applied (after the outbox has it); completes on close */
  transitions$: Observable<AlarmTransitionRecord>
  /** close stops storage retries and waits for the work in progress */
  close: () => Promise<void>
}

const DAY_MS = 86_400_000

// A refused action as the catalogue's error: 409 for the alarm's state, 404 for no alarm, 400 for a field of the
// action out of its bounds (details name it, as a body error: /deadline).
function refusal (alarmId: string, r: TransitionError): Error {
  if (r.error === 'conflict') return new Conflict(r.message)
  if (r.error === 'invalid') {
    const path = r.path ?? ''
    return withDetails(new InvalidBody(`body${path} ${r.message}`), [{ path, message: r.message }])
  }
  return new NotFound(`alarm ${alarmId} not found`)
}

/** createAlarmService builds the service; call start() before feeding it. */
export function createAlarmService (o: AlarmServiceOptions): AlarmService {
  const book = new AlarmBook(o.book)
  const serial = createKeyedSerializer()
  const newId = o.newId ?? createIdGenerator(o.clock)
  const closing = new AbortController()
  const transitions$ = new Subject<AlarmTransitionRecord>()
  o.metrics.observeOpen(() => book.openAlarms())

  const decide = (current: Alarm | undefined, input: ConditionInput | OperatorInput | DeadlineInput): TransitionResult =>
    transition(current, input, { now: o.clock.now(), newId, ...(o.cover === undefined ? {} : { cover: o.cover }) })

  // What happens once a transition is stored: memory, metrics, then the outbox (never before storage).
  const commit = (record: AlarmTransitionRecord): void => {
    book.put(record.alarm, record)
    const a = record.alarm
    o.metrics.transitions.inc({ category: a.category, level: a.level, transition: record.transition })
    o.publisher.enqueue(record)
    transitions$.next(record)
  }

  // The engine reports a change once; losing it would lose an alarm, so it is retried until stored.
  const storeUntilDone = async (record: AlarmTransitionRecord): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await o.writer.writeRows(TRANSITIONS_TABLE, [toRow(record)])
        return true
      } catch (err) {
        o.metrics.persistFailures.inc()
        if (closing.signal.aborted) {
          o.log.error({ err, alarmId: record.alarmId, seq: record.seq }, 'alarm transition not stored at shutdown; the engine re-derives it at restart')
          return false
        }
        o.log[attempt === 0 ? 'error' : 'debug']({ err, alarmId: record.alarmId, seq: record.seq, attempt }, 'cannot store alarm transition; retrying')
        const delay = Math.min(o.retryMaxMs ?? 5000, (o.retryMinMs ?? 200) * 2 ** attempt)
        await sleep(delay, o.scheduler, closing.signal).catch(() => {})
      }
    }
  }

  const applyCondition = async (change: ConditionInput): Promise<void> => {
    const current = book.forKey(change.key)
    const r = decide(current, change)
    if (isTransitionError(r)) {
      o.log.error({ key: change.key, error: r.message }, 'condition change refused') // cannot happen: conditions never conflict
      return
    }
    if (r.record === undefined) {
      if (change.level === null) book.conditionEnded(change.key)
      return
    }
    if (await storeUntilDone(r.record)) commit(r.record)
  }

  const applyAction = async (alarmId: string, input: OperatorInput | DeadlineInput): Promise<AlarmTransitionRecord | undefined> => {
    const r = decide(book.get(alarmId), input)
    if (isTransitionError(r)) {
      o.metrics.actions.inc({ transition: input.type, outcome: r.error })
      throw refusal(alarmId, r)
    }
    const record = r.record
    if (record === undefined) return undefined
    // An operator gets the storage error (503) and retries; nothing is published for an unstored action.
    await o.writer.writeRows(TRANSITIONS_TABLE, [toRow(record)]).catch((err: unknown) => {
      o.metrics.persistFailures.inc()
      o.metrics.actions.inc({ transition: input.type, outcome: 'error' })
      throw err
    })
    commit(record)
    o.metrics.actions.inc({ transition: input.type, outcome: 'ok' })
    return record
  }

  // Every open alarm is in memory, so one that is not is either closed long ago (409) or unknown (404).
  const refuseUnknown = async (alarmId: string, input: OperatorInput | DeadlineInput): Promise<Error> => {
    const stored = await loadLatest(o.reader, alarmId)
    o.metrics.actions.inc({ transition: input.type, outcome: stored === undefined ? 'not_found' : 'conflict' })
    return stored === undefined
      ? new NotFound(`alarm ${alarmId} not found`)
      : new Conflict(`alarm ${alarmId} is ${stored.state}: cannot ${input.type} it`)
  }

  const find = async (alarmId: string): Promise<Alarm | undefined> => book.get(alarmId) ?? await loadLatest(o.reader, alarmId)

  return {
    async start () {
      // real time on purpose: start runs before ready, and virtual-time tests move time only after it
      if (!await walApplied(o.reader, ALARM_TABLES, { scheduler: asyncScheduler })) o.log.warn({}, 'QuestDB has not applied all alarm rows yet; loading what is visible')
      for (const alarm of await loadOpenAlarms(o.reader)) book.put(alarm)
      const since = o.clock.now() - (o.republishWindowMs ?? 7 * DAY_MS)
      const unpublished = await loadUnpublished(o.reader, since)
      for (const record of unpublished) o.publisher.enqueue(record)
      o.log.info({ open: book.size, republished: unpublished.length }, 'alarm state loaded')
    },
    onCondition: async (change) => await serial.run(change.key, async () => await applyCondition(change)),
    async act (alarmId, input) {
      const alarm = book.get(alarmId)
      if (alarm === undefined) throw await refuseUnknown(alarmId, input)
      return await serial.run(alarm.key, async () => await applyAction(alarmId, input)) as AlarmTransitionRecord
    },
    async deadline (alarmId, kind) {
      const alarm = book.get(alarmId)
      if (alarm === undefined) return undefined // closed and gone from memory: nothing is due
      return await serial.run(alarm.key, async () => await applyAction(alarmId, { type: 'deadline', kind }))
    },
    find,
    list: async (filters = {}) => (filters.state ?? 'open') === 'open' ? book.list(filters) : await listAll(o.reader, book, filters),
    get: async (alarmId) => await getAlarm(o.reader, book, alarmId),
    seeds: () => [...book.latestPerKey()].map((a) => ({ key: a.key, level: a.active ? a.level : null, eventTs: a.eventTs })),
    transitions$: transitions$.asObservable(),
    async close () {
      closing.abort()
      await serial.idle()
      transitions$.complete()
    }
  }
}

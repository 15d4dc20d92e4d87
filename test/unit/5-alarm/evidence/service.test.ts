// evidence fixing - in virtual time over in-memory storage: a raise schedules its record at raise + AFTER +
// SETTLE, nothing is fixed a millisecond before, the record then holds the window's readings (asked for by the
// exact window), the rule's definition and the transitions; a raised alarm found unfixed at start is fixed; a
// fixing that fails is tried again; a re-raise adds nothing.
import t from 'tap'
import { Subject } from 'rxjs'
import { clockOf } from '../../../../src/lib/clock.js'
import { silentLog } from '../../../../src/lib/log.js'
import { advanceTo, createReplayScheduler } from '../../../../src/lib/virtual-time.js'
import { createLedger } from '../../../../src/5-alarm/evidence/ledger.js'
import { createEvidence, type EvidencePolicy, type LoadedRule } from '../../../../src/5-alarm/evidence/service.js'
import { EVIDENCE_TABLE, SQL } from '../../../../src/5-alarm/evidence/store.js'
import type { AlarmTransitionRecord } from '../../../../src/5-alarm/types.js'
import type { AlarmDetail } from '../../../../src/5-alarm/read.js'
import { ruleVersion } from '../../../../src/4-evaluate/canonical.js'
import { FakeReader, FakeWriter } from '../../../helpers/fake-store.js'
import { evidenceQueries } from './fake-ledger.js'
import { until } from '../../../helpers/wait.js'
import { alarm, T0 } from '../fixtures.js'

const MIN = 60_000
const POLICY: EvidencePolicy = { beforeMs: 30 * MIN, afterMs: 10 * MIN, settleMs: MIN }
const SPEC = { id: 'gas.co.limit', kind: 'threshold', levels: { yellow: { at: 24, release: 20 } } }
const RULE: LoadedRule = { ...SPEC, ruleVersion: ruleVersion(SPEC), file: 'gas.yaml', group: 'gas' }

function raisedRecord (alarmId: string, at: number): AlarmTransitionRecord {
  const a = alarm({ alarmId, raisedAt: at, detectedAt: at, ruleVersion: RULE.ruleVersion })
  return { alarmId, seq: 1, transition: 'raised', alarm: a, detectedAt: at, eventTs: at - 1000, late: false }
}

interface Setup {
  transitions: Subject<AlarmTransitionRecord>
  writer: FakeWriter
  readingQueries: string[]
  failReadings: { n: number }
  advance: (ms: number) => void
  service: ReturnType<typeof createEvidence>
}

async function setup (t: { teardown: (fn: () => unknown) => void }, unfixed: Array<{ alarm_id: string, raised_at: number }> = []): Promise<Setup> {
  const scheduler = createReplayScheduler(T0)
  const transitions = new Subject<AlarmTransitionRecord>()
  const writer = new FakeWriter()
  const readingQueries: string[] = []
  const failReadings = { n: 0 }
  const reader = new FakeReader().on(evidenceQueries(writer)).on((sql) => {
    if (sql === SQL.raised) return unfixed
    if (sql.includes('FROM readings')) {
      if (failReadings.n > 0) { failReadings.n--; throw new Error('QuestDB down') }
      readingQueries.push(sql)
      return [{ ts: T0 - 5 * MIN, value: 12, status: 0 }, { ts: T0, value: 31, status: 0 }]
    }
    if (sql.includes('FROM video_events')) return []
    return undefined
  })
  const alarms = {
    transitions$: transitions.asObservable(),
    get: async (alarmId: string): Promise<AlarmDetail> => {
      const r = raisedRecord(alarmId, T0)
      return { alarm: r.alarm, history: [r], evidence: [], attachments: [] }
    }
  }
  const ledger = createLedger({ reader, writer, scheduler, log: silentLog })
  await ledger.start()
  const service = createEvidence({ alarms, rules: () => [RULE], reader, ledger, clock: clockOf(scheduler), scheduler, policy: POLICY, log: silentLog, retryMs: MIN })
  await service.start()
  t.teardown(async () => { await service.close(); await ledger.close() })
  return { transitions, writer, readingQueries, failReadings, advance: (ms) => advanceTo(scheduler, ms), service }
}

const DUE = T0 + POLICY.afterMs + POLICY.settleMs

t.test('evidence fixing - a raise is fixed at raise + AFTER + SETTLE, with the window, the rule and the transitions', async (t) => {
  const s = await setup(t)
  s.transitions.next(raisedRecord('A1', T0))
  t.equal(s.service.dueAt('A1'), DUE)
  s.advance(DUE - 1)
  t.equal(await s.service.record('A1'), undefined, 'nothing a millisecond before')
  s.advance(DUE)
  const row = await until(async () => await s.service.record('A1'), 'the record')
  t.match(row, { seq: 1, alarmId: 'A1', site: 'SC-IRON', fixedAt: DUE })
  t.match(s.readingQueries[0], new RegExp(`ts >= '${new Date(T0 - 30 * MIN).toISOString()}' AND ts <= '${new Date(T0 + 10 * MIN).toISOString()}'`), 'the readings of the exact window')
  const body = JSON.parse(row.body)
  t.same(body.readings.map((r: { ts: string }) => r.ts), [new Date(T0 - 5 * MIN).toISOString(), new Date(T0).toISOString()])
  t.same(body.rule, { id: 'gas.co.limit', version: RULE.ruleVersion, definition: SPEC }, 'the definition without what loading added')
  t.same(body.transitions.map((x: { transition: string }) => x.transition), ['raised'])
  t.equal(s.service.dueAt('A1'), undefined, 'no longer pending')
  s.transitions.next(raisedRecord('A1', T0 + 20 * MIN))
  t.equal(s.service.dueAt('A1'), undefined, 'a re-raise adds nothing')
})

t.test('evidence fixing - a raised alarm without a record at start is scheduled and fixed', async (t) => {
  const s = await setup(t, [{ alarm_id: 'A7', raised_at: T0 }])
  t.equal(s.service.dueAt('A7'), DUE)
  s.advance(DUE)
  t.match(await until(async () => await s.service.record('A7'), 'the record'), { seq: 1, alarmId: 'A7' })
})

t.test('evidence fixing - a fixing that fails is tried again, and stored once', async (t) => {
  const s = await setup(t)
  s.failReadings.n = 1
  s.transitions.next(raisedRecord('A2', T0))
  s.advance(DUE)
  await until(async () => s.failReadings.n === 0 ? true : undefined, 'the failed attempt')
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(await s.service.record('A2'), undefined, 'not fixed yet')
  t.equal(s.service.dueAt('A2'), DUE, 'still pending')
  s.advance(DUE + MIN)
  t.match(await until(async () => await s.service.record('A2'), 'the record'), { seq: 1, alarmId: 'A2', fixedAt: DUE + MIN })
  t.equal(s.writer.rows(EVIDENCE_TABLE).length, 1)
})

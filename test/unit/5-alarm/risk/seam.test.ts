// The seam the risk service reads: AlarmService.transitions$ emits a transition only once it is stored, in the
// order the book applied them, never for a refused or unstored action, and completes on close.
import t from 'tap'
import { Registry } from 'prom-client'
import { asyncScheduler } from 'rxjs'
import { createAlarmService } from '../../../../src/5-alarm/service.js'
import { createAlarmMetrics } from '../../../../src/5-alarm/metrics.js'
import { TRANSITIONS_TABLE } from '../../../../src/5-alarm/persist.js'
import type { AlarmTransitionRecord } from '../../../../src/5-alarm/types.js'
import { ManualClock } from '../../../../src/lib/clock.js'
import { alarmQueries, FakeReader, FakeWriter } from '../../../helpers/fake-store.js'
import { change, T0 } from '../fixtures.js'
import type { Log } from '../../../../src/lib/log.js'

const silent: Log = { debug () {}, info () {}, warn () {}, error () {} }

t.test('risk seam - alarm transitions$ emits stored transitions only, then completes', async (t) => {
  const writer = new FakeWriter()
  let n = 0
  const service = createAlarmService({
    writer,
    reader: new FakeReader().on(alarmQueries(writer)),
    clock: new ManualClock(T0),
    scheduler: asyncScheduler,
    log: silent,
    metrics: createAlarmMetrics(new Registry()),
    publisher: { enqueue: () => {} },
    newId: () => `A${++n}`,
    retryMinMs: 1,
    retryMaxMs: 2
  })
  await service.start()
  const seen: Array<[string, number, string, number]> = []
  let completed = false
  service.transitions$.subscribe({
    next: (r: AlarmTransitionRecord) => { seen.push([r.alarmId, r.seq, r.transition, writer.rows(TRANSITIONS_TABLE).length]) },
    complete: () => { completed = true }
  })
  writer.failNext(2)
  await service.onCondition(change('yellow'))
  t.same(seen, [['A1', 1, 'raised', 1]], 'emitted once, after the row was stored (two failed writes retried first)')
  writer.failNext(1)
  await t.rejects(service.act('A1', { type: 'ack', by: 'x' }), { code: 'MW_ERR_STORAGE_UNAVAILABLE' })
  await t.rejects(service.act('A1', { type: 'dispatch', by: 'x', assignee: ' ' }), { code: 'MW_ERR_CONFLICT' })
  t.equal(seen.length, 1, 'an unstored or refused action emits nothing')
  await service.act('A1', { type: 'ack', by: 'x' })
  await service.onCondition(change(null, { eventTs: T0 + 1000 }))
  t.same(seen.map(([id, seq, name]) => [id, seq, name]), [['A1', 1, 'raised'], ['A1', 2, 'acknowledged'], ['A1', 3, 'cleared']], 'in seq order')
  await service.close()
  t.ok(completed, 'close completes the stream')
})

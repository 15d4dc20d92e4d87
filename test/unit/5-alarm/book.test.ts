import t from 'tap'
import { AlarmBook, byRecentChange, matchesFilters } from '../../../src/5-alarm/book.js'
import type { AlarmTransitionRecord } from '../../../src/5-alarm/types.js'
import { alarm, T0 } from './fixtures.js'

const rec = (a: ReturnType<typeof alarm>): AlarmTransitionRecord =>
  ({ alarmId: a.alarmId, seq: a.seq, transition: 'raised', alarm: a, detectedAt: a.detectedAt, eventTs: a.eventTs, late: false })

t.test('alarms - book indexes open alarms by id and key', async (t) => {
  const book = new AlarmBook()
  const a = alarm()
  book.put(a, rec(a))
  t.equal(book.get('A1'), a)
  t.equal(book.forKey(a.key), a)
  t.equal(book.size, 1)
  t.same(book.recordsOf('A1').map((r) => r.seq), [1])
  t.same([...book.latestPerKey()], [a])
})

t.test('alarms - book forgets a closed alarm whose condition is gone, keeps one closed while active', async (t) => {
  const book = new AlarmBook()
  book.put(alarm())
  book.put(alarm({ seq: 2, state: 'closed', active: false, detectedAt: T0 + 200 }))
  t.equal(book.size, 0)
  t.equal(book.forKey(alarm().key), undefined, 'the next raise is a new alarm anyway')
  t.equal(book.get('A1')?.state, 'closed', 'still answered right after the close')

  book.put(alarm({ alarmId: 'A2', key: 'k2' }))
  book.put(alarm({ alarmId: 'A2', key: 'k2', seq: 2, state: 'closed', active: true, detectedAt: T0 + 300 }))
  t.equal(book.forKey('k2')?.alarmId, 'A2', 'closed while active still seeds the engine')
  t.same(book.list(), [])
  book.conditionEnded('k2')
  t.equal(book.forKey('k2'), undefined)
})

t.test('alarms - book keeps only a bounded number of closed alarms and records', async (t) => {
  const book = new AlarmBook({ recentClosed: 2, recordsPerAlarm: 3 })
  for (let i = 1; i <= 5; i++) {
    const a = alarm({ seq: i, detectedAt: T0 + i })
    book.put(a, rec(a))
  }
  t.same(book.recordsOf('A1').map((r) => r.seq), [3, 4, 5])
  for (const id of ['B1', 'B2', 'B3']) book.put(alarm({ alarmId: id, key: id, state: 'closed', active: false }))
  t.equal(book.get('B1'), undefined, 'the oldest closed alarm is evicted')
  t.ok(book.get('B2'))
  t.ok(book.get('B3'))
})

t.test('alarms - book never lets an older alarm displace a newer one of the same key', async (t) => {
  const book = new AlarmBook()
  book.put(alarm({ alarmId: 'NEW', detectedAt: T0 + 500 }))
  book.put(alarm({ alarmId: 'OLD', state: 'closed', active: true, detectedAt: T0 + 100 }))
  t.equal(book.forKey(alarm().key)?.alarmId, 'NEW')
})

t.test('alarms - book lists with filters, newest change first', async (t) => {
  const book = new AlarmBook()
  book.put(alarm({ alarmId: 'A', key: 'a', siteCode: 'S1', level: 'red', detectedAt: T0 + 1 }))
  book.put(alarm({ alarmId: 'B', key: 'b', siteCode: 'S2', category: 'fault', detectedAt: T0 + 2 }))
  book.put(alarm({ alarmId: 'C', key: 'c', siteCode: 'S1', detectedAt: T0 + 3 }))
  const ids = (f: Parameters<AlarmBook['list']>[0]) => book.list(f).map((a) => a.alarmId)
  t.same(ids({}), ['C', 'B', 'A'])
  t.same(ids({ site: 'S1' }), ['C', 'A'])
  t.same(ids({ sites: new Set(['S2']) }), ['B'])
  t.same(ids({ category: 'fault' }), ['B'])
  t.same(ids({ level: 'red' }), ['A'])
  t.same(ids({ since: T0 + 2 }), ['C', 'B'])
  t.same(ids({ limit: 1 }), ['C'])
})

t.test('alarms - filters and order helpers', async (t) => {
  t.notOk(matchesFilters(alarm({ state: 'closed' }), {}), 'state defaults to open')
  t.ok(matchesFilters(alarm({ state: 'closed' }), { state: 'all' }))
  const same = alarm({ level: 'yellow' })
  const red = alarm({ alarmId: 'A2', level: 'red' })
  t.same([same, red].sort(byRecentChange).map((a) => a.alarmId), ['A2', 'A1'], 'same time: higher level first')
})

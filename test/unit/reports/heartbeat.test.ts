// minewatch's own heartbeat: a row at start and every period on the injected scheduler; a failed write is logged
// once per failing streak and leaves its gap.
import t from 'tap'
import { createReplayScheduler, advanceTo } from '../../../src/lib/virtual-time.js'
import { clockOf } from '../../../src/lib/clock.js'
import { collectLog } from '../../../src/lib/log.js'
import { startHeartbeat } from '../../../src/reports/heartbeat.js'
import { FakeWriter } from '../../helpers/fake-store.js'

t.test('heartbeat - at start, then every period; stop ends it', async (t) => {
  const scheduler = createReplayScheduler(1_000_000)
  const writer = new FakeWriter()
  const lines: string[] = []
  const heart = startHeartbeat({ writer, scheduler, clock: clockOf(scheduler), periodMs: 60_000, instance: 'h:1', log: collectLog(lines) })
  advanceTo(scheduler, 1_000_000 + 180_000)
  const beats = () => (writer.tables.get('server_heartbeat') ?? []).map((r) => r.ts)
  await new Promise((resolve) => setImmediate(resolve))
  t.same(beats(), [1_000_000, 1_060_000, 1_120_000, 1_180_000])
  t.same(writer.tables.get('server_heartbeat')?.[3]?.columns, { started_at: 1_000_000, period_s: 60 })
  writer.failNext(2)
  advanceTo(scheduler, 1_000_000 + 360_000)
  await new Promise((resolve) => setImmediate(resolve))
  t.same(beats(), [1_000_000, 1_060_000, 1_120_000, 1_180_000, 1_360_000], 'the beats of 1 240 000 and 1 300 000 lost: their gap stays')
  t.equal(lines.filter((l) => l.startsWith('heartbeat not stored')).length, 1, 'logged once for the failing streak')
  heart.stop()
  advanceTo(scheduler, 1_000_000 + 600_000)
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(beats().length, 5, 'no beat after stop')
})

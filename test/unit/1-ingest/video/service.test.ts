// The video service: channel lists replaced durably then in memory (removed channels get a deleted row,
// a duplicate channelCode is a 400 naming it), and the seam for later rules: events$ / heartbeats$ emit
// only what QuestDB acknowledged.
import t from 'tap'
import { ManualClock } from '../../../../src/lib/clock.js'
import { MemoryChannels } from '../../../../src/1-ingest/video/memory.js'
import { createVideoService } from '../../../../src/1-ingest/video/service.js'
import { createVideoStore } from '../../../../src/1-ingest/video/store.js'
import type { HeartbeatRow, VideoEventRow } from '../../../../src/1-ingest/video/types.js'
import { FakeWriter } from '../../../helpers/fake-store.js'

function setup () {
  const registryWriter = new FakeWriter()
  const dataWriter = new FakeWriter()
  const clock = new ManualClock(1000)
  const view = new MemoryChannels()
  const service = createVideoService(view, createVideoStore(registryWriter, dataWriter), clock)
  return { registryWriter, dataWriter, clock, view, service }
}

t.test('video service - PUT channels replaces the list; removed channels are stored as deleted', async (t) => {
  const { registryWriter, clock, view, service } = setup()
  t.equal(await service.putChannels('S1', [{ channelCode: 'V01', name: 'a' }, { channelCode: 'V02', name: 'b', location: 'x' }]), 2)
  clock.set(2000)
  t.equal(await service.putChannels('S1', [{ channelCode: 'V02', name: 'b2' }]), 1)
  t.same(view.channelsOf('S1'), [{ site: 'S1', code: 'V02', name: 'b2', definedAt: 1000 }], 'definedAt of a kept channel is its first definition')
  t.same(registryWriter.rows('video_channels').map((r) => [r.channel, r.deleted, r.ts]),
    [['V01', false, 1000], ['V02', false, 1000], ['V02', false, 2000], ['V01', true, 2000]])
  t.same(view.channelsOf('S2'), [], 'other sites are untouched')
})

t.test('video service - a duplicate channelCode is a 400 naming /i/channelCode and stores nothing', async (t) => {
  const { registryWriter, service } = setup()
  await t.rejects(service.putChannels('S1', [{ channelCode: 'V01', name: 'a' }, { channelCode: 'V01', name: 'b' }]), {
    statusCode: 400,
    code: 'MW_ERR_INVALID_BODY',
    details: [{ index: 1, path: '/1/channelCode', message: 'channel V01 is defined twice' }]
  })
  t.equal(registryWriter.calls.length, 0)
})

t.test('video service - memory is unchanged when storage fails', async (t) => {
  const { registryWriter, view, service } = setup()
  registryWriter.failNext(1)
  await t.rejects(service.putChannels('S1', [{ channelCode: 'V01', name: 'a' }]), { statusCode: 503, code: 'MW_ERR_STORAGE_UNAVAILABLE' })
  t.same(view.channelsOf('S1'), [])
})

t.test('video service - events$ and heartbeats$ emit stored batches only', async (t) => {
  const { dataWriter, service } = setup()
  const seenEvents: Array<readonly VideoEventRow[]> = []
  const seenBeats: Array<readonly HeartbeatRow[]> = []
  service.events$.subscribe((b) => seenEvents.push(b))
  service.heartbeats$.subscribe((b) => seenBeats.push(b))
  const ev: VideoEventRow = { site: 'S1', channel: 'V01', type: 'intrusion', ts: 1, receivedAt: 2 }
  const hb: HeartbeatRow = { site: 'S1', channel: 'V01', online: true, ts: 1, receivedAt: 2 }
  await service.storeEvents([ev])
  await service.storeHeartbeats([hb])
  await service.storeEvents([])
  dataWriter.failNext(1)
  await t.rejects(service.storeEvents([{ ...ev, ts: 3 }]))
  t.same(seenEvents, [[ev]], 'an empty or failed batch is not emitted')
  t.same(seenBeats, [[hb]])
  t.same(dataWriter.rows('video_events').map((r) => r.ts), [1])
  t.same(dataWriter.rows('video_heartbeats').map((r) => r.online), [true])
  let completed = 0
  service.events$.subscribe({ complete: () => completed++ })
  service.close()
  t.equal(completed, 1, 'close completes the streams')
})

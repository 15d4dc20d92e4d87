// Per-item validation of video heartbeats and AI event batches (access standard section 5): a bad item
// rejects only itself, named by index, JSON path and an actionable message; an unknown event type and an
// unknown channel are rejected per item; accepted items become rows with the arrival time of the batch.
import t from 'tap'
import { checkEvents, checkHeartbeats, compileVideoValidators } from '../../../../src/1-ingest/video/validate.js'
import { MemoryChannels } from '../../../../src/1-ingest/video/memory.js'
import type { TimeBounds } from '../../../../src/1-ingest/validate.js'

const NOW = Date.parse('2026-11-21T00:00:00.000Z')
const BOUNDS: TimeBounds = { maxFutureSkewMs: 300_000, rawRetentionMs: 90 * 86_400_000 }
const SHA = 'ab'.repeat(32)
const v = compileVideoValidators()
const channels = new MemoryChannels([
  { site: 'S1', code: 'V01', name: '主井口', definedAt: 0 },
  { site: 'S1', code: 'V02', name: '皮带', definedAt: 0 },
  { site: 'S2', code: 'V09', name: '其他', definedAt: 0 }
])

const events = (items: unknown[], site = 'S1') => checkEvents(site, items, v.event, channels, BOUNDS, NOW)
const heartbeats = (items: unknown[], site = 'S1') => checkHeartbeats(site, NOW - 1000, items, v.heartbeat, channels, NOW)

function eventRejection (item: unknown): { index?: number, path: string, message: string } {
  const { rows, rejected } = events([item])
  if (rows.length !== 0 || rejected.length !== 1) throw new Error(`expected exactly one rejection, got ${JSON.stringify({ rows, rejected })}`)
  return rejected[0] as { index?: number, path: string, message: string }
}

t.test('video validate - an accepted event becomes a row with its evidence and receivedAt = now', async (t) => {
  const { rows, rejected } = events([
    { channel: 'V01', ts: NOW - 20_000, type: 'no_helmet', confidence: 0.93, count: 1, evidence: { sha256: SHA, url: 'http://nvr.local/snap/123.jpg' } },
    { channel: 'V02', ts: '2026-11-21T07:59:50.000+08:00', type: 'belt_deviation' }
  ])
  t.same(rejected, [])
  t.same(rows, [
    { site: 'S1', channel: 'V01', type: 'no_helmet', ts: NOW - 20_000, receivedAt: NOW, confidence: 0.93, count: 1, evidenceSha256: SHA, evidenceUrl: 'http://nvr.local/snap/123.jpg' },
    { site: 'S1', channel: 'V02', type: 'belt_deviation', ts: NOW - 10_000, receivedAt: NOW }
  ], 'RFC 3339 with an offset becomes epoch ms; absent optional fields stay absent')
  t.same(events([]), { rows: [], indexes: [], rejected: [], rejectedCount: 0 }, 'an empty batch is fine')
})

t.test('video validate - every contract event type is accepted', async (t) => {
  const types = ['no_helmet', 'intrusion', 'smoke_fire', 'belt_deviation', 'off_post', 'person_count',
    'camera_tamper', 'belt_running', 'vehicle_departure', 'overcrowding']
  const { rows, rejected } = events(types.map((type, i) => ({ channel: 'V01', ts: NOW - i, type })))
  t.same(rejected, [])
  t.same(rows.map((r) => r.type), types)
})

t.test('video validate - an unknown type is rejected per item, naming the accepted types', async (t) => {
  const r = eventRejection({ channel: 'V01', ts: NOW, type: 'cat_on_belt' })
  t.same([r.index, r.path], [0, '/events/0/type'])
  t.match(r.message, /^must be one of no_helmet, intrusion, .*overcrowding$/)
})

t.test('video validate - schema rejections name the item and field', async (t) => {
  t.same(eventRejection(null), { index: 0, path: '/events/0', message: 'must be object' })
  t.same(eventRejection({ ts: NOW, type: 'intrusion' }), { index: 0, path: '/events/0/channel', message: "must have required property 'channel'" })
  t.same(eventRejection({ channel: 'V01', type: 'intrusion' }), { index: 0, path: '/events/0/ts', message: "must have required property 'ts'" })
  t.same(eventRejection({ channel: 'V01', ts: NOW }), { index: 0, path: '/events/0/type', message: "must have required property 'type'" })
  t.same(eventRejection({ channel: 'V01', ts: NOW, type: 'intrusion', confidence: 1.5 }), { index: 0, path: '/events/0/confidence', message: 'must be <= 1' })
  t.same(eventRejection({ channel: 'V01', ts: NOW, type: 'intrusion', count: 1.5 }), { index: 0, path: '/events/0/count', message: 'must be integer' })
  t.same(eventRejection({ channel: 'V01', ts: NOW, type: 'intrusion', evidence: { sha256: 'xyz' } }),
    { index: 0, path: '/events/0/evidence/sha256', message: 'must match pattern "^[0-9a-fA-F]{64}$"' })
  t.same(eventRejection({ channel: 'V01', ts: NOW, type: 'intrusion', extra: 1 }), { index: 0, path: '/events/0/extra', message: 'must NOT have additional properties' })
  t.same(eventRejection({ channel: 'V01', ts: 'yesterday', type: 'intrusion' }),
    { index: 0, path: '/events/0/ts', message: 'must be epoch milliseconds (integer) or an RFC 3339 time with an offset' })
})

t.test('video validate - an event of a channel not defined for the site is rejected with its index', async (t) => {
  t.same(eventRejection({ channel: 'V99', ts: NOW, type: 'intrusion' }),
    { index: 0, path: '/events/0/channel', message: 'channel "V99" is not defined for site "S1"' })
  t.same(eventRejection({ channel: 'V09', ts: NOW, type: 'intrusion' }),
    { index: 0, path: '/events/0/channel', message: 'channel "V09" is not defined for site "S1"' }, 'a channel of another site is unknown here')
  t.equal(events([{ channel: 'V09', ts: NOW, type: 'intrusion' }], 'S2').rows.length, 1, 'but known at its own site')
})

t.test('video validate - event time bounds: future skew and retention', async (t) => {
  t.same(eventRejection({ channel: 'V01', ts: NOW + 3_600_000, type: 'intrusion' }), {
    index: 0, path: '/events/0/ts', message: 'timestamp 2026-11-21T01:00:00.000Z is 3600 s in the future (clock skew allowed: 300 s)'
  })
  t.match(eventRejection({ channel: 'V01', ts: NOW - 100 * 86_400_000, type: 'intrusion' }),
    { index: 0, path: '/events/0/ts', message: /older than the raw-data retention of 90 days$/ })
  t.equal(events([{ channel: 'V01', ts: NOW + BOUNDS.maxFutureSkewMs, type: 'intrusion' }]).rows.length, 1, 'exactly at the bound is accepted')
})

t.test('video validate - a mixed batch keeps valid items in order and names each bad one', async (t) => {
  const { rows, rejected } = events([
    { channel: 'V01', ts: NOW - 3000, type: 'unknown_kind' },
    { channel: 'V77', ts: NOW - 2000, type: 'intrusion' },
    { channel: 'V02', ts: NOW - 1000, type: 'smoke_fire', confidence: 0.7 }
  ])
  t.same(rows.map((r) => [r.channel, r.type]), [['V02', 'smoke_fire']])
  t.same(rejected.map((r) => [r.index, r.path]), [[0, '/events/0/type'], [1, '/events/1/channel']])
})

t.test('video validate - heartbeats: per-channel rows at the heartbeat time, unknown channels rejected per item', async (t) => {
  const { rows, rejected } = heartbeats([
    { channelCode: 'V01', online: true },
    { channelCode: 'V99', online: true },
    { channelCode: 'V02', online: 'yes' },
    { channelCode: 'V02', online: false },
    { online: true }
  ])
  t.same(rows, [
    { site: 'S1', channel: 'V01', online: true, ts: NOW - 1000, receivedAt: NOW },
    { site: 'S1', channel: 'V02', online: false, ts: NOW - 1000, receivedAt: NOW }
  ])
  t.same(rejected, [
    { index: 1, path: '/channels/1/channelCode', message: 'channel "V99" is not defined for site "S1"' },
    { index: 2, path: '/channels/2/online', message: 'must be boolean' },
    { index: 4, path: '/channels/4/channelCode', message: "must have required property 'channelCode'" }
  ])
})

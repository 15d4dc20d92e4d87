// Row building for the video tables (migrations/004): symbols, typed columns, null for absent fields.
import t from 'tap'
import { channelRow, eventRow, heartbeatRow } from '../../../../src/1-ingest/video/rows.js'

t.test('video rows - a channel version and a removal', async (t) => {
  t.same(channelRow('S1', 'V01', 1000, { channelCode: 'V01', name: '主井口', location: '-200m' }), {
    symbols: { site: 'S1', channel: 'V01' },
    columns: { definition: '{"channelCode":"V01","name":"主井口","location":"-200m"}', deleted: false },
    ts: 1000
  })
  t.same(channelRow('S1', 'V02', 1000, null), { symbols: { site: 'S1', channel: 'V02' }, columns: { definition: '', deleted: true }, ts: 1000 })
})

t.test('video rows - a heartbeat row: online flag, received_at a timestamp, ts the heartbeat time', async (t) => {
  t.same(heartbeatRow({ site: 'S1', channel: 'V01', online: false, ts: 5000, receivedAt: 6000 }), {
    symbols: { site: 'S1', channel: 'V01' },
    columns: { online: false, received_at: 6000 },
    timestamps: ['received_at'],
    ts: 5000
  })
})

t.test('video rows - an event row keeps the evidence; count is an int; absent fields are left out', async (t) => {
  const full = eventRow({ site: 'S1', channel: 'V01', type: 'no_helmet', ts: 5000, receivedAt: 6000, confidence: 0.93, count: 2, evidenceSha256: 'ab', evidenceUrl: 'http://x/1.jpg' })
  t.same(full, {
    symbols: { site: 'S1', channel: 'V01', type: 'no_helmet' },
    columns: { confidence: 0.93, count: 2, evidence_sha256: 'ab', evidence_url: 'http://x/1.jpg', received_at: 6000 },
    ints: ['count'],
    timestamps: ['received_at'],
    ts: 5000
  })
  const bare = eventRow({ site: 'S1', channel: 'V01', type: 'intrusion', ts: 5000, receivedAt: 6000 })
  t.same(Object.entries(bare.columns).filter(([, v]) => v !== undefined), [['received_at', 6000]])
})

// An AI change's evidence reference (ConditionChange.attachments) reaches the alarm: the transition record,
// the evidence column of alarm_transitions (readable in both its old and its new form), and GET /v1/alarms/{id}.
import t from 'tap'
import { collectAttachments } from '../../../../src/5-alarm/read.js'
import { fromRow, toRow } from '../../../../src/5-alarm/rows.js'
import { transition } from '../../../../src/5-alarm/transition.js'
import type { AlarmTransitionRecord } from '../../../../src/5-alarm/types.js'
import { toDetailView } from '../../../../src/5-alarm/views.js'
import type { Attachment, ConditionChange } from '../../../../src/4-evaluate/types.js'

const TS = Date.parse('2026-11-21T00:01:00Z')
const SNAP: Attachment = { kind: 'video', site: 'S1', channel: 'V01', type: 'no_helmet', ts: TS, confidence: 0.93, sha256: 'ab'.repeat(32), url: 'http://nvr.local/snap/1.jpg' }
const change: ConditionChange = {
  type: 'condition',
  key: 'video.ai.no_helmet|S1|channel:V01',
  rule: { ruleId: 'video.ai.no_helmet', ruleVersion: 'v1', category: 'violation', title: '未戴安全帽', source: 'test', hazardClause: null },
  siteCode: 'S1',
  points: [],
  level: 'yellow',
  value: 0.93,
  limit: 0.6,
  eventTs: TS,
  late: false,
  message: 'V01 未戴安全帽',
  attachments: [SNAP]
}

// the column values as QuestDB's reader gives them back: symbols and columns flattened, timestamps in ms
function stored (r: AlarmTransitionRecord): Record<string, unknown> {
  const row = toRow(r)
  return { ...row.symbols, ...row.columns, ts: row.ts }
}

t.test('alarm evidence - the attachments of a change are kept by the transition and survive the audit row', async (t) => {
  const result = transition(undefined, change, { now: TS + 50, newId: () => 'A1' }) as { record: AlarmTransitionRecord }
  t.same(result.record.attachments, [SNAP])
  const back = fromRow(stored(result.record))
  t.same(back.attachments, [SNAP])
  t.equal(back.evidence, undefined, 'no readings behind an AI change')
  t.same(collectAttachments([back, back]), [SNAP], 'one attachment however many records repeat it')
  const view = toDetailView({ alarm: back.alarm, history: [back], evidence: [], attachments: collectAttachments([back]) })
  t.same(view.attachments, [{ kind: 'video', site: 'S1', channel: 'V01', type: 'no_helmet', confidence: 0.93, sha256: 'ab'.repeat(32), url: 'http://nvr.local/snap/1.jpg', ts: '2026-11-21T00:01:00.000Z' }])
})

t.test('alarm evidence - rows with readings only keep the array form, and old rows read as before', async (t) => {
  const readings = [{ point: 'CO-1', ts: TS, value: 31, status: 0 }]
  const plain = { ...change, attachments: undefined, evidence: readings }
  const result = transition(undefined, plain, { now: TS + 50, newId: () => 'A2' }) as { record: AlarmTransitionRecord }
  const row = stored(result.record)
  t.equal(row.evidence, JSON.stringify(readings), 'the column is unchanged for a reading-only change')
  const back = fromRow(row)
  t.same([back.evidence, back.attachments], [readings, undefined])
  t.same(fromRow({ ...row, evidence: '{"readings":' }).evidence, undefined, 'a damaged column leaves the row readable')
})

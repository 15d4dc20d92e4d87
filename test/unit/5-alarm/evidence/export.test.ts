// evidence export - the window and due time of a record, and the files of its zip: bundle.json is the stored
// body byte for byte, the CSVs start with a BOM and quote what needs quoting, the manifest names every digest.
import t from 'tap'
import { createHash } from 'node:crypto'
import { dueAt, ruleDefinition, windowOf } from '../../../../src/5-alarm/evidence/body.js'
import { beijingTime, csvField, readingsCsv } from '../../../../src/5-alarm/evidence/csv.js'
import { EMPTY_HEAD, link } from '../../../../src/5-alarm/evidence/chain.js'
import { evidenceFiles, evidenceZip } from '../../../../src/5-alarm/evidence/zip.js'
import { ruleVersion } from '../../../../src/4-evaluate/canonical.js'
import { unzip } from '../../../helpers/zip.js'

const MIN = 60_000
const T0 = Date.parse('2026-12-05T08:00:00.000Z')

t.test('evidence export - the window spans BEFORE and AFTER around the raise; the record is due AFTER + SETTLE after it', async (t) => {
  const policy = { beforeMs: 30 * MIN, afterMs: 10 * MIN, settleMs: MIN }
  t.same(windowOf(T0, policy), { from: T0 - 30 * MIN, to: T0 + 10 * MIN })
  t.equal(dueAt(T0, policy), T0 + 11 * MIN)
})

t.test('evidence export - the rule definition drops what loading added, so its hash is the rule version', async (t) => {
  const spec = { id: 'gas.co.limit', kind: 'threshold', levels: { yellow: { at: 24 } } }
  const def = ruleDefinition({ ...spec, ruleVersion: ruleVersion(spec), file: '/somewhere/gas.yaml', group: 'gas' })
  t.same(def, spec)
  t.equal(ruleVersion(def), ruleVersion(spec))
})

t.test('evidence export - CSV fields are quoted by RFC 4180, files start with a BOM, times also in Beijing time', async (t) => {
  t.equal(csvField('a,b'), '"a,b"')
  t.equal(csvField('say "hi"'), '"say ""hi"""')
  t.equal(csvField(null), '')
  t.equal(beijingTime('2026-12-05T20:00:00.250Z'), '2026-12-06 04:00:00.250')
  const csv = readingsCsv([{ point: 'CO-101', ts: '2026-12-05T08:00:00.000Z', value: 31.5, status: 0 }])
  t.ok(csv.startsWith('\uFEFF测点编码,'), 'BOM then the Chinese header')
  t.equal(csv.split('\r\n')[1], 'CO-101,2026-12-05T08:00:00.000Z,2026-12-05 16:00:00.000,31.5,0')
})

t.test('evidence export - the zip holds the body as stored, both CSVs and a manifest of digests', async (t) => {
  const fixedAt = T0 + 11 * MIN
  const body = {
    alarmId: 'A1',
    site: 'S1',
    fixedAt: new Date(fixedAt).toISOString(),
    readings: [{ point: 'CO-101', ts: '2026-12-05T07:59:00.000Z', value: 12, status: 0 }],
    transitions: [{ seq: 1, transition: 'raised', level: 'yellow', state: 'open', detectedAt: '2026-12-05T08:00:00.000Z', value: 31, limit: 24, message: 'CO-101 CO 31 ppm, 超限' }]
  }
  const row = link(EMPTY_HEAD, { alarmId: 'A1', site: 'S1', fixedAt, body })
  const files = await unzip(await evidenceZip(row))
  t.same([...files.keys()], ['bundle.json', 'readings.csv', 'transitions.csv', 'manifest.json'])
  t.equal(files.get('bundle.json')?.toString('utf8'), row.body, 'bundle.json is the stored body')
  t.equal(createHash('sha256').update(row.prevSha256 + (files.get('bundle.json')?.toString('utf8') ?? '')).digest('hex'), row.sha256, 'the chain digest recomputes from the zip')
  const transitions = files.get('transitions.csv')?.toString('utf8') ?? ''
  t.ok(transitions.startsWith('\uFEFF序号,'), 'transitions.csv has a BOM and a Chinese header')
  t.match(transitions, /"CO-101 CO 31 ppm, 超限"/, 'a text with a comma is quoted')
  const manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}') as { sha256: string, prevSha256: string, seq: number, files: Record<string, string> }
  t.match(manifest, { seq: 1, sha256: row.sha256, prevSha256: row.prevSha256 })
  for (const f of evidenceFiles(row).slice(0, 3)) t.equal(manifest.files[f.name], createHash('sha256').update(files.get(f.name) ?? '').digest('hex'), `manifest digest of ${f.name}`)
  t.same(await evidenceZip(row), await evidenceZip(row), 'the same record exports the same bytes')
})

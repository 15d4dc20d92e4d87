// evidence - the fixing of an alarm's evidence against a real QuestDB and nats-server, in virtual time: readings
// spanning more than the window, a CO alarm raised at a known time, the record pending until the window and
// the settle delay have passed, then exactly the readings inside the window (the ones 1 ms outside left out),
// the rule, the transitions; the zip with its CSVs; a restart that fixes an alarm raised before it, chained to
// the first; and the verifier CLI (a child process) that passes, then fails naming the record altered in QuestDB.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { clockOf } from '../../src/lib/clock.js'
import { advanceTo, createReplayScheduler } from '../../src/lib/virtual-time.js'
import { ruleVersion } from '../../src/4-evaluate/canonical.js'
import { createReader } from '../../src/3-store/reader.js'
import { walApplied } from '../../src/3-store/wal.js'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp, type TestAppOptions } from '../helpers/app.js'
import { call, injectCall, registerCoSite } from '../helpers/api.js'
import { coRulesDir, ENGINE_ENV } from '../helpers/rules.js'
import { until } from '../helpers/wait.js'
import { run } from '../helpers/process.js'
import { unzip } from '../helpers/zip.js'

const SEC = 1000
const MIN = 60 * SEC
const BEFORE = 2 * MIN
const AFTER = MIN
const SETTLE = 30 * SEC
const EVIDENCE_ENV = { MINEWATCH_EVIDENCE_BEFORE: '2m', MINEWATCH_EVIDENCE_AFTER: '1m', MINEWATCH_EVIDENCE_SETTLE: '30s' }

interface Posted { site: string, point: string, ts: number, value: number }

t.test('evidence - fixed after the window, exactly its readings, exported as JSON and zip, chained across a restart, verified', async (t) => {
  const services = await startServices(t)
  const scheduler = createReplayScheduler(Math.floor(Date.now() / 1000) * 1000)
  const opts: TestAppOptions = {
    qdb: services.qdb,
    nats: services.nats,
    clock: clockOf(scheduler),
    scheduler,
    autoClose: false,
    env: { MINEWATCH_RULES_DIR: await coRulesDir(t, 'minewatch-evidence-rules-', '2s'), ...ENGINE_ENV, ...EVIDENCE_ENV }
  }
  let app: FastifyInstance = await buildTestApp(t, opts)
  t.teardown(async () => await app.close())
  const moveTo = (ms: number): void => { advanceTo(scheduler, ms) }
  // an hour between expected readings: no no-data alarm gets in the way while time moves by minutes
  await registerCoSite(t, injectCall(app), 'EVI-1', ['CO-101', 'CO-202'], { intervalS: 3600 })
  await registerCoSite(t, injectCall(app), 'EVI-2', ['CO-301'], { intervalS: 3600 })

  const posted: Posted[] = []
  /** post sends readings of one site at virtual time `at` (each at least 1 s old) */
  const post = async (at: number, site: string, readings: Array<{ point: string, ts: number, value: number }>): Promise<void> => {
    moveTo(at)
    const res = await call(app, 'POST', '/v1/readings', 'gateway', { siteCode: site, readings: readings.map((r) => ({ ...r, status: 0 })) })
    t.same([res.status, res.body?.accepted], [200, readings.length], `${readings.length} reading(s) at +${(at - start) / SEC} s accepted`)
    for (const r of readings) posted.push({ site, ...r })
  }

  // R is the raise: the reading that completes the 2 s dwell is posted then. Readings every 10 s from R - 3 min
  // to R + 65 s, on the alarm's point and on another point of the site, plus four at the window's edges.
  const start = scheduler.now()
  const R = start + 200 * SEC
  const from = R - BEFORE
  const to = R + AFTER
  const plan: Array<{ point: string, ts: number, value: number }> = []
  for (let ts = R - 185 * SEC; ts <= R + 65 * SEC; ts += 10 * SEC) {
    if (ts > R - 10 * SEC && ts < R) continue // the dwell's readings below
    const value = ts < R ? 5 : 10 // 10 ppm after the raise clears the alarm (release 20)
    plan.push({ point: 'CO-101', ts, value }, { point: 'CO-202', ts, value: 3 })
  }
  for (const ts of [from - 1, from, to, to + 1]) plan.push({ point: 'CO-101', ts, value: 7 })
  plan.push({ point: 'CO-101', ts: R - 4 * SEC, value: 30 }, { point: 'CO-101', ts: R - SEC, value: 31 })
  plan.sort((a, b) => a.ts - b.ts)
  const raised: string[] = []
  const sub = app.alarms.transitions$.subscribe((r) => { if (r.transition === 'raised') raised.push(r.alarmId) })
  for (const r of plan) {
    // each reading arrives 1 s after its time; the raising one arrives exactly at R
    await post(r.ts === R - SEC ? R : r.ts + SEC, 'EVI-1', [r])
  }
  sub.unsubscribe()
  t.equal(raised.length, 1, 'one alarm raised')
  const alarmId = raised[0] as string
  const alarm = await app.alarms.find(alarmId)
  t.equal(alarm?.raisedAt, R, 'raised at R')

  await t.test('pending until the window and the settle delay have passed', async (t) => {
    moveTo(to + SETTLE - 1)
    const res = await app.inject({ method: 'GET', url: `/v1/alarms/${alarmId}/evidence`, headers: auth('operator') })
    t.equal(res.statusCode, 409)
    t.match(res.json(), { error: 'MW_ERR_EVIDENCE_PENDING', message: new RegExp(alarmId) })
    t.equal(res.headers['retry-after'], '1', 'Retry-After: the seconds left')
    t.match((await call(app, 'GET', '/v1/alarms/A00000000000000000/evidence', 'operator')).body, { error: 'MW_ERR_NOT_FOUND' }, 'an unknown alarm is not found')
    t.match((await call(app, 'GET', `/v1/alarms/${alarmId}/evidence`, 'otherOperator')), { status: 404, body: { error: 'MW_ERR_NOT_FOUND' } }, 'another site\'s caller does not see it')
  })

  let first: { sha256: string, seq: number } = { sha256: '', seq: 0 }
  await t.test('fixed: exactly the readings of the window, the rule, the transitions', async (t) => {
    moveTo(to + SETTLE)
    const res = await until(async () => {
      const r = await call(app, 'GET', `/v1/alarms/${alarmId}/evidence`, 'operator')
      return r.status === 200 ? r : undefined
    }, 'the evidence record')
    const { bundle } = res.body
    first = { sha256: res.body.sha256, seq: res.body.seq }
    t.match(res.body, { alarmId, site: 'EVI-1', seq: 1, prevSha256: '0'.repeat(64), fixedAt: new Date(to + SETTLE).toISOString() })
    t.match(res.body.sha256, /^[0-9a-f]{64}$/)
    const inWindow = posted.filter((p) => p.site === 'EVI-1' && p.point === 'CO-101' && p.ts >= from && p.ts <= to)
    t.ok(posted.some((p) => p.ts < from) && posted.some((p) => p.ts > to), 'readings were posted on both sides of the window')
    t.same(bundle.readings, inWindow.map((p) => ({ point: p.point, ts: new Date(p.ts).toISOString(), value: p.value, status: 0 })), 'exactly the readings of the alarm\'s point inside the window')
    const edges = (bundle.readings as Array<{ ts: string }>).map((r) => Date.parse(r.ts))
    t.ok(edges.includes(from) && edges.includes(to), 'the readings at the edges are in')
    t.notOk(edges.includes(from - 1) || edges.includes(to + 1), 'the readings 1 ms outside are not')
    t.same(bundle.window, { from: new Date(from).toISOString(), to: new Date(to).toISOString(), settleMs: SETTLE })
    t.equal(bundle.raisedAt, new Date(R).toISOString())
    t.match(bundle.rule, { id: 'gas.co.limit', version: alarm?.ruleVersion })
    t.equal(ruleVersion(bundle.rule.definition), alarm?.ruleVersion, 'the definition hashes to the version that raised the alarm')
    t.same((bundle.transitions as Array<{ seq: number, transition: string }>).map((x) => [x.seq, x.transition]), [[1, 'raised'], [2, 'cleared']], 'the transitions so far')
    t.same(bundle.video, { attachments: [], events: [] }, 'no video at this site')
    const gateway = await call(app, 'GET', `/v1/alarms/${alarmId}/evidence`, 'gateway')
    t.equal(gateway.status, 200, 'an upper platform (READ_DATA) may fetch it')
  })

  await t.test('the zip holds the bundle as stored, the CSVs with a BOM, and the digests', async (t) => {
    for (const how of [{ url: `/v1/alarms/${alarmId}/evidence?format=zip`, headers: auth('operator') }, { url: `/v1/alarms/${alarmId}/evidence`, headers: { ...auth('operator'), accept: 'application/zip' } }]) {
      const res = await app.inject({ method: 'GET', ...how })
      t.equal(res.statusCode, 200)
      t.equal(res.headers['content-type'], 'application/zip')
      const files = await unzip(res.rawPayload)
      t.same([...files.keys()], ['bundle.json', 'readings.csv', 'transitions.csv', 'manifest.json'])
      const bundle = JSON.parse(files.get('bundle.json')?.toString('utf8') ?? '{}') as { readings: unknown[] }
      const csv = files.get('readings.csv')?.toString('utf8') ?? ''
      t.ok(csv.startsWith('\uFEFF'), 'readings.csv starts with a BOM')
      t.equal(csv.trimEnd().split('\r\n').length, bundle.readings.length + 1, 'one line per reading, and the header')
      t.match(files.get('transitions.csv')?.toString('utf8'), /\r\n1,raised,yellow,/)
      t.match(JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}'), { alarmId, seq: 1, sha256: first.sha256 })
    }
    const audited = await until(async () => {
      const list = await app.audit.list({ action: 'evidence_export', target: alarmId, limit: 100 })
      return list.length >= 4 ? list : undefined
    }, 'the audited exports')
    t.same(audited.map((a) => a.detail?.format).sort(), ['json', 'json', 'zip', 'zip'], 'every export is audited, with its format')
  })

  await t.test('an alarm raised before a restart is fixed after it, chained to the last record', async (t) => {
    const R2 = scheduler.now() + 10 * SEC
    const raisedIds: string[] = []
    const sub = app.alarms.transitions$.subscribe((r) => { if (r.transition === 'raised') raisedIds.push(r.alarmId) })
    await post(R2 - 7 * SEC, 'EVI-2', [{ point: 'CO-301', ts: R2 - 8 * SEC, value: 5 }])
    await post(R2 - 3 * SEC, 'EVI-2', [{ point: 'CO-301', ts: R2 - 4 * SEC, value: 40 }])
    await post(R2, 'EVI-2', [{ point: 'CO-301', ts: R2 - SEC, value: 41 }])
    // the engine decides inside the POST; the transition comes once stored
    await until(async () => raisedIds.length > 0 ? true : undefined, 'the raise')
    sub.unsubscribe()
    t.equal(raisedIds.length, 1, 'raised')
    const second = raisedIds[0] as string
    await app.close()
    moveTo(R2 + AFTER + SETTLE + 5 * SEC) // the record came due while the server was down
    app = await buildTestApp(t, opts)
    // overdue: the restart scheduled it at once; virtual time runs what is due when it moves
    t.ok(app.evidence.dueAt(second) !== undefined, 'the restart found it unfixed and scheduled it')
    moveTo(scheduler.now() + SEC)
    const res = await until(async () => {
      const r = await call(app, 'GET', `/v1/alarms/${second}/evidence`, 'operator')
      return r.status === 200 ? r : undefined
    }, 'the record fixed after the restart')
    t.match(res.body, { alarmId: second, seq: first.seq + 1, prevSha256: first.sha256 }, 'it links to the record before the restart')
    t.same(res.body.bundle.readings.map((r: { value: number }) => r.value), [5, 40, 41])
  })

  await t.test('the verifier passes, then fails at the record altered in QuestDB, naming it', async (t) => {
    const env = { QDB_PG: services.qdb.pgUrl }
    const ok = await run(t, 'src/tools/cli/evidence-verify.ts', [], env)
    t.same([ok.code, ok.stderr], [0, ''])
    t.match(ok.stdout, /^OK: 2 evidence record\(s\)/)
    const reader = createReader(services.qdb.pgUrl)
    t.teardown(async () => await reader.close())
    await reader.query("UPDATE evidence_body SET text = replace(text, '\"value\":7', '\"value\":0') WHERE seq = 1")
    t.ok(await walApplied(reader, ['evidence_body'], { timeoutMs: 30_000 }), 'the update is applied')
    const [changed] = await reader.query<{ n: number }>('SELECT count() n FROM evidence_body WHERE seq = 1 AND text LIKE \'%"value":0%\'')
    t.equal(Number(changed?.n), 1, 'the stored record was altered')
    const broken = await run(t, 'src/tools/cli/evidence-verify.ts', [], env)
    t.equal(broken.code, 1)
    t.equal(broken.stdout, '')
    t.match(broken.stderr, new RegExp(`^BROKEN at seq 1 \\(alarm ${alarmId}\\): digest mismatch, expected [0-9a-f]{64}, found ${first.sha256}`))
  })
})

t.test('evidence - the verifier without QDB_PG says what to set and exits 2', async (t) => {
  const res = await run(t, 'src/tools/cli/evidence-verify.ts', [], {})
  t.equal(res.code, 2)
  t.match(res.stderr, /QDB_PG is not set/)
  t.equal(res.stdout, '')
})

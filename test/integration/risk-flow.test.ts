// risk flow - the composite site risk end to end on a real QuestDB and nats-server: a CO alarm and a point
// going offline at one site raise its risk (yellow, then orange by the multi-source bonus), published on
// minewatch.risk.<site> through the MINEWATCH_RISK stream; clearing and closing the alarms bring it back down
// to none. Engine time is real time, with a 200 ms no-data check and points reporting every second. The risk
// outbox publishes in order, so "nothing was published" is checked against the next change that must be.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { connect, type NatsConnection } from 'nats'
import type { RiskMessage } from '../../src/contract/index.js'
import { lastPublished } from '../../src/5-alarm/risk/restore.js'
import { startServices } from '../helpers/services.js'
import { buildTestApp } from '../helpers/app.js'
import { call, injectCall, registerCoSite, sendReadings } from '../helpers/api.js'
import { until } from '../helpers/wait.js'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { coRule, coRulesDir, ENGINE_ENV, tempDir } from '../helpers/rules.js'

// A dot in the code: the subject escapes it (minewatch.risk.RISK%2E1), the payload keeps it.
const SITE = 'RISK.1'
const SUBJECT = 'minewatch.risk.RISK%2E1'

interface SeenRisk { subject: string, msgId: string | undefined, body: RiskMessage }

function riskValidator () {
  const ajv = new Ajv({ allErrors: true, strict: true })
  addFormats.default(ajv)
  for (const f of ['common.json', 'alarm-message.json']) ajv.addSchema(JSON.parse(readFileSync(new URL(`../../schemas/${f}`, import.meta.url), 'utf8')))
  return ajv.compile(JSON.parse(readFileSync(new URL('../../schemas/risk-message.json', import.meta.url), 'utf8')))
}

// Every message on minewatch.risk.> (a core subscription), and waits for the n-th one or one matching a
// predicate (woken by each message; 60 s bounds only catch hangs).
async function watchRisk (url: string): Promise<{ nc: NatsConnection, seen: SeenRisk[], nth: (n: number, what: string) => Promise<SeenRisk>, first: (pred: (m: SeenRisk) => boolean, what: string) => Promise<SeenRisk> }> {
  const nc = await connect({ servers: url })
  const seen: SeenRisk[] = []
  const wakers = new Set<() => void>()
  const sub = nc.subscribe('minewatch.risk.>')
  ;(async () => {
    for await (const m of sub) {
      seen.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), body: m.json<RiskMessage>() })
      for (const wake of wakers) wake()
    }
  })().catch(() => {})
  await nc.flush()
  const first = async (pred: (m: SeenRisk) => boolean, what: string): Promise<SeenRisk> => {
    const deadline = Date.now() + 60_000
    for (;;) {
      const hit = seen.find(pred)
      if (hit !== undefined) return hit
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no risk message ${what} within 60 s; seen ${JSON.stringify(seen.map((s) => [s.body.level, s.body.score]))}`)
      await new Promise<void>((resolve) => {
        const wake = (): void => { clearTimeout(timer); wakers.delete(wake); resolve() }
        const timer = setTimeout(wake, left)
        wakers.add(wake)
      })
    }
  }
  const nth = async (n: number, what: string): Promise<SeenRisk> => await first((m) => seen.indexOf(m) === n - 1, `${n} (${what})`)
  return { nc, seen, nth, first }
}

t.test('risk flow - a CO alarm and an offline point raise the site risk, closing them ends it', async (t) => {
  const services = await startServices(t)
  const app = await buildTestApp(t, {
    qdb: services.qdb,
    nats: services.nats,
    env: { MINEWATCH_RULES_DIR: await coRulesDir(t, 'minewatch-risk-rules-', '0s'), ...ENGINE_ENV }
  })
  const watch = await watchRisk(services.nats.url)
  t.teardown(() => watch.nc.close())
  const validate = riskValidator()
  const api = injectCall(app)
  await registerCoSite(t, api, SITE, ['CO-1', 'CO-2'], { intervalS: 1 })

  // A gateway reporting the points in `values` every 250 ms, until stopped.
  const values = new Map<string, number>([['CO-1', 30], ['CO-2', 5]])
  const stopped = new AbortController()
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      const ts = Date.now()
      const readings = [...values].map(([point, value]) => ({ point, ts, value }))
      if (readings.length > 0) await sendReadings(t, api, SITE, readings)
      await sleep(250, undefined, { signal: stopped.signal }).catch(() => {})
    }
  })()
  t.teardown(async () => { stopped.abort(); await loop })

  const expectRisk = async (n: number, level: string | null, score: number, transition: string, extra: Record<string, unknown> = {}): Promise<RiskMessage> => {
    const m = await watch.nth(n, `${String(level)} ${score}`)
    t.equal(m.subject, SUBJECT, 'on the site subject, code escaped')
    t.equal(m.msgId, `risk:${SITE}:${m.body.seq}`, 'Nats-Msg-Id is risk:<site>:<seq>')
    t.ok(validate(m.body), `risk message ${n} matches risk-message.json`, { errors: validate.errors })
    t.match(m.body, { siteCode: SITE, level, score, cause: { transition }, ...extra }, `risk message ${n}: ${String(level)} ${score} after ${transition}`)
    return m.body
  }

  const first = await expectRisk(1, 'yellow', 10, 'raised', { previousLevel: null, floor: 'yellow', domains: ['gas'], multiSource: false, openAlarms: 1 })
  t.match(first.contributors, [{ ruleId: 'gas.co.limit', level: 'yellow', weight: 10 }])

  values.delete('CO-2') // CO-2 falls silent: after 3 missed periods, a point no-data alarm (fault, yellow)
  const second = await expectRisk(2, 'orange', 23.7, 'raised', { previousLevel: 'yellow', floor: 'yellow', domains: ['gas', 'monitoring'], multiSource: true, openAlarms: 2 })
  t.ok(second.seq > first.seq, 'seq grows')
  t.same(second.contributors.map((c) => c.ruleId).sort(), ['connectivity.point.no_data', 'gas.co.limit'])
  const current = await call(app, 'GET', `/v1/sites/${SITE}/risk`, 'operator')
  t.match([current.status, current.body], [200, { siteCode: SITE, level: 'orange', score: 23.7, seq: second.seq }], 'GET shows the published state')
  const listed = await call(app, 'GET', '/v1/risk', 'operator')
  t.match(listed.body.sites, [{ siteCode: SITE, level: 'orange' }])

  values.set('CO-2', 5) // CO-2 reports again: the offline alarm clears (stays open)
  await expectRisk(3, 'yellow', 12.7, 'cleared', { previousLevel: 'orange', multiSource: false })
  values.set('CO-1', 5) // CO back under the release value: the CO alarm clears
  await expectRisk(4, 'blue', 5.9, 'cleared', { previousLevel: 'yellow', floor: null, domains: [] })

  const open = await call(app, 'GET', `/v1/alarms?site=${SITE}`, 'operator')
  const byRule = new Map<string, string>(open.body.alarms.map((a: { ruleId: string, alarmId: string }) => [a.ruleId, a.alarmId]))
  t.same([...byRule.keys()].sort(), ['connectivity.point.no_data', 'gas.co.limit'], 'both alarms are open, cleared')
  const close = async (ruleId: string): Promise<number> =>
    (await call(app, 'POST', `/v1/alarms/${byRule.get(ruleId) ?? ''}/close`, 'operator', { by: '值班员A', disposition: 'confirmed' })).status
  t.equal(await close('connectivity.point.no_data'), 200)
  t.match((await call(app, 'GET', `/v1/sites/${SITE}/risk`, 'operator')).body, { level: 'blue', score: 3, openAlarms: 1 }, 'GET shows it')
  t.equal(await close('gas.co.limit'), 200)
  const fifth = await expectRisk(5, null, 0, 'closed', { previousLevel: 'blue', floor: null, contributors: [], openAlarms: 0 })
  // the risk service had taken the first close (GET above) before the second was made, and its outbox keeps
  // order: had the first close been published, it would be the fifth message, not the second close
  t.equal(fifth.cause?.alarmId, byRule.get('gas.co.limit'), 'closing one of two cleared alarms moves the score by 2.9, under the 5-point step: nothing published')

  t.match((await call(app, 'GET', `/v1/sites/${SITE}/risk`, 'operator')).body, { siteCode: SITE, level: null, score: 0 }, 'the risk is back to none')
  t.same((await call(app, 'GET', '/v1/risk', 'operator')).body.sites, [], 'no site listed')
  // a control change after it: nothing may come between the fifth message and this one
  values.set('CO-1', 30) // CO over the limit again: a new alarm, the site yellow again
  await expectRisk(6, 'yellow', 10, 'raised', { previousLevel: null, openAlarms: 1 })
  t.same(watch.seen.map((s) => s.body.level), ['yellow', 'orange', 'yellow', 'blue', null, 'yellow'], 'five changes, no more, then the control')

  // What the stream keeps is what a restart reconciles with.
  const jsm = await watch.nc.jetstreamManager()
  const info = await jsm.streams.info('MINEWATCH_RISK')
  t.same(info.config.subjects, ['minewatch.risk.>'], 'a stream of its own')
  t.equal(info.state.messages, 6, 'each change stored once')
  const last = await lastPublished(watch.nc, 'MINEWATCH_RISK')
  t.same(last.get(SITE), { seq: watch.seen[5]?.body.seq, level: 'yellow', score: 10 }, 'the last change per site reads back, site code decoded')
  const alarmStream = await jsm.streams.info('MINEWATCH_ALARMS')
  t.same(alarmStream.config.subjects, ['minewatch.alarm.>'], 'the alarm stream is unchanged')
})

// A roll-up rule over gas.co.limit, named without "rollup": the risk knows it by its kind in the loaded rule set.
const SUMMARY_RULE = `      - id: gas.co.site_summary
        kind: rollup
        title: CO 综合预警
        category: early_warning
        source: configurable default (integration test)
        hazardClause: null
        match: { siteKind: [underground] }
        sources: [gas.co.limit]
        groupBy: site
        steps:
          - { from: yellow, count: 2, to: orange }
`

t.test('risk flow - a roll-up alarm of the loaded rules lifts the site to its level without counting its members twice', async (t) => {
  const services = await startServices(t)
  const rulesDir = await tempDir(t, 'minewatch-risk-rollup-rules-')
  await writeFile(join(rulesDir, 'gas.yaml'), coRule('0s') + SUMMARY_RULE)
  const app = await buildTestApp(t, { qdb: services.qdb, nats: services.nats, env: { MINEWATCH_RULES_DIR: rulesDir, ...ENGINE_ENV } })
  const watch = await watchRisk(services.nats.url)
  t.teardown(() => watch.nc.close())
  const api = injectCall(app)
  const site = 'RISK.2'
  await registerCoSite(t, api, site, ['CO-1', 'CO-2'], { intervalS: 1 })
  const stopped = new AbortController()
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      const ts = Date.now()
      await sendReadings(t, api, site, [{ point: 'CO-1', ts, value: 30 }, { point: 'CO-2', ts, value: 30 }])
      await sleep(250, undefined, { signal: stopped.signal }).catch(() => {})
    }
  })()
  t.teardown(async () => { stopped.abort(); await loop })

  // Two yellow CO points (10, 5 after the same-rule decay: 14.5) and the summary at orange (2 yellow ⇒ orange).
  const risk = await until(async () => {
    const r = (await call(app, 'GET', `/v1/sites/${site}/risk`, 'operator')).body
    return r.openAlarms === 3 && r.level === 'orange' ? r : undefined
  }, 'three open alarms and the site orange', 60_000)
  const alarms = (await call(app, 'GET', `/v1/alarms?site=${site}`, 'operator')).body.alarms as Array<{ ruleId: string, level: string }>
  t.same(alarms.map((a) => [a.ruleId, a.level]).sort(), [['gas.co.limit', 'yellow'], ['gas.co.limit', 'yellow'], ['gas.co.site_summary', 'orange']],
    'two yellow CO alarms and their roll-up at orange are open')
  t.match(risk, { level: 'orange', score: 22, floor: 'orange', domains: ['gas'], openAlarms: 3 },
    'the roll-up lifts 14.5 to the orange threshold (22), it does not add its own weight (that would be 33)')
  t.same(risk.contributors.map((c: { ruleId: string }) => c.ruleId), ['gas.co.limit', 'gas.co.limit'], 'only the members carry weight')
  // the state GET shows was published (a level change); the outbox keeps order, so once that message is here,
  // every change published before it is too
  await watch.first((m) => m.body.openAlarms === 3 && m.body.level === 'orange', 'orange with three open alarms')
  t.ok(watch.seen.length > 0 && watch.seen.every((m) => m.body.score <= 22), 'no published change ever counted the roll-up as evidence',
    { seen: watch.seen.map((m) => [m.body.level, m.body.score]) })
  t.match(watch.seen.at(-1)?.body, { siteCode: site, level: 'orange', score: 22 }, 'the last published change is orange 22')
})

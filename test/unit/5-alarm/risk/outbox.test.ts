import t from 'tap'
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { Registry } from 'prom-client'
import { createRiskMetrics } from '../../../../src/5-alarm/risk/metrics.js'
import { createRiskOutbox, riskMsgId, type RiskOutboxOptions } from '../../../../src/5-alarm/risk/outbox.js'
import { scoreSite } from '../../../../src/5-alarm/risk/score.js'
import type { RiskChange } from '../../../../src/5-alarm/risk/types.js'
import { FakeNats } from '../../6-publish/fake-nats.js'
import type { Log } from '../../../../src/lib/log.js'

const silent: Log = { debug () {}, info () {}, warn () {}, error () {} }
const T0 = Date.UTC(2026, 10, 21)

function change (siteCode: string, seq: number): RiskChange {
  const score = scoreSite([{ alarmId: 'A1', ruleId: 'gas.co.limit', category: 'over_limit', level: 'yellow', active: true, state: 'open', hazardClause: null }], null)
  return { ...score, siteCode, seq, previousLevel: null, previousScore: 0, changedAt: T0, cause: { alarmId: 'A1', seq: 1, transition: 'raised' } }
}

function riskSchema () {
  const ajv = new Ajv({ allErrors: true, strict: true })
  addFormats.default(ajv)
  for (const f of ['common.json', 'alarm-message.json']) ajv.addSchema(JSON.parse(readFileSync(new URL(`../../../../schemas/${f}`, import.meta.url), 'utf8')))
  return ajv.compile(JSON.parse(readFileSync(new URL('../../../../schemas/risk-message.json', import.meta.url), 'utf8')))
}

async function setup (t: { teardown: (fn: () => void) => void }, over: Partial<RiskOutboxOptions> = {}) {
  const nats = new FakeNats()
  const registry = new Registry()
  const outbox = await createRiskOutbox({
    nc: nats.connection(), stream: 'MINEWATCH_RISK', duplicateWindowS: 120, maxMsgsPerSubject: 50, log: silent, metrics: createRiskMetrics(registry), retryMinMs: 1, retryMaxMs: 10, ...over
  })
  t.teardown(() => outbox.close())
  return { nats, registry, outbox }
}

t.test('risk outbox - creates its own stream for minewatch.risk.> with a per-site limit', async (t) => {
  const { nats } = await setup(t)
  t.match(nats.streams.get('MINEWATCH_RISK'), { subjects: ['minewatch.risk.>'], storage: 'file', duplicate_window: 120e9, max_msgs_per_subject: 50 })
  nats.streams.set('MINEWATCH_RISK', { name: 'MINEWATCH_RISK', subjects: ['minewatch.risk.>'], storage: 'file', duplicate_window: 120e9, max_msgs_per_subject: 10 })
  const again = await createRiskOutbox({ nc: nats.connection(), stream: 'MINEWATCH_RISK', duplicateWindowS: 120, maxMsgsPerSubject: 50, log: silent, metrics: createRiskMetrics(new Registry()) })
  again.close()
  t.match(nats.streams.get('MINEWATCH_RISK'), { max_msgs_per_subject: 50 }, 'a changed limit is updated')
})

t.test('risk outbox - publishes in order on the site subject with Nats-Msg-Id risk:<site>:<seq>, payload per schema', async (t) => {
  const { nats, outbox, registry } = await setup(t)
  const changes = [change('SC.IRON', T0 + 1), change('SC.IRON', T0 + 2), change('S2', T0 + 3)]
  changes.forEach((c) => outbox.enqueue(c))
  t.ok(await outbox.drain(1000), 'drained')
  t.same(nats.sent.map((s) => [s.subject, s.msgID]), [
    ['minewatch.risk.SC%2EIRON', `risk:SC.IRON:${T0 + 1}`],
    ['minewatch.risk.SC%2EIRON', `risk:SC.IRON:${T0 + 2}`],
    ['minewatch.risk.S2', `risk:S2:${T0 + 3}`]
  ], 'a dot in a site code is escaped in the subject')
  const validate = riskSchema()
  for (const s of nats.sent) t.ok(validate(s.body), `${s.msgID} matches risk-message.json`, { errors: validate.errors })
  t.match(nats.sent[0]?.body, { siteCode: 'SC.IRON', level: 'yellow', score: 10, changedAt: new Date(T0).toISOString(), cause: { transition: 'raised' } })
  t.match(await registry.getSingleMetricAsString('minewatch_risk_published_total'), /minewatch_risk_published_total 3/)
  t.equal(riskMsgId({ siteCode: 'S', seq: 7 }), 'risk:S:7')
})

t.test('risk outbox - a failed publish is retried in order, and a resend is dropped as a duplicate', async (t) => {
  const { nats, outbox, registry } = await setup(t)
  let calls = 0
  nats.fate = () => (++calls === 1 ? 'ack-lost' : calls === 2 ? 'lost' : 'ok')
  outbox.enqueue(change('S1', 1))
  outbox.enqueue(change('S1', 2))
  t.ok(await outbox.drain(2000), 'drained after the failures')
  t.same(nats.stored, ['risk:S1:1', 'risk:S1:2'], 'each change stored once, in order')
  t.same(nats.sent.map((s) => s.msgID), ['risk:S1:1', 'risk:S1:1', 'risk:S1:1', 'risk:S1:2'], 'the head was resent until acknowledged, the next only after it')
  t.match(await registry.getSingleMetricAsString('minewatch_risk_publish_failures_total'), /minewatch_risk_publish_failures_total 2/)
})

t.test('risk outbox - a full outbox drops its oldest change', async (t) => {
  const { nats, outbox, registry } = await setup(t, { maxPending: 2 })
  nats.fate = () => 'ok'
  // the first is in flight at once; the next three queue behind it and overflow twice
  for (let seq = 1; seq <= 4; seq++) outbox.enqueue(change('S1', seq))
  t.ok(await outbox.drain(1000))
  t.same(nats.stored, ['risk:S1:1', 'risk:S1:4'], 'the change in flight and the newest are kept, the oldest waiting ones dropped')
  t.match(await registry.getSingleMetricAsString('minewatch_risk_publish_dropped_total'), /minewatch_risk_publish_dropped_total 2/)
})

t.test('risk metrics - sites are counted per level, every level present, no site label', async (t) => {
  const registry = new Registry()
  const metrics = createRiskMetrics(registry)
  metrics.observeLevels(() => ['red', 'yellow', 'red', null])
  const text = await registry.getSingleMetricAsString('minewatch_risk_sites')
  t.match(text, /minewatch_risk_sites\{level="red"\} 2/)
  t.match(text, /minewatch_risk_sites\{level="yellow"\} 1/)
  t.match(text, /minewatch_risk_sites\{level="orange"\} 0/)
  t.match(text, /minewatch_risk_sites\{level="blue"\} 0/)
  t.notMatch(text, /siteCode|site=/, 'no per-site label')
})

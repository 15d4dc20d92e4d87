// notify flow - notifications to people against a real QuestDB and nats-server, a real local HTTP receiver
// standing in for the webhook and the robots, and a real local SMTP server: a raise reaches the person on duty
// by webhook and e-mail; a receiver answering 500 is retried through the notify stream and every attempt is
// recorded; the response deadline (virtual time) escalates to the next person, with a signed DingTalk message;
// repeats go on while unacknowledged and stop at the acknowledgement; a shelved alarm is not repeated until
// its shelf ends.
import t from 'tap'
import type { Level } from '../../src/contract/index.js'
import type { ConditionInput } from '../../src/5-alarm/types.js'
import { clockOf } from '../../src/lib/clock.js'
import { advanceTo, createReplayScheduler } from '../../src/lib/virtual-time.js'
import { dingtalkSign } from '../../src/notify/channels/robots.js'
import { startServices } from '../helpers/services.js'
import { buildTestApp } from '../helpers/app.js'
import { call } from '../helpers/api.js'
import { mailText, startHttpReceiver, startSmtpServer } from '../helpers/receivers.js'
import { until } from '../helpers/wait.js'

const SITE = 'NOTIFY-1'
const MIN = 60_000

function condition (key: string, level: Level, at: number): ConditionInput {
  return {
    type: 'condition',
    key,
    rule: { ruleId: 'gas.co.limit', ruleVersion: 'v1', category: 'over_limit', title: 'CO 超限', source: 'AQ 1029-2019', hazardClause: null },
    siteCode: SITE,
    points: ['CO-101'],
    level,
    value: 170,
    limit: 160,
    eventTs: at,
    late: false,
    message: 'CO-101 CO 170 ppm ≥ 160 ppm'
  }
}

t.test('notify flow - raise, retry, escalation, repeats, acknowledgement and shelf', async (t) => {
  const services = await startServices(t)
  const http = await startHttpReceiver(t)
  const smtp = await startSmtpServer(t)
  // the duty webhook fails once: the first attempt is answered 500, the retry 200
  http.answer = (path, before) => path === '/duty' && before === 0 ? 500 : 200
  const scheduler = createReplayScheduler(Math.floor(Date.now() / 1000) * 1000)
  const app = await buildTestApp(t, {
    qdb: services.qdb,
    nats: services.nats,
    clock: clockOf(scheduler),
    scheduler,
    env: {
      MINEWATCH_ESCALATION_MAX: '2',
      MINEWATCH_RESPONSE_DEADLINE_RED: '2m',
      MINEWATCH_NOTIFY_REPEAT: '10m',
      MINEWATCH_NOTIFY_RETRY_MIN: '200ms',
      MINEWATCH_NOTIFY_RETRY_MAX: '1s',
      MINEWATCH_SMTP_URL: smtp.url,
      MINEWATCH_SMTP_FROM: 'minewatch@test.local',
      MINEWATCH_PUBLIC_URL: 'http://console.test/'
    }
  })
  const moveBy = (ms: number): void => advanceTo(scheduler, scheduler.now() + ms)
  const planned = (): Readonly<Record<'raised' | 'level_up' | 'escalation' | 'repeat', number>> => app.notify.planner.planned()

  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}`, 'admin', { name: '通知测试矿', kind: 'underground', status: 'producing' })).status, 200)
  const roster = {
    shifts: [{
      name: '全天班',
      days: [1, 2, 3, 4, 5, 6, 7],
      start: '08:00',
      end: '08:00',
      contacts: [
        { name: '值班员张三', channels: [{ kind: 'webhook', url: `${http.url}/duty` }, { kind: 'email', to: 'zhangsan@mine.test' }] },
        { name: '带班李四', channels: [{ kind: 'dingtalk', url: `${http.url}/ding?access_token=tok`, secret: 'SECabc' }] },
        { name: '矿长王五', channels: [{ kind: 'webhook', url: `${http.url}/boss` }] }
      ]
    }]
  }

  await t.test('the roster is validated, scoped to supervisors and audited', async (t) => {
    const bad = await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', { shifts: [{ ...roster.shifts[0], start: '25:00' }] })
    t.equal(bad.status, 400)
    t.match(bad.body, { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/shifts/0/start' }] }, 'the bad time is named')
    const ftp = await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', { shifts: [{ ...roster.shifts[0], contacts: [{ name: 'x', channels: [{ kind: 'webhook', url: 'ftp://x' }] }] }] })
    t.match(ftp.body, { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/shifts/0/contacts/0/channels/0/url' }] }, 'a non-http URL is named')
    t.equal((await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'operator', roster)).status, 403, 'an operator may not write the roster')
    const put = await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', roster)
    t.equal(put.status, 200)
    t.equal(put.body.timezone, 'Asia/Shanghai', 'the default time zone')
    t.equal(put.body.shifts[0].contacts[1].channels[0].secret, '******', 'the robot secret is not returned')
    const got = await call(app, 'GET', `/v1/sites/${SITE}/roster`, 'operator')
    t.same(got.body.shifts[0].contacts.map((c: { name: string }) => c.name), ['值班员张三', '带班李四', '矿长王五'])
    // what GET returned, put back as it is, keeps the stored secret (the escalation below checks the signature)
    const { siteCode: _site, updatedAt: _at, updatedBy: _by, ...back } = got.body
    t.equal((await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', back)).status, 200, 'a roster read back is accepted')
    const other = structuredClone(back)
    other.shifts[0].contacts[1].channels[0].url = `${http.url}/elsewhere`
    const refused = await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', other)
    t.match(refused.body, { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/shifts/0/contacts/1/channels/0/secret' }] }, 'a hidden secret of another robot is refused')
    const audit = await until(async () => {
      const a = await call(app, 'GET', '/v1/audit?action=roster_put', 'admin')
      return a.body.records?.length > 0 ? a.body.records : undefined
    }, 'the roster_put audit record')
    t.match(audit[0], { action: 'roster_put', site: SITE, outcome: 'ok' })
  })

  let alarmId = ''
  await t.test('a raise reaches the person on duty by webhook (retried after a 500) and e-mail', async (t) => {
    await app.alarms.onCondition(condition('k-red', 'red', scheduler.now()))
    const [alarm] = await app.alarms.list({ state: 'open', site: SITE })
    alarmId = alarm?.alarmId ?? ''
    t.ok(alarmId, 'the alarm is open')
    const ok = await until(async () => http.received.find((r) => r.path === '/duty' && r.status === 200), 'the retried duty webhook')
    t.equal(http.received.filter((r) => r.path === '/duty').length, 2, 'one failed attempt, one delivered')
    t.match(ok.body, { alarmId, transition: 'raised', level: 'red', siteCode: SITE, notification: { reason: 'raised', step: 0, contact: '值班员张三' } })
    const mail = await until(async () => smtp.mails[0], 'the e-mail')
    t.same(mail.to, ['zhangsan@mine.test'])
    const text = mailText(mail.raw)
    t.match(text, /红色报警/, 'the mail says the level in Chinese')
    t.match(text, `http://console.test/console/alarms/${alarmId}`, 'the mail links to the console')
    t.equal(http.received.filter((r) => r.path === '/ding' || r.path === '/boss').length, 0, 'the next people are not told at the raise')
    const rows = await until(async () => {
      const res = await call(app, 'GET', `/v1/alarms/${alarmId}/notifications`, 'operator')
      const list = res.body.notifications as Array<{ channel: string, outcome: string }>
      return list.filter((n) => n.outcome === 'delivered').length >= 2 ? list : undefined
    }, 'the recorded attempts')
    t.match(rows.filter((n) => n.channel === 'webhook'), [
      { attempt: 1, outcome: 'failed', status: 500, reason: 'raised', contact: '值班员张三' },
      { attempt: 2, outcome: 'delivered', status: 200 }
    ], 'the failed attempt and the retry are recorded')
    t.match(rows.filter((n) => n.channel === 'email'), [{ attempt: 1, outcome: 'delivered' }])
    t.equal((await call(app, 'GET', `/v1/alarms/${alarmId}/notifications`, 'otherOperator')).status, 404, 'another site\'s operator sees nothing')
  })

  await t.test('the response deadline escalates to the next person, by a signed DingTalk message', async (t) => {
    moveBy(2 * MIN)
    const ding = await until(async () => http.received.find((r) => r.path === '/ding'), 'the DingTalk message')
    const ts = Number(ding.query.get('timestamp'))
    t.equal(ding.query.get('sign'), dingtalkSign(ts, 'SECabc'), 'signed with the robot secret')
    t.equal(ding.body.msgtype, 'markdown')
    t.match(ding.body.markdown.text, /第 1 次升级/)
    await until(async () => http.received.filter((r) => r.path === '/duty' && r.status === 200).length >= 2 ? true : undefined, 'the person on duty told again')
    moveBy(2 * MIN)
    const boss = await until(async () => http.received.find((r) => r.path === '/boss'), 'the second step')
    t.match(boss.body, { alarmId, transition: 'response_overdue', escalation: 2, notification: { reason: 'escalation', step: 2 } })
  })

  await t.test('repeats go on while unacknowledged and stop at the acknowledgement', async (t) => {
    const before = planned()
    moveBy(6 * MIN) // 10 min after the raise
    await app.notify.planner.idle()
    t.equal(planned().repeat - before.repeat, 4, 'the repeat tells everyone involved: webhook and e-mail, DingTalk, the second step')
    await until(async () => http.received.find((r) => r.path === '/boss' && r.body.notification.reason === 'repeat'), 'the repeat')
    t.equal((await call(app, 'POST', `/v1/alarms/${alarmId}/ack`, 'operator', { by: 'op' })).status, 200)
    const acked = planned()
    moveBy(30 * MIN)
    await app.notify.planner.idle()
    t.same(planned(), acked, 'no repeat after the acknowledgement')
  })

  await t.test('a shelved alarm is not repeated; its repeats resume when the shelf ends', async (t) => {
    await app.alarms.onCondition(condition('k-yellow', 'yellow', scheduler.now()))
    const second = (await app.alarms.list({ state: 'open', site: SITE })).find((a) => a.key === 'k-yellow')
    t.ok(second, 'a second alarm')
    await app.notify.planner.idle()
    await app.alarms.act(second?.alarmId ?? '', { type: 'shelve', by: 'op', reason: '传感器检修', until: scheduler.now() + 25 * MIN })
    const shelved = planned()
    moveBy(20 * MIN)
    await app.notify.planner.idle()
    t.same(planned(), shelved, 'nothing repeated while shelved')
    moveBy(5 * MIN) // the shelf ends (25 min); its unshelve is stored before the repeats resume
    await until(async () => (await app.alarms.find(second?.alarmId ?? ''))?.shelf === null ? true : undefined, 'the shelf ended')
    await app.notify.planner.idle()
    moveBy(5 * MIN) // the next repeat on the grid, 30 min after the raise
    const repeat = await until(async () => http.received.find((r) => r.path === '/duty' && r.body.alarmId === second?.alarmId && r.body.notification.reason === 'repeat'), 'the repeat after the shelf')
    t.match(repeat.body, { level: 'yellow', notification: { step: 0, contact: '值班员张三' } }, 'the person on duty is reminded again')
  })
})

// roster routes - PUT /v1/sites/:siteCode/roster refuses precisely (400 naming the field, 422 for e-mail while
// no SMTP server is configured), respects roles and site scope, and GET answers 404 for a site without one.
import t from 'tap'
import { startServices } from '../helpers/services.js'
import { buildTestApp } from '../helpers/app.js'
import { call } from '../helpers/api.js'

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })
const SITE = 'RO-1'
const contact = { name: '值班员', channels: [{ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K' }] }
const shift = { days: [1, 2, 3], start: '20:00', end: '08:00', contacts: [contact] }

t.before(async () => {
  const site = await call(app, 'PUT', `/v1/sites/${SITE}`, 'admin', { name: '值班表测试矿', kind: 'open_pit', status: 'producing' })
  if (site.status !== 200) throw new Error(`PUT site: ${JSON.stringify(site.body)}`)
})

t.test('roster routes - each bad field is named', async (t) => {
  const cases: Array<[string, unknown, string]> = [
    ['a weekday out of 1..7', { shifts: [{ ...shift, days: [0] }] }, '/shifts/0/days/0'],
    ['an end time that is no time', { shifts: [{ ...shift, end: '8:00' }] }, '/shifts/0/end'],
    ['an unknown channel kind', { shifts: [{ ...shift, contacts: [{ name: 'x', channels: [{ kind: 'sms', to: '1' }] }] }] }, '/shifts/0/contacts/0/channels/0/kind'],
    ['a bad e-mail address', { shifts: [{ ...shift, contacts: [{ name: 'x', channels: [{ kind: 'email', to: 'not-an-address' }] }] }] }, '/shifts/0/contacts/0/channels/0/to'],
    ['an unknown level', { shifts: [{ ...shift, levels: ['purple'] }] }, '/shifts/0/levels/0'],
    ['an unknown time zone', { timezone: 'Mars/Olympus', shifts: [shift] }, '/timezone'],
    ['a field the roster does not have', { shifts: [shift], owner: 'x' }, '']
  ]
  for (const [what, body, path] of cases) {
    const res = await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', body)
    t.equal(res.status, 400, what)
    t.equal(res.body.error, 'MW_ERR_INVALID_BODY', what)
    if (path !== '') t.match(res.body.details?.[0]?.path, path, `${what}: ${path}`)
  }
})

t.test('roster routes - e-mail needs an SMTP server', async (t) => {
  const res = await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', { shifts: [{ ...shift, contacts: [{ name: 'x', channels: [{ kind: 'email', to: 'a@mine.test' }] }] }] })
  t.equal(res.status, 422)
  t.match(res.body, { error: 'MW_ERR_CHANNEL_UNAVAILABLE', message: /\/shifts\/0\/contacts\/0\/channels\/0/ })
})

t.test('roster routes - roles, scope and unknown sites', async (t) => {
  t.equal((await call(app, 'GET', `/v1/sites/${SITE}/roster`, 'operator')).status, 404, 'no roster yet')
  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'operator', { shifts: [shift] })).status, 403, 'an operator may not write it')
  t.equal((await call(app, 'PUT', '/v1/sites/NOPE/roster', 'admin', { shifts: [shift] })).status, 404, 'an unregistered site')
  t.equal((await call(app, 'GET', `/v1/sites/${SITE}/roster`, 'otherOperator')).status, 403, 'another site\'s operator')
  const put = await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', { timezone: 'Asia/Urumqi', shifts: [shift] })
  t.equal(put.status, 200)
  const got = await call(app, 'GET', `/v1/sites/${SITE}/roster`, 'operator')
  const masked = { ...shift, contacts: [{ ...contact, channels: [{ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=******' }] }] }
  t.match(got.body, { siteCode: SITE, timezone: 'Asia/Urumqi', shifts: [masked], updatedBy: /.+/ }, 'as stored, the robot key masked')
})

t.test('roster routes - the tokens in robot webhook URLs are masked on read and kept when put back as read', async (t) => {
  const robots = {
    name: '带班领导',
    channels: [
      { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=DING-TOKEN-1', secret: 'SEC-1' },
      { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WECOM-KEY-2' },
      { kind: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/FEISHU-HOOK-3' },
      { kind: 'webhook', url: 'https://duty.example/hook?site=RO-1&token=HOOK-TOKEN-4' }
    ]
  }
  const put = await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', { shifts: [{ ...shift, contacts: [robots] }] })
  t.equal(put.status, 200)
  const got = await call(app, 'GET', `/v1/sites/${SITE}/roster`, 'operator')
  const text = JSON.stringify(got.body)
  for (const secret of ['DING-TOKEN-1', 'SEC-1', 'WECOM-KEY-2', 'FEISHU-HOOK-3', 'HOOK-TOKEN-4']) t.notOk(text.includes(secret), `${secret} is not returned`)
  t.same(got.body.shifts[0].contacts[0].channels.map((c: { url: string }) => c.url), [
    'https://oapi.dingtalk.com/robot/send?access_token=******',
    'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=******',
    'https://open.feishu.cn/open-apis/bot/v2/hook/******',
    'https://duty.example/hook?site=RO-1&token=******'
  ], 'each URL masked where it carries a credential; the rest readable')
  const { siteCode: _s, updatedAt: _a, updatedBy: _b, ...back } = got.body
  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', back)).status, 200, 'put back as read')
  const stored = await app.notify.rosters.get(SITE)
  t.same(stored?.shifts[0]?.contacts[0]?.channels.map((c: any) => c.url), robots.channels.map((c) => c.url), 'the stored URLs are the real ones still')
  const moved = structuredClone(back)
  moved.shifts[0].contacts[0].channels[1].url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/other?key=******'
  const refused = await call(app, 'PUT', `/v1/sites/${SITE}/roster`, 'admin', moved)
  t.match(refused.body, { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/shifts/0/contacts/0/channels/1/url' }] }, 'a masked URL matching nothing stored is refused, naming it')
})

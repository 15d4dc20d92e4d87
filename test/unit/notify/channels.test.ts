// channels - the robots' message formats and signatures (DingTalk and Feishu "加签" as their documentation
// describes, recomputed here with Web Crypto), the Chinese text, the generic webhook body and robot refusals.
import t from 'tap'
import { webcrypto } from 'node:crypto'
import type { AlarmMessage } from '../../../src/contract/index.js'
import { dingtalkRequest, dingtalkSign, feishuRequest, feishuSign, robotRefusal, wecomRequest } from '../../../src/notify/channels/robots.js'
import { webhookRequest } from '../../../src/notify/channels/webhook.js'
import { mailOf } from '../../../src/notify/channels/email.js'
import { consoleLink, notifyText } from '../../../src/notify/text.js'
import type { NotifyJob } from '../../../src/notify/types.js'

const NOW = Date.UTC(2026, 10, 21, 1, 2, 3)

// HMAC-SHA256, base64, by another implementation than the one under test
async function hmac (key: string, data: string): Promise<string> {
  const k = await webcrypto.subtle.importKey('raw', new TextEncoder().encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return Buffer.from(await webcrypto.subtle.sign('HMAC', k, new TextEncoder().encode(data))).toString('base64')
}

const alarm = {
  alarmId: 'A01',
  seq: 1,
  transition: 'raised',
  category: 'over_limit',
  level: 'red',
  siteCode: 'SC-IRON',
  points: ['CO-101'],
  title: 'CO 超限',
  message: 'CO-101 CO 170 ppm ≥ 160 ppm',
  value: 170,
  limit: 160,
  startedAt: '2026-11-21T01:00:00.000Z'
} as unknown as AlarmMessage
const job: NotifyJob = { id: 'notify:A01:s1:abc', reason: 'raised', step: 0, contact: '张三', channel: { kind: 'webhook', url: 'http://x' }, alarm, plannedAt: NOW }
const text = notifyText(job, { timezone: 'Asia/Shanghai', publicUrl: 'https://mw.example/' })

t.test('channels - the text is Chinese, in Shanghai time, with the console link', async (t) => {
  t.equal(text.title, '【红色报警】SC-IRON CO 超限')
  t.match(Object.fromEntries(text.fields), { 级别: '红色', 当前值: '170', 限值: '160', 报警时间: '2026-11-21 09:00:00', 原因: '新报警' })
  t.equal(text.link, 'https://mw.example/console/alarms/A01')
  t.equal(consoleLink('A01', undefined), '/console/alarms/A01', 'without a public URL, the path')
  t.match(Object.fromEntries(notifyText({ ...job, reason: 'escalation', step: 2 }, { timezone: 'Asia/Shanghai' }).fields), { 原因: /第 2 次升级/ })
})

t.test('channels - DingTalk signs timestamp (ms) and secret with the secret as key', async (t) => {
  t.equal(dingtalkSign(NOW, 'SEC1'), await hmac('SEC1', `${NOW}\nSEC1`))
  const req = dingtalkRequest('https://oapi.dingtalk.com/robot/send?access_token=T', 'SEC1', text, NOW)
  const u = new URL(req.url)
  t.equal(u.searchParams.get('access_token'), 'T', 'the token stays')
  t.equal(u.searchParams.get('timestamp'), String(NOW))
  t.equal(u.searchParams.get('sign'), await hmac('SEC1', `${NOW}\nSEC1`), 'the sign, URL-encoded in the query')
  t.match(req.body, { msgtype: 'markdown', markdown: { title: text.title, text: /### 【红色报警】/ } })
  t.equal(dingtalkRequest('https://d/x?access_token=T', undefined, text, NOW).url, 'https://d/x?access_token=T', 'no secret: no signature')
})

t.test('channels - Feishu signs with timestamp (s) and secret as the key of an empty message', async (t) => {
  const ts = Math.floor(NOW / 1000)
  t.equal(feishuSign(ts, 'S2'), await hmac(`${ts}\nS2`, ''))
  const req = feishuRequest('https://open.feishu.cn/open-apis/bot/v2/hook/H', 'S2', text, NOW)
  t.match(req.body, { msg_type: 'post', timestamp: String(ts), sign: await hmac(`${ts}\nS2`, ''), content: { post: { zh_cn: { title: text.title } } } })
  const lines = (req.body as any).content.post.zh_cn.content as Array<Array<{ tag: string, href?: string }>>
  t.match(lines.at(-1), [{ tag: 'a', href: text.link }], 'the console link is a link')
  t.notOk('sign' in (feishuRequest('https://f', undefined, text, NOW).body as object), 'no secret: no signature')
})

t.test('channels - WeCom markdown, generic webhook, e-mail', async (t) => {
  t.match(wecomRequest('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K', text).body, { msgtype: 'markdown', markdown: { content: /在控制台查看/ } })
  t.match(webhookRequest('http://x', job).body, { ...alarm, notification: { id: job.id, reason: 'raised', step: 0, contact: '张三' } }, 'the alarm message with who and why')
  t.match(mailOf('mw@x', 'a@b', text), { from: 'mw@x', to: 'a@b', subject: text.title, text: /https:\/\/mw.example\/console/ })
})

t.test('channels - a robot refusal in a 200 answer is an error', async (t) => {
  t.equal(robotRefusal({ errcode: 0, errmsg: 'ok' }), undefined)
  t.equal(robotRefusal({ code: 0 }), undefined)
  t.match(robotRefusal({ errcode: 310000, errmsg: 'sign not match' }), /310000.*sign not match/)
  t.match(robotRefusal({ code: 19021, msg: 'sign match fail' }), /19021/)
  t.equal(robotRefusal(null), undefined, 'a body that is not JSON is not a refusal')
})

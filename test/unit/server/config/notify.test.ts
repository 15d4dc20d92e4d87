import t from 'tap'
import { loadConfig } from '../../../../src/server/config/load.js'

t.test('notify config - defaults, overrides and refusals of the notification variables', async (t) => {
  t.same(loadConfig({}).notify, {
    stream: 'MINEWATCH_NOTIFY',
    repeatMs: 15 * 60_000,
    maxAttempts: 8,
    retryMinMs: 10_000,
    retryMaxMs: 600_000,
    timeoutMs: 10_000,
    maxAgeMs: 86_400_000,
    timezone: 'Asia/Shanghai',
    smtp: undefined,
    publicUrl: undefined
  }, 'defaults: no e-mail, no public URL')
  const set = loadConfig({
    MINEWATCH_NOTIFY_REPEAT: '0',
    MINEWATCH_SMTP_URL: 'smtp://mail.local:2525',
    MINEWATCH_SMTP_FROM: 'mw@mine.test',
    MINEWATCH_PUBLIC_URL: 'https://mw.example',
    MINEWATCH_ROSTER_TZ: 'Asia/Urumqi'
  }).notify
  t.match(set, { repeatMs: 0, smtp: { url: 'smtp://mail.local:2525', from: 'mw@mine.test' }, publicUrl: 'https://mw.example', timezone: 'Asia/Urumqi' })
  for (const [name, value] of [
    ['MINEWATCH_ROSTER_TZ', 'Mars/Olympus'],
    ['MINEWATCH_SMTP_URL', 'http://mail'],
    ['MINEWATCH_PUBLIC_URL', 'console.example'],
    ['MINEWATCH_NOTIFY_MAX_ATTEMPTS', '0'],
    ['MINEWATCH_NOTIFY_REPEAT', 'often']
  ] as const) {
    t.throws(() => loadConfig({ [name]: value }), { code: 'MW_ERR_INVALID_CONFIG', message: new RegExp(name) }, `${name}=${value} is refused, naming the variable`)
  }
})

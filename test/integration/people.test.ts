// People against real NATS (users and sessions buckets) and QuestDB (audit): login with the cookie and the
// bearer form, roles and scopes, lockout, password change ending sessions, the actor of a handling action, and
// the audit of it all. Passwords never come back and never reach the audit.
import t from 'tap'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { createTestUser, login } from '../helpers/users.js'
import { until } from '../helpers/wait.js'
import { call } from '../helpers/api.js'
import { AlarmWatch } from '../helpers/alarm-watch.js'
import { coRulesDir, ENGINE_ENV } from '../helpers/rules.js'
import { main } from '../../src/tools/cli/users.js'

const svc = await startServices(t)
// everything the server logs, at every level, to check that no password is ever in it
const logs: string[] = []
const app = await buildTestApp(t, {
  qdb: svc.qdb,
  nats: svc.nats,
  logger: { level: 'trace', stream: { write: (line: string) => { logs.push(line) } } },
  env: { MINEWATCH_LOGIN_MAX_FAILURES: '3', MINEWATCH_LOGIN_LOCKOUT: '10m', MINEWATCH_RULES_DIR: await coRulesDir(t, 'minewatch-people-rules-', '0s'), ...ENGINE_ENV }
})
const PASSWORD = 'duty-room-2026-secret'

await createTestUser(app, { username: 'zhang.san', displayName: '张三', password: PASSWORD, role: 'operator', sites: ['*'] })
await createTestUser(app, { username: 'viewer1', password: PASSWORD, role: 'viewer', sites: ['*'] })
await createTestUser(app, { username: 'other-op', password: PASSWORD, role: 'operator', sites: ['OTHER'] })

async function auditOf (q: string): Promise<any[]> {
  const res = await app.inject({ method: 'GET', url: `/v1/audit?${q}`, headers: auth('admin') })
  return res.json().records
}

t.test('people - a login sets an HttpOnly SameSite cookie and returns a bearer token; both authenticate', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'zhang.san', password: PASSWORD } })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(body.user, { username: 'zhang.san', displayName: '张三', role: 'operator', sites: ['*'], disabled: false, locked: false, updatedAt: body.user.updatedAt })
  t.notOk(JSON.stringify(body).includes(PASSWORD), 'the password is not echoed')
  t.notOk(JSON.stringify(body).includes('argon2'), 'nor its hash')
  const cookie = res.cookies.find((c) => c.name === 'minewatch_session')
  t.ok(cookie?.httpOnly, 'HttpOnly')
  t.equal(cookie?.sameSite, 'Strict')
  t.equal(cookie?.value, body.token)
  const viaCookie = await app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: `minewatch_session=${body.token}` } })
  t.equal(viaCookie.json().user.username, 'zhang.san')
  const viaBearer = await app.inject({ method: 'GET', url: '/v1/alarms', headers: { authorization: `Bearer ${body.token}` } })
  t.equal(viaBearer.statusCode, 200)
})

t.test('people - a wrong password and an unknown user get the same 401; neither is told apart', async (t) => {
  const wrong = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'viewer1', password: 'not-it-at-all' } })
  const unknown = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'nobody', password: 'not-it-at-all' } })
  t.equal(wrong.statusCode, 401)
  t.equal(unknown.statusCode, 401)
  t.same(wrong.json(), unknown.json())
  t.equal(wrong.json().error, 'MW_ERR_LOGIN_REFUSED')
  const bad = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'Bad Name!', password: 'x' } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().details, [{ path: '/username' }])
  // a successful login resets the counter, so viewer1 is not on its way to a lockout
  t.equal((await login(app, 'viewer1', PASSWORD)).status, 200)
})

t.test('people - guesses sent in parallel cannot pass the lockout: only the limit is checked, the rest refused unchecked', async (t) => {
  await createTestUser(app, { username: 'race.me', password: PASSWORD, role: 'operator', sites: ['*'] })
  const codes = await Promise.all(Array.from({ length: 20 }, async (_, i) => (await login(app, 'race.me', `wrong-password-${i}`)).status))
  t.same([codes.filter((c) => c === 401).length, codes.filter((c) => c === 429).length], [2, 18], 'three passwords checked (two refused, the third locks), seventeen refused unchecked')
  t.equal((await login(app, 'race.me', PASSWORD)).status, 429, 'the right password after them is refused: the account is locked')
})

t.test('people - repeated failures lock the account; the right password is refused until the lock ends', async (t) => {
  await createTestUser(app, { username: 'lock.me', password: PASSWORD, role: 'operator', sites: ['*'] })
  const codes: number[] = []
  for (let i = 0; i < 3; i++) codes.push((await login(app, 'lock.me', 'wrong-password-' + i)).status)
  t.same(codes, [401, 401, 429], 'the third failure locks')
  const locked = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'lock.me', password: PASSWORD } })
  t.equal(locked.statusCode, 429)
  t.equal(locked.json().error, 'MW_ERR_LOCKED_OUT')
  t.ok(Number(locked.headers['retry-after']) > 500, 'Retry-After tells about ten minutes')
  const view = await app.inject({ method: 'GET', url: '/v1/users/lock.me', headers: auth('admin') })
  t.equal(view.json().locked, true)
  // an admin setting a new password unlocks it
  const put = await app.inject({ method: 'PUT', url: '/v1/users/lock.me', headers: auth('admin'), payload: { displayName: 'L', role: 'operator', sites: ['*'], password: 'a-new-password-42' } })
  t.equal(put.statusCode, 200)
  t.equal((await login(app, 'lock.me', 'a-new-password-42')).status, 200)
  const records = await until(async () => {
    const r = await auditOf('actor=lock.me')
    return r.some((x) => x.action === 'lockout') && r.filter((x) => x.action === 'login_failed').length >= 4 ? r : undefined
  }, 'lockout audited')
  t.ok(records.every((r) => !JSON.stringify(r).includes(PASSWORD) && !JSON.stringify(r).includes('wrong-password')), 'no password in the audit')
})

t.test('people - roles: a viewer sees alarms but cannot act; a gateway token cannot manage users', async (t) => {
  const v = await login(app, 'viewer1', PASSWORD)
  t.equal((await app.inject({ method: 'GET', url: '/v1/alarms', headers: { cookie: v.cookie } })).statusCode, 200)
  const ack = await app.inject({ method: 'POST', url: '/v1/alarms/A-1/ack', headers: { cookie: v.cookie }, payload: {} })
  t.equal(ack.statusCode, 403)
  t.equal((await app.inject({ method: 'GET', url: '/v1/users', headers: { cookie: v.cookie } })).statusCode, 403)
  t.equal((await app.inject({ method: 'GET', url: '/v1/users', headers: auth('gateway') })).statusCode, 403)
  const list = await app.inject({ method: 'GET', url: '/v1/users', headers: auth('admin') })
  t.ok(list.json().users.some((u: any) => u.username === 'zhang.san'))
  t.notOk(list.body.includes('argon2'), 'no hash in the listing')
})

t.test('people - a cookie with another site\'s Origin cannot change state', async (t) => {
  const s = await login(app, 'zhang.san', PASSWORD)
  const res = await app.inject({ method: 'POST', url: '/v1/console/mute', headers: { cookie: s.cookie, origin: 'https://evil.example', host: 'minewatch.local' }, payload: { minutes: 5 } })
  t.equal(res.statusCode, 403)
  const same = await app.inject({ method: 'POST', url: '/v1/console/mute', headers: { cookie: s.cookie, origin: 'http://minewatch.local', host: 'minewatch.local' }, payload: { minutes: 5, reason: '交接班' } })
  t.equal(same.statusCode, 200)
  t.match(same.json(), { mutedUntil: /Z$/ })
})

t.test('people - ending a mute early is audited as unmute, by the person', async (t) => {
  const s = await login(app, 'zhang.san', PASSWORD)
  const res = await app.inject({ method: 'DELETE', url: '/v1/console/mute', headers: { cookie: s.cookie } })
  t.equal(res.statusCode, 204)
  const gateway = await app.inject({ method: 'DELETE', url: '/v1/console/mute', headers: auth('gateway') })
  t.equal(gateway.statusCode, 403, 'a gateway does not handle alarms')
  const bad = await app.inject({ method: 'DELETE', url: '/v1/console/mute?site=../x', headers: { cookie: s.cookie } })
  t.equal(bad.statusCode, 400, 'a malformed site is refused')
  const trail = await until(async () => { const r = await auditOf('action=unmute'); return r.length > 0 ? r : undefined }, 'the unmute record')
  t.match(trail, [{ action: 'unmute', actor: 'zhang.san', actorKind: 'user', outcome: 'ok' }])
})

t.test('people - logout and a password change end sessions', async (t) => {
  const a = await login(app, 'zhang.san', PASSWORD)
  const b = await login(app, 'zhang.san', PASSWORD)
  const out = await app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie: a.cookie } })
  t.equal(out.statusCode, 204)
  t.match(out.headers['set-cookie'], /minewatch_session=;/)
  t.equal((await app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: a.cookie } })).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: b.cookie } })).statusCode, 200, 'the other session lives on')
  await app.inject({ method: 'PUT', url: '/v1/users/zhang.san', headers: auth('admin'), payload: { displayName: '张三', role: 'operator', sites: ['*'], password: 'changed-password-77' } })
  t.equal((await app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: b.cookie } })).statusCode, 401, 'a new password ends it')
  await app.inject({ method: 'PUT', url: '/v1/users/zhang.san', headers: auth('admin'), payload: { displayName: '张三', role: 'operator', sites: ['*'], password: PASSWORD } })
})

t.test('people - user management validates and names the field; a new user needs a password', async (t) => {
  const put = (name: string, payload: object): Promise<any> => app.inject({ method: 'PUT', url: `/v1/users/${name}`, headers: auth('admin'), payload })
  const noPassword = await put('new.one', { displayName: 'N', role: 'operator', sites: ['*'] })
  t.equal(noPassword.statusCode, 400)
  t.match(noPassword.json().details, [{ path: '/password' }])
  const short = await put('new.one', { displayName: 'N', role: 'operator', sites: ['*'], password: 'short' })
  t.match(short.json().details, [{ path: '/password' }])
  const gatewayRole = await put('new.one', { displayName: 'N', role: 'gateway', sites: ['*'], password: 'long-enough-pass' })
  t.match(gatewayRole.json().details, [{ path: '/role' }])
  const badSite = await put('new.one', { displayName: 'N', role: 'viewer', sites: ['a b'], password: 'long-enough-pass' })
  t.equal(badSite.statusCode, 400)
  const created = await put('new.one', { displayName: 'N', role: 'viewer', sites: ['S1'], password: 'long-enough-pass' })
  t.equal(created.statusCode, 200)
  t.equal(created.json().created, true)
  const audit = await until(async () => (await auditOf('action=user_put')).find((r) => r.target === 'new.one'), 'user change audited')
  t.match(audit, { actor: /^admin:/, actorKind: 'token', detail: { created: true, role: 'viewer', passwordChanged: true } })
  t.notOk(JSON.stringify(audit).includes('long-enough-pass'))
})

t.test('people - a handling action records the logged-in person, whatever the body says, on NATS and in the audit', async (t) => {
  const SITE = 'PPL-1'
  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}`, 'admin', { name: '人员测试矿', kind: 'underground', status: 'producing' })).status, 200)
  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}/points`, 'admin', [{ pointCode: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 60 }])).status, 200)
  const watch = await AlarmWatch.open(svc.nats.url)
  t.teardown(() => watch.close())
  t.equal((await call(app, 'POST', '/v1/readings', 'gateway', { siteCode: SITE, readings: [{ point: 'CO-1', ts: Date.now() - 1000, value: 30 }] })).status, 200)
  const raised = await until(async () => watch.forSite(SITE).find((m) => m.body.transition === 'raised'), 'the alarm raised')
  const alarmId = raised.body.alarmId

  const other = await login(app, 'other-op', PASSWORD)
  const hidden = await app.inject({ method: 'POST', url: `/v1/alarms/${alarmId}/ack`, headers: { cookie: other.cookie }, payload: {} })
  t.equal(hidden.statusCode, 404, 'an operator of another site is told nothing about it')
  const list = await app.inject({ method: 'GET', url: '/v1/alarms', headers: { cookie: other.cookie } })
  t.same(list.json().alarms, [], 'nor lists it')

  const me = await login(app, 'zhang.san', PASSWORD)
  const ack = await app.inject({ method: 'POST', url: `/v1/alarms/${alarmId}/ack`, headers: { cookie: me.cookie }, payload: { by: '李四', note: '已通知' } })
  t.equal(ack.statusCode, 200)
  t.equal(ack.json().transition.by, 'zhang.san', 'the person, not the stated name')
  const published = await until(async () => watch.forSite(SITE).find((m) => m.body.transition === 'acknowledged'), 'the ack published')
  t.equal(published.body.by, 'zhang.san')
  const audit = await until(async () => (await auditOf(`alarm=${alarmId}`)).find((r) => r.action === 'ack'), 'the ack audited')
  t.match(audit, { actor: 'zhang.san', actorKind: 'user', actorRole: 'operator', site: SITE, target: alarmId, detail: { note: '已通知', statedBy: '李四' } })
  const scoped = await app.inject({ method: 'GET', url: `/v1/audit?alarm=${alarmId}`, headers: { cookie: other.cookie } })
  t.same(scoped.json().records, [], 'the audit of another site is not shown either')
  const seen = await app.inject({ method: 'GET', url: `/v1/audit?alarm=${alarmId}`, headers: { cookie: me.cookie } })
  t.ok(seen.json().records.length > 0, 'while the person of every site sees it (the empty answer above is scope, not an empty trail)')
  // a token relaying an operator may not use the name of one of minewatch's people
  const relayed = await app.inject({ method: 'POST', url: `/v1/alarms/${alarmId}/dispatch`, headers: auth('operator'), payload: { assignee: '王五', by: 'zhang.san' } })
  t.equal(relayed.statusCode, 200)
  const dispatched = await until(async () => watch.forSite(SITE).find((m) => m.body.transition === 'dispatched'), 'the dispatch published')
  t.match(dispatched.body.by, /^zhang\.san@.+/, 'a person\'s name stated by a token is marked with the token')
  t.not(dispatched.body.by, 'zhang.san')
})

t.test('people - the users CLI creates a user with a password from stdin and lists it, through the API', async (t) => {
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const out: string[] = []
  const err: string[] = []
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), stdin: async () => 'cli-password-2026\n', env: {}, fetch }
  const token = { token: 'test-admin-token-0123456789' }
  const set = await main(['set', 'wang.wu', '--role', 'supervisor', '--sites', 'S1,S2', '--display', '王五', '--password-stdin', '--url', address, '--token', token.token], io)
  t.equal(set, 0, err.join('\n'))
  t.match(out, [/created wang\.wu \(supervisor, sites S1,S2\)/])
  t.equal((await login(app, 'wang.wu', 'cli-password-2026')).status, 200, 'the stdin password works, without its newline')
  t.equal(await main(['list', '--url', address, '--token', token.token], io), 0)
  t.ok(out.some((l) => l === 'wang.wu\tsupervisor\tS1,S2\t王五'))
  const bad = await main(['set', 'wang.wu', '--role', 'chief', '--sites', 'S1', '--url', address, '--token', token.token], io)
  t.equal(bad, 1)
  t.match(err.at(-1), /400 MW_ERR_INVALID_BODY[\s\S]*\/role/)
  t.equal(await main(['list', '--url', address, '--token', 'test-operator-token-0123456789'], io), 1, 'an operator token may not')
  t.equal(await main(['set', 'wang.wu', '--role', 'supervisor', '--sites', 'S1', '--url', address, '--token', token.token], io), 0, 'a change without --display')
  t.equal((await app.users.get('wang.wu'))?.displayName, '王五', 'keeps the name shown')
})

t.test('people - a regional admin manages only its region\'s people: never one who sees more', async (t) => {
  await createTestUser(app, { username: 'admin.ra', password: PASSWORD, role: 'admin', sites: ['RA'] })
  await createTestUser(app, { username: 'boss', password: PASSWORD, role: 'admin', sites: ['*'] })
  await createTestUser(app, { username: 'op.ra', password: PASSWORD, role: 'operator', sites: ['RA'] })
  await createTestUser(app, { username: 'op.rab', password: PASSWORD, role: 'operator', sites: ['RA', 'RB'] })
  const { cookie } = await login(app, 'admin.ra', PASSWORD)
  const put = async (name: string, payload: object): Promise<number> => (await app.inject({ method: 'PUT', url: `/v1/users/${name}`, headers: { cookie }, payload })).statusCode
  t.equal(await put('boss', { displayName: 'B', role: 'viewer', sites: ['RA'], password: 'taken-over-2026' }), 403, 'not the global admin')
  t.equal(await put('op.rab', { displayName: 'O', role: 'viewer', sites: ['RA'] }), 403, 'not a person who also sees RB')
  t.equal((await login(app, 'boss', PASSWORD)).status, 200, 'the global admin\'s password still works')
  t.equal(await put('op.ra', { displayName: '区域值班员', role: 'operator', sites: ['RA'] }), 200, 'its own region\'s operator')
  t.equal(await put('new.ra', { displayName: 'N', role: 'viewer', sites: ['RA'], password: 'a-new-region-user-1' }), 200, 'a new person of its region')
  const listed = (await app.inject({ method: 'GET', url: '/v1/users', headers: { cookie } })).json().users.map((u: any) => u.username).sort()
  t.same(listed, ['admin.ra', 'new.ra', 'op.ra'], 'it lists only the people of its region')
  t.equal((await app.inject({ method: 'GET', url: '/v1/users/boss', headers: { cookie } })).statusCode, 404, 'and cannot look up others')
})

t.test('people - no password, right or wrong, is ever in the server log (every level) or in an answer', async (t) => {
  t.ok(logs.length > 100, `the server logged ${logs.length} lines during these tests`)
  const passwords = [PASSWORD, 'not-the-password', 'cli-password-2026', 'a-new-password-42', 'changed-password-77', 'taken-over-2026', 'a-new-region-user-1', 'wrong-password-0']
  for (const p of passwords) t.notOk(logs.some((l) => l.includes(p)), `"${p}" is not logged`)
  const users = await app.inject({ method: 'GET', url: '/v1/users', headers: auth('admin') })
  t.notOk(/argon2|password/i.test(users.body), 'nor answered by the user listing')
})

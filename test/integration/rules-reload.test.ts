// alarms flow - rule reload on a running server (POST /v1/rules/reload, GET /v1/rules): a rules folder that
// turns broken keeps the running rule set (and says exactly where each error is: file, line, column, JSON
// pointer), alarms keep coming from the old rules, and the fixed folder becomes the running set.
import t from 'tap'
import { unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AlarmMessage } from '../../src/contract/index.js'
import type { ConditionChange } from '../../src/4-evaluate/types.js'
import { startServices } from '../helpers/services.js'
import { buildTestApp } from '../helpers/app.js'
import { AlarmWatch, alarmSchema } from '../helpers/alarm-watch.js'
import { call } from '../helpers/api.js'
import { ENGINE_ENV, tempDir } from '../helpers/rules.js'
import { until } from '../helpers/wait.js'

const SITE = 'RL-1'

const rule = (id: string, body: string): string => `      - id: ${id}
        kind: threshold
        title: CO 超限
        category: over_limit
        source: configurable default (integration test)
        hazardClause: null
        match: { quantity: [co], siteKind: [underground] }
${body}`

const GOOD_V1 = `groups:
  - name: gas
    rules:
${rule('gas.co.reload', `        direction: upper
        for: 0s
        levels:
          yellow: { at: 24, release: 20 }
`)}`

// What an engineer meant to deploy (yellow at 10) with two mistakes, plus a second file that does not parse.
const BROKEN = `groups:
  - name: gas
    rules:
${rule('gas.co.reload', `        direction: sideways
        for: 0s
        levels:
          yellow: { at: 10, release: 8 }
`)}${rule('gas.co.second', `        direction: upper
        for: 0s
        levels:
          red: { at: 500, release: 600 }
`)}`
const UNPARSABLE = 'groups:\n  - name: extra\n    rules: [\n'

const GOOD_V2 = `groups:
  - name: gas
    rules:
${rule('gas.co.reload', `        direction: upper
        for: 0s
        levels:
          yellow: { at: 10, release: 8 }
`)}${rule('gas.co.second', `        direction: upper
        for: 0s
        levels:
          red: { at: 500, release: 400 }
`)}`

/** where finds the 1-based line and column of `needle` (after `after`, on the same line) in a text. */
function where (text: string, after: string, needle: string): { line: number, column: number } {
  const lines = text.split('\n')
  const i = lines.findIndex((l) => l.includes(after))
  const line = lines[i] as string
  return { line: i + 1, column: line.indexOf(needle, line.indexOf(after)) + 1 }
}

interface RuleView { id: string, ruleVersion: string, file: string }

t.test('alarms flow - a broken rules folder keeps the running rule set; a fixed one replaces it', async (t) => {
  const dir = await tempDir(t, 'minewatch-reload-rules-')
  const gasFile = join(dir, 'gas.yaml')
  const extraFile = join(dir, 'extra.yaml')
  await writeFile(gasFile, GOOD_V1)

  const services = await startServices(t)
  const app = await buildTestApp(t, {
    qdb: services.qdb,
    nats: services.nats,
    // the cron reload is moved out of the way: this test decides when the folder is read
    env: { MINEWATCH_RULES_DIR: dir, ...ENGINE_ENV }
  })
  const watch = await AlarmWatch.open(services.nats.url)
  t.teardown(() => watch.close())
  const validate = alarmSchema()
  const changes: ConditionChange[] = []
  const sub = app.engine.core.changes$.subscribe((c) => { changes.push(c) })
  t.teardown(() => sub.unsubscribe())

  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}`, 'admin', { name: '规则重载测试', kind: 'underground', status: 'producing' })).status, 200)
  const points = ['P1', 'P2'].map((pointCode) => ({ pointCode, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 60 }))
  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}/points`, 'admin', points)).status, 200)
  let ts = Date.now() - 30_000
  const post = async (point: string, value: number): Promise<ConditionChange[]> => {
    const before = changes.length
    ts += 1000
    const res = await call(app, 'POST', '/v1/readings', 'gateway', { siteCode: SITE, readings: [{ point, ts, value }] })
    t.same([res.status, res.body.accepted], [200, 1], `${point} = ${value} accepted`)
    return changes.slice(before)
  }
  const raisedOn = async (point: string): Promise<AlarmMessage> => {
    const m = await watch.waitFor((s) => s.body.siteCode === SITE && s.body.points[0] === point && s.body.transition === 'raised', `raised on ${point}`)
    t.ok(validate(m.body), 'the raise matches alarm-message.json', { errors: validate.errors })
    return m.body
  }

  const first = await call(app, 'GET', '/v1/rules', 'operator')
  t.equal(first.status, 200)
  t.same(first.body.errors, [], 'the first set loads cleanly')
  t.same(first.body.files, [gasFile])
  const v1 = first.body.rules as RuleView[]
  t.match(v1, [{ id: 'gas.co.reload', file: gasFile, ruleVersion: /.+/ }])
  t.equal(v1.length, 1)

  await t.test('a reload that finds errors lists each of them and keeps the running set', async (t) => {
    await writeFile(gasFile, BROKEN)
    await writeFile(extraFile, UNPARSABLE)
    t.equal((await call(app, 'POST', '/v1/rules/reload', 'operator')).status, 403, 'only an admin reloads')
    t.equal((await call(app, 'POST', '/v1/rules/reload', 'gateway')).status, 403)

    const reload = await call(app, 'POST', '/v1/rules/reload', 'admin')
    t.equal(reload.status, 200)
    const lines = UNPARSABLE.split('\n')
    const expected = [
      { file: extraFile, line: lines.length, column: 1, path: '', message: /sequence|\]/i },
      { file: gasFile, ...where(BROKEN, 'direction: sideways', 'sideways'), path: '/groups/0/rules/0/direction', message: /upper, lower/ },
      { file: gasFile, ...where(BROKEN, 'red: { at: 500', '600'), path: '/groups/0/rules/1/levels/red/release', message: /release 600 must be below at 500/ }
    ]
    t.match(reload.body.errors, expected, 'every error with file, line, column and JSON pointer')
    t.equal(reload.body.errors.length, expected.length, 'and no others')
    t.same((reload.body.rules as RuleView[]).map((r) => [r.id, r.ruleVersion]), v1.map((r) => [r.id, r.ruleVersion]), 'the running rule set is unchanged')
    t.equal(reload.body.loadedAt, first.body.loadedAt, 'loadedAt still names the running set')

    const shown = await call(app, 'GET', '/v1/rules', 'operator')
    t.same(shown.body.errors, reload.body.errors, 'GET /v1/rules shows the same errors')
    t.same((shown.body.rules as RuleView[]).map((r) => [r.id, r.ruleVersion]), v1.map((r) => [r.id, r.ruleVersion]))

    // The broken file meant yellow at 10; the running rule still says 24.
    t.same(await post('P1', 15), [], '15 ppm raises nothing under the running rule (at 24)')
    const got = await post('P1', 30)
    t.same(got.map((c) => [c.key, c.level, c.limit]), [[`gas.co.reload|${SITE}|P1`, 'yellow', 24]], '30 ppm raises under the running rule')
    const raised = await raisedOn('P1')
    t.match(raised, { ruleId: 'gas.co.reload', ruleVersion: v1[0]?.ruleVersion, level: 'yellow', limit: 24, value: 30 })
  })

  await t.test('a reload of the fixed folder makes the new set the running one', async (t) => {
    await writeFile(gasFile, GOOD_V2)
    await unlink(extraFile)
    const reload = await call(app, 'POST', '/v1/rules/reload', 'admin')
    t.equal(reload.status, 200)
    t.same(reload.body.errors, [], 'no errors any more')
    t.same(reload.body.files, [gasFile])
    const v2 = reload.body.rules as RuleView[]
    t.same(v2.map((r) => r.id), ['gas.co.reload', 'gas.co.second'], 'the new rule ids')
    t.not(v2[0]?.ruleVersion, v1[0]?.ruleVersion, 'gas.co.reload has a new version')
    t.ok(Date.parse(reload.body.loadedAt) > Date.parse(first.body.loadedAt), 'loadedAt moved on')
    const shown = await call(app, 'GET', '/v1/rules', 'operator')
    t.same(shown.body.errors, [])
    t.same((shown.body.rules as RuleView[]).map((r) => [r.id, r.ruleVersion]), v2.map((r) => [r.id, r.ruleVersion]))

    const got = await post('P2', 15)
    t.same(got.map((c) => [c.key, c.level, c.limit]), [[`gas.co.reload|${SITE}|P2`, 'yellow', 10]], '15 ppm now raises (at 10)')
    const raised = await raisedOn('P2')
    t.match(raised, { ruleId: 'gas.co.reload', ruleVersion: v2[0]?.ruleVersion, limit: 10, value: 15 })

    // P1's open alarm carries over and now follows the new levels: 12 ≥ release 8 keeps it, 7 clears it.
    t.same(await post('P1', 12), [], 'P1 stays yellow above the new release')
    t.same((await post('P1', 7)).map((c) => [c.key, c.level]), [[`gas.co.reload|${SITE}|P1`, null]], 'and clears below it')
    const p1 = await raisedOn('P1')
    const cleared = await watch.waitFor((s) => s.body.alarmId === p1.alarmId && s.body.seq === 2, 'P1 cleared')
    t.match(cleared.body, { transition: 'cleared', ruleVersion: v2[0]?.ruleVersion, value: 7 })
  })

  await t.test('a reload by SIGHUP that changes the rule set is audited; one that changes nothing is not', async (t) => {
    const audited = async (): Promise<any[]> => (await call(app, 'GET', '/v1/audit?action=rules_reload', 'admin')).body.records.filter((r: any) => r.actor === 'minewatch')
    await writeFile(gasFile, GOOD_V1)
    process.emit('SIGHUP' as any)
    const records = await until(async () => { const r = await audited(); return r.length > 0 ? r : undefined }, 'the reload audited')
    t.match(records, [{ action: 'rules_reload', outcome: 'ok', actor: 'minewatch', actorKind: 'none', target: 'rules', detail: { trigger: 'SIGHUP', rules: 1, errors: 0 } }])
    process.emit('SIGHUP' as any)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    t.equal((await audited()).length, 1, 'the same folder read again leaves no record')
  })
})

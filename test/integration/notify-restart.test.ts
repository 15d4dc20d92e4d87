// notify restart - notifications survive a shutdown, against a real QuestDB and nats-server and a real local
// HTTP receiver, each app in virtual time continuing where the one before stopped:
// (1) an alarm raised while NATS is down (its round cannot reach the stream) and the app stopped: the next app
//     plans the round again from the open alarm, and the person on duty gets it once;
// (2) a job waiting in the notify stream for a receiver that is down when the app stops: the next app's consumer
//     delivers it once, and the delivery record keeps the restart from planning it again;
// (3) after 12 minutes down: the missed repeat is sent once at start, the escalation reaches the next person,
//     the repeats go on on the grid of the raise until the acknowledgement.
// The duplicate window is 1 s here, so that JetStream does not drop a delivered job planned again: the delivery
// records must leave it out.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { Level } from '../../src/contract/index.js'
import type { ConditionInput } from '../../src/5-alarm/types.js'
import { clockOf } from '../../src/lib/clock.js'
import { advanceTo, createReplayScheduler, type ReplayScheduler } from '../../src/lib/virtual-time.js'
import { startServices } from '../helpers/services.js'
import { buildTestApp } from '../helpers/app.js'
import { call } from '../helpers/api.js'
import { startHttpReceiver, type Received } from '../helpers/receivers.js'
import { until } from '../helpers/wait.js'

const MIN = 60_000
const ENV = {
  MINEWATCH_ESCALATION_MAX: '1',
  MINEWATCH_RESPONSE_DEADLINE_RED: '5m',
  MINEWATCH_NOTIFY_REPEAT: '10m',
  MINEWATCH_NOTIFY_RETRY_MIN: '200ms',
  MINEWATCH_NOTIFY_RETRY_MAX: '1s',
  MINEWATCH_NOTIFY_MAX_ATTEMPTS: '50',
  MINEWATCH_DUPLICATE_WINDOW_S: '1'
}

function condition (site: string, at: number): ConditionInput {
  const level: Level = 'red'
  return {
    type: 'condition',
    key: `k-${site}`,
    rule: { ruleId: 'gas.co.limit', ruleVersion: 'v1', category: 'over_limit', title: 'CO 超限', source: 'AQ 1029-2019', hazardClause: null },
    siteCode: site,
    points: ['CO-101'],
    level,
    value: 170,
    limit: 160,
    eventTs: at,
    late: false,
    message: 'CO-101 CO 170 ppm ≥ 160 ppm'
  }
}

/** told lists what a path got (status 200 only), as reason:tag of the job id (a repeat's tag without its raise) */
function told (received: Received[], path: string): string[] {
  return received.filter((r) => r.path === path && r.status === 200)
    .map((r) => `${String(r.body.notification.reason)}:${String(r.body.notification.id).split(':')[2]?.split('@')[0] ?? ''}`)
}

t.test('notify restart - rounds and repeats survive a shutdown, each job delivered once', async (t) => {
  const services = await startServices(t)
  const http = await startHttpReceiver(t)
  const T0 = Math.floor(Date.now() / 1000) * 1000
  const running = new Set<FastifyInstance>()
  t.teardown(async () => { for (const app of running) await app.close() })
  const start = async (at: number): Promise<{ app: FastifyInstance, scheduler: ReplayScheduler, stop: () => Promise<void> }> => {
    const scheduler = createReplayScheduler(at)
    const app = await buildTestApp(t, { qdb: services.qdb, nats: services.nats, clock: clockOf(scheduler), scheduler, autoClose: false, env: ENV })
    running.add(app)
    return { app, scheduler, stop: async () => { running.delete(app); await app.close() } }
  }
  const roster = (site: string): unknown => ({
    shifts: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '08:00', contacts: ['duty', 'next'].map((who) => ({ name: `${who}-${site}`, channels: [{ kind: 'webhook', url: `${http.url}/${site}/${who}` }] })) }]
  })

  const first = await start(T0)
  for (const site of ['R-1', 'R-2']) {
    t.equal((await call(first.app, 'PUT', `/v1/sites/${site}`, 'admin', { name: site, kind: 'underground', status: 'producing' })).status, 200)
    t.equal((await call(first.app, 'PUT', `/v1/sites/${site}/roster`, 'admin', roster(site))).status, 200)
  }
  await services.stopNats()
  await first.app.alarms.onCondition(condition('R-1', T0))
  const [a1] = await first.app.alarms.list({ state: 'open', site: 'R-1' })
  t.ok(a1, 'the alarm is raised and stored while NATS is down')
  await first.stop()
  await services.restartNats()

  // (1) one minute later
  const second = await start(T0 + MIN)
  await until(async () => told(http.received, '/R-1/duty').length > 0 ? true : undefined, 'the raise after the restart')
  t.same(told(http.received, '/R-1/duty'), ['raised:s1'], 'the round lost at shutdown is planned again and delivered')
  t.same(told(http.received, '/R-1/next'), [], 'the next person is not told at the raise')

  // (2) the receiver of R-2 is down: its job waits in the stream, with a failed attempt recorded
  http.answer = (path) => path === '/R-2/duty' ? 500 : 200
  await second.app.alarms.onCondition(condition('R-2', second.scheduler.now()))
  const [a2] = await second.app.alarms.list({ state: 'open', site: 'R-2' })
  await until(async () => {
    const res = await call(second.app, 'GET', `/v1/alarms/${a2?.alarmId ?? ''}/notifications`, 'operator')
    return (res.body.notifications as Array<{ outcome: string }>).some((n) => n.outcome === 'failed') ? true : undefined
  }, 'the failed attempt recorded')
  await second.stop()
  http.answer = () => 200

  // (3) twelve minutes after the second raise: both alarms passed their response deadline and their first repeat
  const third = await start(T0 + 13 * MIN)
  const moveTo = async (at: number): Promise<void> => { advanceTo(third.scheduler, at); await third.app.notify.planner.idle() }
  await until(async () => told(http.received, '/R-2/duty').includes('raised:s1') ? true : undefined, 'the waiting job delivered')
  await moveTo(T0 + 13 * MIN) // the deadlines that passed while down fire
  await until(async () => told(http.received, '/R-1/next').length > 0 && told(http.received, '/R-2/next').length > 0 ? true : undefined, 'the escalations')
  await until(async () => told(http.received, '/R-1/duty').includes('repeat:r1') && told(http.received, '/R-2/duty').includes('repeat:r1') ? true : undefined, 'the missed repeats')
  await moveTo(T0 + 21 * MIN) // the second repeat of both: everyone involved
  await until(async () => told(http.received, '/R-2/next').includes('repeat:r2') && told(http.received, '/R-1/next').includes('repeat:r2') ? true : undefined, 'the repeats on the grid')
  for (const a of [a1, a2]) t.equal((await call(third.app, 'POST', `/v1/alarms/${a?.alarmId ?? ''}/ack`, 'operator', { by: 'op' })).status, 200)
  const acked = third.app.notify.planner.planned()
  await moveTo(T0 + 60 * MIN)
  t.same(third.app.notify.planner.planned(), acked, 'no repeat after the acknowledgement')
  await new Promise((resolve) => setTimeout(resolve, 1500)) // anything delivered twice would arrive by now

  for (const site of ['R-1', 'R-2']) {
    t.same(told(http.received, `/${site}/duty`).sort(), ['escalation:s2', 'raised:s1', 'repeat:r1', 'repeat:r2'], `${site} on duty: each round once`)
    t.same(told(http.received, `/${site}/next`).sort(), ['escalation:s2', 'repeat:r2'], `${site} next person: the escalation and the repeat after it, once`)
  }
})

// Scenario acceptance runs: the real app on real QuestDB and nats-server, fed by the simulator (src/tools/simulate)
// over real HTTP, in compressed time. Simulated time is virtual: the app's clock and the engine's scheduler
// are one virtual-time scheduler that the run moves forward step by step, ticking the feed at each step, so an
// hour of a mine takes seconds and the server sees every reading on time (not late) unless a scenario makes
// it so. Every alarm published on minewatch.alarm.> is collected; settle() waits, on events and not on a pause,
// until the app's alarm service has applied every change and the watch has received every transition it made
// (AlarmLedger), so the collected messages are all there are. The wall-clock time from the POST that carried an
// alarm's triggering input (a reading, snapshot or event with ts = the alarm's eventAt) to its arrival is
// recorded for the test output; latency is measured by the bench (npm run bench), never asserted here.
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { clockOf } from '../../src/lib/clock.js'
import { createReplayScheduler } from '../../src/lib/virtual-time.js'
import { buildFleet, type Fleet } from '../../src/tools/simulate/fleet/index.js'
import { createFeed, type Feed } from '../../src/tools/simulate/feed.js'
import { createScenario } from '../../src/tools/simulate/scenarios/index.js'
import { DEFAULT_SEED } from '../../src/tools/simulate/signals.js'
import { buildTestApp, TOKENS } from './app.js'
import { AlarmLedger, AlarmWatch, type Seen } from './alarm-watch.js'
import { startServices, type Services, type TestLike } from './services.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** beijing is epoch ms of `hhmm` (e.g. '09:50') Beijing time `daysAgo` days before today (Beijing date). */
export function beijing (hhmm: string, daysAgo = 1): number {
  const [h, m] = hhmm.split(':').map(Number)
  const today = Math.floor((Date.now() + 8 * HOUR) / DAY) * DAY - 8 * HOUR
  return today - daysAgo * DAY + (h ?? 0) * HOUR + (m ?? 0) * 60_000
}

/** ScenarioRunOptions: which sites of the fleet, which scenarios from when, and the engine settings. */
export interface ScenarioRunOptions {
  /** site codes of the fleet to register and feed (default: all) */
  sites?: string[]
  /** scenario names (src/tools/simulate/scenarios) */
  scenarios: string[]
  /** simulated start of the feed (epoch ms, in the past) */
  start: number
  /** when the scenarios start (epoch ms) */
  at: number
  /** extra app environment (MINEWATCH_RULES_DIR …); the no-data check runs every 20 s of simulated time (a virtual interval nests one action per run: keep them few) */
  env?: Record<string, string>
  /** simulated ms per feed tick (default 20 s, the underground reporting interval) */
  stepMs?: number
}

/** ObservedAlarm is one alarm message and how long after its triggering POST it arrived (wall clock ms). */
export interface ObservedAlarm extends Seen {
  /** ms from the start of the POST carrying the triggering input to the message's arrival; null if no POST matched */
  latencyMs: number | null
}

/** ScenarioRun is a running scenario: move time with runUntil, then read the alarms. */
export interface ScenarioRun {
  app: FastifyInstance
  services: Services
  feed: Feed
  fleet: Fleet
  watch: AlarmWatch
  /** what the app's alarm service made (settle waits for it all to arrive) */
  ledger: AlarmLedger
  /** simulated now */
  now: () => number
  /** moves simulated time to `until`, ticking the feed every stepMs */
  runUntil: (until: number) => Promise<void>
  /**
   * waits until the alarm service has applied every change of the run so far and the watch has received every
   * transition it made (timeoutMs only catches a hang), then lists them all
   */
  settle: (timeoutMs?: number) => Promise<ObservedAlarm[]>
  /** the alarm messages so far, with latencies */
  alarms: () => ObservedAlarm[]
}

interface Sent { site: string, ts: Set<number>, sentAt: number }

/** startScenarioRun starts services and the app on a virtual clock at `start`, registers the fleet and connects the watch. */
export async function startScenarioRun (t: TestLike, o: ScenarioRunOptions): Promise<ScenarioRun> {
  const all = buildFleet()
  const fleet: Fleet = { sites: all.sites.filter((s) => o.sites === undefined || o.sites.includes(s.code)) }
  // the replay scheduler: RxJS's own chains every periodic action, and a day of 5 s checks overflows the stack
  const scheduler = createReplayScheduler(o.start)
  const services = await startServices(t)
  const app = await buildTestApp(t, {
    qdb: services.qdb,
    nats: services.nats,
    clock: clockOf(scheduler),
    scheduler,
    env: { MINEWATCH_OFFLINE_CHECK_MS: '20000', MINEWATCH_RULES_RELOAD_CRON: '0 0 1 1 *', ...o.env }
  })
  const ledger = AlarmLedger.attach(t, app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const watch = await AlarmWatch.open(services.nats.url)
  t.teardown(() => watch.close())

  // every POST the feed makes, with the event times it carries: to find what triggered an alarm
  const sent: Sent[] = []
  const recording = (async (url: string, init: RequestInit) => {
    if (init.method === 'POST') sent.push({ ...carried(url, String(init.body)), sentAt: Date.now() })
    return await fetch(url, init)
  }) as typeof fetch
  const scenario = createScenario(o.scenarios, { at: o.at, fleet: all, seed: DEFAULT_SEED })
  const feed = createFeed({
    baseUrl, adminToken: TOKENS.admin, gatewayToken: TOKENS.gateway, fleet, now: () => scheduler.now(), startAt: o.start, fetch: recording, scenario
  })
  await feed.register()
  const stepMs = o.stepMs ?? 20_000

  const alarms = (): ObservedAlarm[] => watch.seen.map((s) => {
    const eventAt = s.body.eventAt === undefined ? NaN : Date.parse(s.body.eventAt)
    const trigger = sent.find((x) => x.site === s.body.siteCode && x.ts.has(eventAt))
    return { ...s, latencyMs: trigger === undefined ? null : s.at - trigger.sentAt }
  })

  return {
    app,
    services,
    feed,
    fleet,
    watch,
    ledger,
    now: () => scheduler.now(),
    async runUntil (until) {
      await feed.tick()
      while (scheduler.now() < until) {
        const next = Math.min(until, scheduler.now() + stepMs)
        // the server's clock moves to `next` and the feed posts everything due by then; only then do the
        // engine's periodic checks due by `next` run, each at its own time: a step longer than a silence
        // threshold is not mistaken for a data gap
        scheduler.frame = next
        await feed.tick()
        scheduler.maxFrames = next
        scheduler.flush()
        scheduler.frame = next
      }
    },
    async settle (timeoutMs = 60_000) {
      await ledger.settled(watch, timeoutMs)
      return alarms()
    },
    alarms
  }
}

// The site and event times a feed POST carries: readings' ts, a snapshot's ts, events' ts, a status's since.
function carried (url: string, text: string): Omit<Sent, 'sentAt'> {
  const body = JSON.parse(text) as Record<string, any>
  const path = new URL(url).pathname
  const fromPath = /^\/v1\/sites\/([^/]+)\//.exec(path)?.[1]
  const site = String(body.siteCode ?? fromPath ?? '')
  const times: unknown[] = [
    ...(Array.isArray(body.readings) ? body.readings.map((r: { ts: unknown }) => r.ts) : []),
    ...(Array.isArray(body.events) ? body.events.map((e: { ts: unknown }) => e.ts) : []),
    body.ts,
    body.since
  ]
  return { site, ts: new Set(times.filter((x) => x !== undefined).map((x) => typeof x === 'number' ? x : Date.parse(String(x)))) }
}

/** latencySummary is a line for the test output: count, max and median trigger→publish latency (wall clock, recorded only). */
export function latencySummary (alarms: readonly ObservedAlarm[]): { line: string, max: number } {
  const ms = alarms.map((a) => a.latencyMs).filter((x): x is number => x !== null).sort((a, b) => a - b)
  const max = ms.at(-1) ?? NaN
  const median = ms[Math.floor((ms.length - 1) / 2)] ?? NaN
  return { line: `trigger→publish over ${ms.length} messages: median ${median} ms, max ${max} ms`, max }
}

/** ScenarioTap is the part of a tap Test the checks below assert with. */
export interface ScenarioTap {
  ok: (found: unknown, message: string) => boolean
  comment: (...message: unknown[]) => void
}

/** of lists the messages of one rule. */
export function of (seen: readonly ObservedAlarm[], ruleId: string): ObservedAlarm[] {
  return seen.filter((s) => s.body.ruleId === ruleId)
}

/** steps summarises messages as [transition, level, points]. */
export function steps (seen: readonly ObservedAlarm[]): Array<[string, string, string]> {
  return seen.map((s) => [s.body.transition, s.body.level, s.body.points.join(',')])
}

/**
 * Expected is one message a scenario must publish: its rule, transition, level and the points it names
 * (comma-joined; '' for an alarm on the site or on a subject that is not a point, e.g. a card, area or channel).
 */
export type Expected = readonly [ruleId: string, transition: string, level: string, points: string]

/** label is a message as 'ruleId transition level [points]', the form `exactly` compares. */
export function label (s: ObservedAlarm | Expected): string {
  const [rule, transition, level, points] = 'body' in s ? [s.body.ruleId, s.body.transition, s.body.level, s.body.points.join(',')] : s
  return `${rule} ${transition} ${level} [${points}]`
}

/** times repeats one expected message n times (n alarms of one rule on as many subjects). */
export function times (n: number, e: Expected): Expected[] {
  return Array.from({ length: n }, () => e)
}

/** SameTap is the part of a tap Test that `exactly` asserts with. */
export interface SameTap { same: (found: unknown, wanted: unknown, message: string) => boolean }

/**
 * exactly asserts that every message published on minewatch.alarm.> — of every category, none filtered out —
 * is one of `expected`, and each of `expected` was published, as many times as listed. Compared as sorted
 * labels: the order between different alarms depends on publishing, each alarm's own order is checked with steps.
 */
export function exactly (t: SameTap, seen: readonly ObservedAlarm[], expected: readonly Expected[], message = 'exactly the expected messages, nothing else'): void {
  t.same(seen.map(label).sort(), expected.map(label).sort(), message)
}

/** minutesAfter is how many minutes after `at` a message's eventAt lies. */
export function minutesAfter (s: ObservedAlarm | undefined, at: number): number {
  return (Date.parse(s?.body.eventAt ?? '') - at) / 60_000
}

/**
 * recordLatency asserts that every message is matched to the POST that carried its trigger, and prints the
 * trigger→publish latency for the record. It asserts nothing about time: a loaded machine is slow, not wrong
 * (latency is the bench's business, npm run bench).
 */
export function recordLatency (t: ScenarioTap, seen: readonly ObservedAlarm[]): void {
  t.ok(seen.length > 0 && seen.every((s) => s.latencyMs !== null), 'every message is matched to the POST of its trigger')
  t.comment(latencySummary(seen).line)
}

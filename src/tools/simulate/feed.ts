// The simulated gateway: registers the fleet (admin token: sites, points, video channels), then on every
// tick posts each site's due readings as one batch per site (gateway token), the way a mine's data gateway
// does (access standard sections 2-3), with the site's positioning snapshots, video heartbeats and any
// scenario inputs (inputs.ts). On 503 it keeps what it has and resends after Retry-After (断线续传).
// Readings carry timestamps on a grid of each point's intervalS, so a resend is the same reading and is
// stored once.
//
// Time: simulated time starts at `startAt` (default: now) and runs `speed` times as fast as the clock,
// but never ahead of the clock: the server rejects future readings, and "now" is where a feed that
// started in the past (a compressed backfill) settles into real time.
//
// Scenarios (src/tools/simulate/scenarios/) plug in through `Scenario`: overrides of clean readings, people
// underground, extra inputs, and a site's gateway cut off (it keeps collecting and backfills later).
import { valueAt, DEFAULT_SEED } from './signals.js'
import { buildFleet, type Fleet, type FleetSite } from './fleet/index.js'
import { canAccessSite, type Principal } from '../../server/auth/tokens.js'
import { siteInputs, type InputRequest } from './inputs.js'
import type { Scenario } from './scenarios/types.js'
import { isoBeijing } from './time.js'
import { silentLog, type Log } from '../../lib/log.js'

export type { Scenario, ScenarioResult, ScenarioSample } from './scenarios/types.js'
export { isoBeijing } from './time.js'

/** FeedOptions configure a feed. */
export interface FeedOptions {
  /** the server, e.g. http://127.0.0.1:8080 */
  baseUrl: string
  adminToken: string
  gatewayToken: string
  /** default buildFleet() */
  fleet?: Fleet
  /** signal seed, default DEFAULT_SEED */
  seed?: number
  /** the clock (epoch ms), default Date.now */
  now?: () => number
  /** simulated seconds per real second, default 1 */
  speed?: number
  /** simulated start (epoch ms), default now(); earlier means a compressed backfill up to now */
  startAt?: number
  /** real milliseconds between ticks, default 1000 */
  tickMs?: number
  /** most readings in one POST (the server allows 10,000), default 5000 */
  maxBatch?: number
  /** most readings kept per site while the server is unavailable; the oldest go first, default 500,000 */
  maxPending?: number
  scenario?: Scenario
  log?: Log
  fetch?: typeof fetch
}

/** FeedStats are running totals since start. */
export interface FeedStats {
  ticks: number
  batches: number
  /** readings the server accepted */
  accepted: number
  /** readings the server rejected per item (or whole batches refused with a 4xx) */
  rejected: number
  /** 503 answers (each kept and resent) */
  unavailable: number
  /** network errors and other 5xx (kept and resent) */
  failures: number
  /** readings dropped because the pending queue overflowed */
  dropped: number
  /** readings waiting to be sent */
  pending: number
  /** other requests (positioning, video, status, SOS) the server accepted */
  inputs: number
  /** simulated time of the last tick (epoch ms), null before the first */
  simTime: number | null
}

/** Feed is a running simulated gateway. */
export interface Feed {
  readonly fleet: Fleet
  /** registers every site and point, then ticks every tickMs until stop() */
  start: () => Promise<void>
  /** stops ticking and waits for the tick in flight */
  stop: () => Promise<void>
  /** one tick: collect due readings and send what may be sent (start() calls it; tests may too) */
  tick: () => Promise<void>
  /** registers the fleet (start() calls it) */
  register: () => Promise<void>
  stats: () => FeedStats
  setScenario: (scenario: Scenario | undefined) => void
}

interface Item { point: string, ts: string, value: number, status: number }

interface SiteState {
  site: FleetSite
  last: Map<string, number>
  queue: Item[]
  /** input requests waiting to be sent, status changes first */
  requests: InputRequest[]
  /** simulated time up to which inputs were collected */
  inputsUntil: number | undefined
  /** simulated time of the last collect */
  sim: number
  /** clock time before which nothing is sent (after a 503 or a failure) */
  retryAt: number
  unavailableSince: number | null
}

/** At most this many periods of one point are caught up in one tick (a long pause is not replayed whole). */
const MAX_CATCHUP_PERIODS = 720
/** The first tick collects inputs this far back (one video heartbeat period). */
const INPUTS_FIRST_WINDOW_MS = 60_000
/** At most this much simulated time of inputs is caught up in one tick. */
const MAX_INPUT_CATCHUP_MS = 6 * 3_600_000

/** createFeed builds a feed; nothing happens until start() (or register() and tick()). */
export function createFeed (o: FeedOptions): Feed {
  const fleet = o.fleet ?? buildFleet()
  const seed = o.seed ?? DEFAULT_SEED
  const now = o.now ?? Date.now
  const speed = o.speed ?? 1
  if (!(speed > 0)) throw new RangeError(`speed must be > 0, got ${speed}`)
  const tickMs = o.tickMs ?? 1000
  const maxBatch = o.maxBatch ?? 5000
  const maxPending = o.maxPending ?? 500_000
  const log = o.log ?? silentLog
  const http = o.fetch ?? globalThis.fetch
  const base = o.baseUrl.replace(/\/+$/, '')
  let scenario = o.scenario
  let clock: { realStart: number, simStart: number } | undefined
  let running = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<void> | undefined
  const totals: Omit<FeedStats, 'pending'> = { ticks: 0, batches: 0, accepted: 0, rejected: 0, unavailable: 0, failures: 0, dropped: 0, inputs: 0, simTime: null }
  const states: SiteState[] = fleet.sites.map((site) => ({ site, last: new Map(), queue: [], requests: [], inputsUntil: undefined, sim: 0, retryAt: 0, unavailableSince: null }))

  async function request (method: string, path: string, token: string, body: unknown): Promise<Response> {
    return await http(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body)
    })
  }

  async function register (): Promise<void> {
    for (const s of fleet.sites) {
      const site = await request('PUT', `/v1/sites/${s.code}`, o.adminToken, s.input)
      if (!site.ok) throw new Error(`PUT /v1/sites/${s.code}: ${site.status} ${await site.text()}`)
      const points = await request('PUT', `/v1/sites/${s.code}/points`, o.adminToken, s.points.map((p) => p.def))
      if (!points.ok) throw new Error(`PUT /v1/sites/${s.code}/points: ${points.status} ${await points.text()}`)
      if (s.channels.length === 0) continue
      const video = await request('PUT', `/v1/sites/${s.code}/video/channels`, o.adminToken, s.channels)
      if (!video.ok) throw new Error(`PUT /v1/sites/${s.code}/video/channels: ${video.status} ${await video.text()}`)
    }
    log.info({ sites: fleet.sites.map((s) => s.code), points: fleet.sites.reduce((n, s) => n + s.points.length, 0) }, 'simulated fleet registered')
  }

  function simNow (): number {
    const t = now()
    clock ??= { realStart: t, simStart: o.startAt ?? t }
    return Math.min(clock.simStart + (t - clock.realStart) * speed, t)
  }

  function collect (st: SiteState, sim: number): void {
    for (const point of st.site.points) {
      const step = point.intervalS * 1000
      const due = Math.floor(sim / step) * step
      const last = st.last.get(point.key)
      if (last !== undefined && due <= last) continue
      let from = last === undefined ? due : last + step
      if ((due - from) / step > MAX_CATCHUP_PERIODS) from = due - MAX_CATCHUP_PERIODS * step
      for (let ts = from; ts <= due; ts += step) {
        const clean = { site: st.site, point, ts, value: valueAt(point, ts, seed), status: 0 }
        const r = scenario?.override?.(clean)
        if (r === null) continue
        st.queue.push({ point: point.def.pointCode, ts: isoBeijing(ts), value: r?.value ?? clean.value, status: r?.status ?? clean.status })
      }
      st.last.set(point.key, due)
    }
    // inputs: the first window reaches one heartbeat period back, so the first tick has a snapshot and a heartbeat
    const from = Math.max(st.inputsUntil ?? sim - INPUTS_FIRST_WINDOW_MS, sim - MAX_INPUT_CATCHUP_MS)
    if (sim > from) {
      const got = siteInputs(st.site, from, sim, scenario)
      st.requests.push(...got.filter((r) => r.phase === 'before'), ...got.filter((r) => r.phase === 'after').sort((a, b) => a.ts - b.ts))
      st.requests.sort((a, b) => (a.phase === b.phase ? 0 : a.phase === 'before' ? -1 : 1))
    }
    st.inputsUntil = sim
    st.sim = sim
    const over = st.queue.length - maxPending
    if (over > 0) {
      st.queue.splice(0, over)
      totals.dropped += over
    }
  }

  // One POST and what came of it: 'retry' keeps what was sent for later (503, 5xx, network error),
  // 'refused' drops it (a 4xx will not get better by resending), otherwise the JSON answer.
  async function post (st: SiteState, path: string, token: string, body: unknown, what: string): Promise<'retry' | 'refused' | Record<string, unknown>> {
    let res: Response
    try {
      res = await request('POST', path, token, body)
    } catch (err) {
      totals.failures++
      st.retryAt = now() + 1000
      log.warn({ site: st.site.code, err: (err as Error).message }, `${what} not sent, will resend`)
      return 'retry'
    }
    if (res.status === 503) {
      await res.body?.cancel()
      totals.unavailable++
      st.retryAt = now() + retryAfterMs(res.headers.get('retry-after'))
      if (st.unavailableSince === null) {
        st.unavailableSince = now()
        log.warn({ site: st.site.code, pending: st.queue.length, retryAfter: res.headers.get('retry-after') }, `server busy (503): keeping ${what} to resend`)
      }
      return 'retry'
    }
    if (res.status >= 500) {
      totals.failures++
      st.retryAt = now() + 1000
      log.warn({ site: st.site.code, status: res.status, body: await res.text() }, `${what} not stored, will resend`)
      return 'retry'
    }
    if (st.unavailableSince !== null) {
      log.info({ site: st.site.code, unavailableMs: now() - st.unavailableSince }, 'server accepts data again')
      st.unavailableSince = null
    }
    if (res.status !== 200) {
      log.error({ site: st.site.code, path, status: res.status, body: await res.text() }, `${what} refused`)
      return 'refused'
    }
    return await res.json() as Record<string, unknown>
  }

  // Sends the requests of one phase; false when the rest must wait (retry later).
  async function sendRequests (st: SiteState, phase: InputRequest['phase']): Promise<boolean> {
    while (st.requests[0]?.phase === phase && now() >= st.retryAt) {
      const r = st.requests[0]
      const token = r.token === 'admin' ? o.adminToken : o.gatewayToken
      const out = await post(st, r.path, token, r.body, r.path)
      if (out === 'retry') return false
      st.requests.shift()
      if (out === 'refused') { totals.rejected++; continue }
      const rejected = Array.isArray(out.rejected) ? out.rejected.length : 0
      totals.inputs++
      totals.rejected += rejected
      if (rejected > 0) log.warn({ site: st.site.code, path: r.path, rejected: (out.rejected as unknown[]).slice(0, 5) }, 'items rejected')
    }
    return st.requests[0]?.phase !== phase
  }

  async function sendReadings (st: SiteState): Promise<boolean> {
    while (st.queue.length > 0 && now() >= st.retryAt) {
      const chunk = st.queue.slice(0, maxBatch)
      const out = await post(st, '/v1/readings', o.gatewayToken, { siteCode: st.site.code, readings: chunk }, 'readings')
      totals.batches++
      if (out === 'retry') return false
      st.queue.splice(0, chunk.length)
      if (out === 'refused') { totals.rejected += chunk.length; continue }
      const rejected = (out.rejected as unknown[]).length
      totals.accepted += Number(out.accepted)
      totals.rejected += rejected
      if (rejected > 0) log.warn({ site: st.site.code, rejected: (out.rejected as unknown[]).slice(0, 5) }, 'readings rejected')
    }
    return st.queue.length === 0
  }

  // status changes, then readings, then the other inputs; a site whose gateway is cut off sends nothing
  async function send (st: SiteState): Promise<void> {
    if (scenario?.offline?.(st.site, st.sim) === true) return
    if (!await sendRequests(st, 'before')) return
    if (!await sendReadings(st)) return
    await sendRequests(st, 'after')
  }

  async function tick (): Promise<void> {
    const sim = simNow()
    totals.ticks++
    totals.simTime = sim
    for (const st of states) collect(st, sim)
    await Promise.all(states.map(send))
  }

  function schedule (): void {
    if (!running) return
    timer = setTimeout(() => {
      inFlight = tick()
        .catch((err: Error) => { log.error({ err: err.message }, 'feed tick failed') })
        .finally(() => { inFlight = undefined; schedule() })
    }, tickMs)
  }

  return {
    fleet,
    register,
    tick,
    async start () {
      if (running || stopped) return
      await register()
      if (stopped) return
      running = true
      inFlight = tick()
        .catch((err: Error) => { log.error({ err: err.message }, 'feed tick failed') })
        .finally(() => { inFlight = undefined; schedule() })
      await inFlight
    },
    async stop () {
      stopped = true
      running = false
      if (timer !== undefined) clearTimeout(timer)
      await inFlight
    },
    stats: () => ({ ...totals, pending: states.reduce((n, s) => n + s.queue.length, 0) }),
    setScenario (s) { scenario = s }
  }
}

function retryAfterMs (header: string | null): number {
  const s = Number(header)
  return Number.isFinite(s) && s > 0 ? Math.min(s, 300) * 1000 : 1000
}

/** FeedTokens are the bearer tokens a feed needs. */
export interface FeedTokens { adminToken: string, gatewayToken: string }

/**
 * feedTokens picks, from a parsed tokens file, an admin token and a gateway token that may write every
 * site of the fleet; undefined when there is no such pair.
 */
export function feedTokens (tokens: ReadonlyMap<string, Principal>, fleet: Fleet): FeedTokens | undefined {
  const covers = (p: Principal): boolean => fleet.sites.every((s) => canAccessSite(p, s.code))
  let adminToken: string | undefined
  let gatewayToken: string | undefined
  for (const [token, p] of tokens) {
    if (adminToken === undefined && p.role === 'admin' && covers(p)) adminToken = token
    if (gatewayToken === undefined && p.role === 'gateway' && covers(p)) gatewayToken = token
  }
  return adminToken === undefined || gatewayToken === undefined ? undefined : { adminToken, gatewayToken }
}

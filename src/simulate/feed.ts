// The simulated gateway: registers the fleet (admin token), then on every tick posts each site's due
// readings as one batch per site (gateway token), the way a mine's data gateway does (access standard
// sections 2-3). On 503 it keeps the batch and resends after Retry-After (断线续传). Readings carry
// timestamps on a grid of each point's intervalS, so a resend is the same reading and is stored once.
//
// Time: simulated time starts at `startAt` (default: now) and runs `speed` times as fast as the clock,
// but never ahead of the clock: the server rejects future readings, and "now" is where a feed that
// started in the past (a compressed backfill) settles into real time.
//
// Scenarios (issue 3 item 11, later increments) plug in through `Scenario`: a named override of the
// clean value (or status) of any reading, or a drop of it (silence). None are implemented here.
import { valueAt, DEFAULT_SEED } from './signals.js'
import { buildFleet, type Fleet, type FleetPoint, type FleetSite } from './fleet/index.js'
import { canAccessSite, type Principal } from '../auth/tokens.js'

/** FeedLogger is the part of a pino logger the feed uses. */
export interface FeedLogger {
  info: (obj: Record<string, unknown>, msg: string) => void
  warn: (obj: Record<string, unknown>, msg: string) => void
  error: (obj: Record<string, unknown>, msg: string) => void
}

/** ScenarioSample is one reading about to be sent, as the clean feed made it. */
export interface ScenarioSample {
  site: FleetSite
  point: FleetPoint
  /** event time, epoch ms */
  ts: number
  value: number
  status: number
}

/**
 * ScenarioResult: undefined keeps the clean reading, null drops it (the point is silent), an object
 * replaces its value and, if given, its status bits.
 */
export type ScenarioResult = { value: number, status?: number } | null | undefined

/** Scenario is the seam for scripted incidents (gas rise, fan stop, slope creep, rain, outage …). */
export interface Scenario {
  readonly name: string
  override: (sample: ScenarioSample) => ScenarioResult
}

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
  log?: FeedLogger
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
  /** clock time before which nothing is sent (after a 503 or a failure) */
  retryAt: number
  unavailableSince: number | null
}

/** At most this many periods of one point are caught up in one tick (a long pause is not replayed whole). */
const MAX_CATCHUP_PERIODS = 720

const noop = (): void => {}
const silentLog: FeedLogger = { info: noop, warn: noop, error: noop }

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
  const totals: Omit<FeedStats, 'pending'> = { ticks: 0, batches: 0, accepted: 0, rejected: 0, unavailable: 0, failures: 0, dropped: 0, simTime: null }
  const states: SiteState[] = fleet.sites.map((site) => ({ site, last: new Map(), queue: [], retryAt: 0, unavailableSince: null }))

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
        const r = scenario === undefined ? undefined : scenario.override(clean)
        if (r === null) continue
        st.queue.push({ point: point.def.pointCode, ts: isoBeijing(ts), value: r?.value ?? clean.value, status: r?.status ?? clean.status })
      }
      st.last.set(point.key, due)
    }
    const over = st.queue.length - maxPending
    if (over > 0) {
      st.queue.splice(0, over)
      totals.dropped += over
    }
  }

  async function send (st: SiteState): Promise<void> {
    while (st.queue.length > 0 && now() >= st.retryAt) {
      const chunk = st.queue.slice(0, maxBatch)
      let res: Response
      try {
        res = await request('POST', '/v1/readings', o.gatewayToken, { siteCode: st.site.code, readings: chunk })
      } catch (err) {
        totals.failures++
        st.retryAt = now() + 1000
        log.warn({ site: st.site.code, err: (err as Error).message }, 'readings not sent, will resend')
        return
      }
      totals.batches++
      if (res.status === 503) {
        await res.body?.cancel()
        totals.unavailable++
        st.retryAt = now() + retryAfterMs(res.headers.get('retry-after'))
        if (st.unavailableSince === null) {
          st.unavailableSince = now()
          log.warn({ site: st.site.code, pending: st.queue.length, retryAfter: res.headers.get('retry-after') }, 'server busy (503): keeping readings to resend')
        }
        return
      }
      if (res.status >= 500) {
        totals.failures++
        st.retryAt = now() + 1000
        log.warn({ site: st.site.code, status: res.status, body: await res.text() }, 'readings not stored, will resend')
        return
      }
      st.queue.splice(0, chunk.length)
      if (st.unavailableSince !== null) {
        log.info({ site: st.site.code, unavailableMs: now() - st.unavailableSince }, 'server accepts readings again')
        st.unavailableSince = null
      }
      if (res.status !== 200) {
        // a 4xx will not get better by resending: count the batch as rejected and move on
        totals.rejected += chunk.length
        log.error({ site: st.site.code, status: res.status, body: await res.text() }, 'readings batch refused')
        continue
      }
      const body = await res.json() as { accepted: number, rejected: unknown[] }
      totals.accepted += body.accepted
      totals.rejected += body.rejected.length
      if (body.rejected.length > 0) log.warn({ site: st.site.code, rejected: body.rejected.slice(0, 5) }, 'readings rejected')
    }
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

/** isoBeijing renders epoch ms as RFC 3339 in China Standard Time, as the mines' gateways send it. */
export function isoBeijing (ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00')
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

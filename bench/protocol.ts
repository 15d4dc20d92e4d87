// What the orchestrator and the load generator say to each other: the generator's settings travel as
// environment variables (so it also runs by hand), its reports as IPC messages (or JSON lines on stdout).
import type { Probe } from './batches.js'
import type { Percentiles } from './stats.js'

/** LoadConfig is everything one load-generator run needs. */
export interface LoadConfig {
  url: string
  token: string
  points: number
  sites: number
  /** readings per second; 0 = as fast as the server accepts them */
  rate: number
  durationS: number
  /** the first warmupS seconds are sent but not counted */
  warmupS: number
  batchSize: number
  concurrency: number
  dwellMs: number
  probeHz: number
}

/** ProbeSent reports a probe whose POST was answered 200; sentAt is the wall time that POST was sent. */
export interface ProbeSent extends Probe { t: 'probe', sentAt: number, warm: boolean }

/** Tick is one second of the generator's activity. */
export interface Tick { t: 'tick', second: number, accepted: number, requests: number, status503: number, errors: number }

/** LoadSummary closes a run; `sustained` counts only answers received between warm-up end and stop. */
export interface LoadSummary {
  t: 'done'
  accepted: number
  rejected: number
  requests: number
  status503: number
  errors: number
  dropped: number
  firstError: string | null
  measuredS: number
  sustained: number
  /** POST round trip (send → 200) in ms over the measured window */
  requestMs: Percentiles
  /** the generator's own CPU use over the measured window, in cores */
  cpuCores: number
}

/** LoadMessage is anything the generator reports. */
export type LoadMessage = ProbeSent | Tick | LoadSummary

const ENV: Record<keyof LoadConfig, string> = {
  url: 'LOAD_URL',
  token: 'LOAD_TOKEN',
  points: 'LOAD_POINTS',
  sites: 'LOAD_SITES',
  rate: 'LOAD_RATE',
  durationS: 'LOAD_DURATION_S',
  warmupS: 'LOAD_WARMUP_S',
  batchSize: 'LOAD_BATCH',
  concurrency: 'LOAD_CONCURRENCY',
  dwellMs: 'LOAD_DWELL_MS',
  probeHz: 'LOAD_PROBE_HZ'
}

const DEFAULTS: Omit<LoadConfig, 'url' | 'token'> = {
  points: 10_000, sites: 20, rate: 0, durationS: 20, warmupS: 0, batchSize: 500, concurrency: 64, dwellMs: 0, probeHz: 20
}

/** toEnv renders a config as the generator's environment. */
export function toEnv (c: LoadConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(ENV).map(([k, name]) => [name, String(c[k as keyof LoadConfig])]))
}

/** fromEnv reads the generator's environment; url and token are required, the rest have defaults. */
export function fromEnv (env: NodeJS.ProcessEnv): LoadConfig {
  const url = env[ENV.url]
  const token = env[ENV.token]
  if (url === undefined || token === undefined) throw new Error(`${ENV.url} and ${ENV.token} are required`)
  const num = (k: keyof typeof DEFAULTS): number => {
    const raw = env[ENV[k]]
    const v = raw === undefined || raw === '' ? DEFAULTS[k] : Number(raw)
    if (!Number.isFinite(v) || v < 0) throw new Error(`${ENV[k]} must be a non-negative number, got "${raw}"`)
    return v
  }
  return {
    url,
    token,
    points: num('points'),
    sites: num('sites'),
    rate: num('rate'),
    durationS: num('durationS'),
    warmupS: num('warmupS'),
    batchSize: Math.max(1, num('batchSize')),
    concurrency: Math.max(1, num('concurrency')),
    dwellMs: num('dwellMs'),
    probeHz: num('probeHz')
  }
}

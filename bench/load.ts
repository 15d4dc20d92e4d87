// The load generator, a process of its own so its CPU is not the server's: `concurrency` workers POST
// batches at a target rate (or as fast as the server accepts), back off on 503 + Retry-After and resend the
// same body, and report probes, one tick per second and a summary (bench/protocol.ts).
// By hand: LOAD_URL=http://127.0.0.1:8080 LOAD_TOKEN=… node --import tsx bench/load.ts
import { setTimeout as sleep } from 'node:timers/promises'
import { BatchMaker, type Batch } from './batches.js'
import { buildFleet } from './fleet.js'
import { JsonClient } from './http.js'
import { fromEnv, type LoadConfig, type LoadMessage, type LoadSummary } from './protocol.js'
import { percentiles, round, wallNow } from './stats.js'

// Fixed values of a probe: well above the CO alarm (24 ppm) and below its red level, then back under release.
const HIGH = 40
const RELEASE = 5

const emit = (m: LoadMessage): void => {
  if (process.send !== undefined) process.send(m)
  else console.log(JSON.stringify(m))
}

/** Pacer hands out send slots at `rate` readings per second; rate 0 never waits. */
class Pacer {
  private next = Date.now()
  constructor (private readonly rate: number) {}
  async take (readings: number): Promise<void> {
    if (this.rate <= 0) return
    const now = Date.now()
    // Behind schedule by more than a moment (a slow answer): resume the pace, do not burst to catch up.
    const slot = Math.max(this.next, now - 200)
    this.next = slot + (readings / this.rate) * 1000
    if (slot > now) await sleep(slot - now)
  }
}

class Run {
  readonly t0 = Date.now()
  readonly warmEnd: number
  readonly stopAt: number
  readonly totals = { accepted: 0, rejected: 0, requests: 0, status503: 0, errors: 0, dropped: 0 }
  readonly second = { accepted: 0, requests: 0, status503: 0, errors: 0 }
  readonly requestMs: number[] = []
  measuredAccepted = 0
  firstError: string | null = null
  cpuAtWarmEnd = process.cpuUsage()

  constructor (private readonly c: LoadConfig, private readonly client: JsonClient, private readonly maker: BatchMaker) {
    this.warmEnd = this.t0 + c.warmupS * 1000
    this.stopAt = this.t0 + c.durationS * 1000
  }

  async worker (pacer: Pacer): Promise<void> {
    while (Date.now() < this.stopAt) {
      await pacer.take(this.c.batchSize)
      if (Date.now() >= this.stopAt) break
      const batch = this.maker.next(Date.now())
      await this.deliver(batch)
      this.maker.settled(batch)
    }
  }

  // Resends the very same body after a 503 as a gateway would: same readings, same timestamps.
  private async deliver (batch: Batch): Promise<void> {
    while (true) {
      const sentAt = wallNow()
      const res = await this.client.send('POST', '/v1/readings', batch.body).catch((err: Error) => err)
      const now = Date.now()
      if (res instanceof Error || (res.status !== 200 && res.status !== 503)) {
        this.totals.errors++
        this.second.errors++
        this.firstError ??= res instanceof Error ? res.message : `HTTP ${res.status}: ${res.text.slice(0, 300)}`
        await sleep(100)
        return
      }
      this.totals.requests++
      this.second.requests++
      if (res.status === 503) {
        this.totals.status503++
        this.second.status503++
        if (now + res.retryAfterMs >= this.stopAt) { this.totals.dropped += batch.count; return }
        await sleep(Math.max(20, res.retryAfterMs))
        continue
      }
      this.accepted(res.accepted, res.rejected, now, wallNow() - sentAt)
      for (const p of batch.probes) emit({ t: 'probe', ...p, sentAt, warm: sentAt < this.warmEnd })
      return
    }
  }

  private accepted (n: number, rejected: number, now: number, ms: number): void {
    this.totals.accepted += n
    this.totals.rejected += rejected
    this.second.accepted += n
    if (rejected > 0) this.firstError ??= `${rejected} readings rejected in one batch`
    if (now >= this.warmEnd && now <= this.stopAt) {
      this.measuredAccepted += n
      this.requestMs.push(ms)
    }
  }

  tick (): void {
    emit({ t: 'tick', second: Math.round((Date.now() - this.t0) / 1000), ...this.second })
    Object.assign(this.second, { accepted: 0, requests: 0, status503: 0, errors: 0 })
  }

  summary (): LoadSummary {
    const measuredS = Math.max(0.001, (this.stopAt - this.warmEnd) / 1000)
    const cpu = process.cpuUsage(this.cpuAtWarmEnd)
    return {
      t: 'done',
      ...this.totals,
      firstError: this.firstError,
      measuredS,
      sustained: round(this.measuredAccepted / measuredS),
      requestMs: percentiles(this.requestMs),
      cpuCores: round((cpu.user + cpu.system) / 1e6 / measuredS, 2)
    }
  }
}

async function main (): Promise<void> {
  const c = fromEnv(process.env)
  const client = new JsonClient(c.url, c.token, c.concurrency)
  const maker = new BatchMaker(buildFleet(c.points, c.sites), {
    batchSize: c.batchSize, dwellMs: c.dwellMs, probeHz: c.probeHz, highValue: HIGH, releaseValue: RELEASE
  })
  const run = new Run(c, client, maker)
  const pacer = new Pacer(c.rate)
  const ticker = setInterval(() => run.tick(), 1000)
  setTimeout(() => { run.cpuAtWarmEnd = process.cpuUsage() }, c.warmupS * 1000).unref()
  try {
    await Promise.all(Array.from({ length: c.concurrency }, () => run.worker(pacer)))
  } finally {
    clearInterval(ticker)
    client.close()
  }
  // The parent closes the IPC channel once it has the summary; then nothing keeps this process alive.
  emit(run.summary())
}

main().catch((err: unknown) => {
  console.error('load generator failed:', err)
  process.exitCode = 1
})

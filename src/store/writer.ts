// Group commit over ILP/HTTP. Rows from many concurrent requests share one QuestDB commit; each caller's
// promise settles when the commit that carries its rows is acknowledged. Each HTTP request is a commit and
// small commits cost QuestDB 2.5-3x the CPU (perf-limits.md), so we batch by size or by a short delay.
import { SenderOptions, createBuffer, createTransport, type SenderBuffer, type SenderTransport } from '@questdb/nodejs-client'
import type { ReadingRow } from '../ingest/types.js'
import type { Row, Writer } from './types.js'
import type { StoreMetrics } from './metrics.js'
import { appendReading, appendRow, READINGS_TABLE } from './ilp-rows.js'
import { deferred, type Deferred } from '../lib/deferred.js'
import { Overloaded, StorageUnavailable } from '../errors/catalogue.js'

/** WriterOptions tune the group commit. */
export interface WriterOptions {
  httpUrl: string
  flushIntervalMs: number
  flushRows: number
  maxPendingRows: number
  retryTimeoutMs: number
  requestTimeoutMs: number
  metrics?: StoreMetrics
}

/** QuestDbWriter is the Writer plus lifecycle. */
export interface QuestDbWriter extends Writer {
  /** flush sends whatever is buffered now and waits for it. */
  flush: () => Promise<void>
  close: () => Promise<void>
  pendingRows: () => number
}

interface Batch { rows: number, tables: Map<string, number>, done: Deferred }

/** createQuestDbWriter connects the official client's buffer and HTTP transport to a group-commit batcher. */
export async function createQuestDbWriter (opts: WriterOptions): Promise<QuestDbWriter> {
  const addr = new URL(opts.httpUrl)
  const conf = `${addr.protocol.replace(':', '')}::addr=${addr.host};auto_flush=off;protocol_version=2;stdlib_http=on;` +
    `retry_timeout=${opts.retryTimeoutMs};request_timeout=${opts.requestTimeoutMs};init_buf_size=4194304;max_buf_size=1073741824`
  const options = await SenderOptions.fromConfig(conf)
  return new GroupCommitWriter(createBuffer(options), createTransport(options), opts)
}

class GroupCommitWriter implements QuestDbWriter {
  private batch: Batch | null = null
  private timer: NodeJS.Timeout | null = null
  /** the open batch has waited its interval (or is full) and goes out as soon as no commit is in flight */
  private isDue = false
  private pending = 0
  private readonly inflight = new Set<Promise<void>>()

  constructor (
    private readonly buffer: SenderBuffer,
    private readonly transport: SenderTransport,
    private readonly opts: WriterOptions
  ) {}

  async writeReadings (rows: readonly ReadingRow[]): Promise<void> {
    if (rows.length === 0) return
    this.admit(rows.length)
    for (const r of rows) appendReading(this.buffer, r)
    return await this.enlist(READINGS_TABLE, rows.length)
  }

  async writeRows (table: string, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return
    this.admit(rows.length)
    for (const r of rows) appendRow(this.buffer, table, r)
    return await this.enlist(table, rows.length)
  }

  pendingRows (): number { return this.pending }

  async flush (): Promise<void> {
    while (this.batch !== null || this.inflight.size > 0) {
      if (this.inflight.size === 0) this.commit()
      await Promise.allSettled([...this.inflight])
    }
  }

  async close (): Promise<void> {
    await this.flush()
    await this.transport.close()
  }

  // Backpressure: past the bound, refuse before touching the buffer so nothing half-written remains.
  private admit (n: number): void {
    if (this.pending + n > this.opts.maxPendingRows) throw new Overloaded()
  }

  private async enlist (table: string, n: number): Promise<void> {
    const batch = this.batch ?? this.open()
    batch.rows += n
    batch.tables.set(table, (batch.tables.get(table) ?? 0) + n)
    this.pending += n
    this.opts.metrics?.pendingRows.set(this.pending)
    if (batch.rows >= this.opts.flushRows) this.due()
    return await batch.done.promise
  }

  private open (): Batch {
    this.batch = { rows: 0, tables: new Map(), done: deferred() }
    this.timer = setTimeout(() => this.due(), this.opts.flushIntervalMs)
    return this.batch
  }

  // One commit in flight at a time: while QuestDB works on one, the next batch grows, so commits get
  // bigger exactly when QuestDB is busy (fewer, larger commits cost it far less CPU), and under light
  // load a batch waits no longer than the flush interval.
  private due (): void {
    this.isDue = true
    if (this.inflight.size === 0) this.commit()
  }

  // The buffer is copied synchronously, so rows added while this commit is in flight go to the next one.
  private commit (): void {
    const batch = this.batch
    this.isDue = false
    if (batch === null) return
    this.batch = null
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    const data = this.buffer.toBufferNew()
    const started = performance.now()
    const sent = (data === null ? Promise.resolve(true) : this.send(data))
      .then(() => this.settled(batch, started, null), (err: Error) => this.settled(batch, started, err))
    this.inflight.add(sent)
    sent.finally(() => {
      this.inflight.delete(sent)
      if (this.isDue) this.commit()
    }).catch(() => {})
  }

  // The client's own timeouts have been seen to leave a request unsettled when QuestDB refuses
  // connections; a caller must always get its answer, so bound the wait ourselves.
  private async send (data: Buffer): Promise<boolean> {
    const limit = this.opts.retryTimeoutMs + this.opts.requestTimeoutMs + 1000
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from QuestDB within ${limit} ms`)), limit)
    })
    try {
      return await Promise.race([this.transport.send(data), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  private settled (batch: Batch, started: number, err: Error | null): void {
    this.pending -= batch.rows
    const m = this.opts.metrics
    m?.pendingRows.set(this.pending)
    m?.flushSeconds.observe((performance.now() - started) / 1000)
    if (err === null) {
      for (const [table, n] of batch.tables) m?.rowsWritten.inc({ table }, n)
      batch.done.resolve()
    } else {
      m?.flushFailures.inc()
      batch.done.reject(new StorageUnavailable(err.message, { cause: err }))
    }
  }
}

// Group commit over ILP/HTTP. Rows from many concurrent requests share one QuestDB commit; each caller's
// promise settles when the commit that carries its rows is acknowledged. Each HTTP request is a commit and
// small commits cost QuestDB 2.5-3x the CPU (perf-limits.md), so we batch by size or by a short delay.
// Poison-proof: each call's rows are encoded on their own (./part.ts), so a row is in a commit whole or not at
// all, and a row QuestDB refuses fails only its own call (./commit.ts). A writer whose commits keep failing
// reports itself down (GET /ready) and replaces its connection and buffer.
import { SenderOptions, createBuffer, createTransport, type SenderBuffer, type SenderTransport } from '@questdb/nodejs-client'
import type { ReadingRow } from '../contract/rows.js'
import type { Row, Writer } from './types.js'
import type { StoreMetrics } from './metrics.js'
import { appendReading, appendRow, READINGS_TABLE } from './ilp-rows.js'
import { encodePart, lineCount, type Mode, type Part } from './part.js'
import { commitParts, settle } from './commit.js'
import { answerOf, outcomeOf, type Outcome, type Refusal } from './refusal.js'
import { Overloaded, StorageUnavailable } from '../server/errors/catalogue.js'

/** WriterOptions tune the group commit. */
export interface WriterOptions {
  httpUrl: string
  flushIntervalMs: number
  flushRows: number
  maxPendingRows: number
  retryTimeoutMs: number
  requestTimeoutMs: number
  /** consecutive failed commits after which the connection and buffer are replaced (default 3) */
  restartAfterFailures?: number
  metrics?: StoreMetrics
  /** told when the writer replaces its connection, and why */
  onRestart?: (reason: string) => void
}

/** WriterHealth is whether the last commit reached QuestDB, and what happened since start. */
export interface WriterHealth { up: boolean, failures: number, restarts: number, lastError?: string }

/** QuestDbWriter is the Writer plus lifecycle. */
export interface QuestDbWriter extends Writer {
  /** flush sends whatever is buffered now and waits for it. */
  flush: () => Promise<void>
  close: () => Promise<void>
  pendingRows: () => number
  health: () => WriterHealth
  /** probe asks QuestDB over the writer's own connection whether it takes writes (an empty commit) */
  probe: () => Promise<boolean>
}

interface Batch { parts: Part[], rows: number }

/** createQuestDbWriter connects the official client's buffer and HTTP transport to a group-commit batcher. */
export async function createQuestDbWriter (opts: WriterOptions): Promise<QuestDbWriter> {
  const addr = new URL(opts.httpUrl)
  const conf = `${addr.protocol.replace(':', '')}::addr=${addr.host};auto_flush=off;protocol_version=2;stdlib_http=on;` +
    `retry_timeout=${opts.retryTimeoutMs};request_timeout=${opts.requestTimeoutMs};init_buf_size=4194304;max_buf_size=1073741824`
  return new GroupCommitWriter(await SenderOptions.fromConfig(conf), opts)
}

class GroupCommitWriter implements QuestDbWriter {
  private batch: Batch | null = null
  private timer: NodeJS.Timeout | null = null
  /** the open batch has waited its interval (or is full) and goes out as soon as no commit is in flight */
  private isDue = false
  private pending = 0
  private readonly inflight = new Set<Promise<void>>()
  private scratch: SenderBuffer
  private transport: SenderTransport
  private failures = 0
  private restarts = 0
  private lastError: string | undefined

  constructor (private readonly options: SenderOptions, private readonly opts: WriterOptions) {
    this.scratch = createBuffer(options)
    this.transport = createTransport(options)
  }

  async writeReadings (rows: readonly ReadingRow[]): Promise<Refusal[]> {
    return await this.write(READINGS_TABLE, 'each', rows, appendReading)
  }

  async writeRows (table: string, rows: readonly Row[], mode: Mode = 'all'): Promise<Refusal[]> {
    return await this.write(table, mode, rows, (buf, row) => appendRow(buf, table, row))
  }

  pendingRows (): number { return this.pending }

  health (): WriterHealth {
    return { up: this.failures === 0, failures: this.failures, restarts: this.restarts, ...(this.lastError === undefined ? {} : { lastError: this.lastError }) }
  }

  async probe (): Promise<boolean> {
    this.observe(await this.sendOutcome(Buffer.alloc(0)))
    return this.failures === 0
  }

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

  private async write<R> (table: string, mode: Mode, rows: readonly R[], append: (buf: SenderBuffer, row: R) => void): Promise<Refusal[]> {
    if (rows.length === 0) return []
    // Backpressure: past the bound, refuse before encoding anything. The rows count as pending from here, while
    // they are encoded (in slices, letting other calls in), so concurrent calls cannot all pass the bound at once.
    if (this.pending + rows.length > this.opts.maxPendingRows) throw new Overloaded()
    this.pending += rows.length
    let part: Part
    try {
      part = await encodePart(this.scratch, table, mode, rows, append)
    } catch (err) {
      this.pending -= rows.length
      throw err
    }
    const n = lineCount(part)
    this.pending -= rows.length - n
    this.opts.metrics?.pendingRows.set(this.pending)
    if (part.refused.length > 0) this.opts.metrics?.rowsRefused.inc({ table }, part.refused.length)
    if (n === 0) {
      settle(part)
      return await part.done.promise
    }
    const batch = this.batch ?? this.open()
    batch.parts.push(part)
    batch.rows += n
    if (batch.rows >= this.opts.flushRows) this.due()
    return await part.done.promise
  }

  private open (): Batch {
    this.batch = { parts: [], rows: 0 }
    // real time on purpose: the commit delay paces I/O with QuestDB, which no virtual clock of a test drives
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

  private commit (): void {
    const batch = this.batch
    this.isDue = false
    if (batch === null) return
    this.batch = null
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    const sent = this.store(batch)
    this.inflight.add(sent)
    sent.finally(() => {
      this.inflight.delete(sent)
      if (this.isDue) this.commit()
    }).catch(() => {})
  }

  private async store (batch: Batch): Promise<void> {
    const started = performance.now()
    const refusedBefore = batch.parts.map((p) => p.refused.length)
    try {
      await commitParts(batch.parts, async (data) => {
        const outcome = await this.sendOutcome(data)
        this.observe(outcome)
        return outcome
      })
    } catch (err) {
      // commitParts settles every part and never throws; if it did, no caller may be left waiting
      const e = err instanceof Error ? err : new Error(String(err))
      for (const p of batch.parts) if (!p.settled) { p.settled = true; p.done.reject(new StorageUnavailable(e.message, { cause: e })) }
      this.observe({ kind: 'unavailable', error: e })
      this.restart(`internal error: ${e.message}`)
    }
    this.pending -= batch.rows
    this.account(batch, started, refusedBefore)
  }

  private account (batch: Batch, started: number, refusedBefore: number[]): void {
    const m = this.opts.metrics
    if (m === undefined) return
    m.pendingRows.set(this.pending)
    m.flushSeconds.observe((performance.now() - started) / 1000)
    batch.parts.forEach((p, i) => {
      if (p.stored > 0) m.rowsWritten.inc({ table: p.table }, p.stored)
      const refused = p.refused.length - (refusedBefore[i] ?? 0)
      if (refused > 0) m.rowsRefused.inc({ table: p.table }, refused)
    })
  }

  private async sendOutcome (data: Buffer): Promise<Outcome> {
    try {
      await this.send(data)
      return { kind: 'stored' }
    } catch (err) {
      const outcome = outcomeOf(err instanceof Error ? err : new Error(String(err)))
      return outcome.kind === 'refused' && outcome.line === null ? await this.explain(data) : outcome
    }
  }

  // The client's transport drops the body of a refusal, and with it the line QuestDB named: ask again, rarely
  // (only refused data comes here), to learn which row to cut out. Nothing of a refused request is stored; should
  // QuestDB take it this time, it is stored, and said so.
  private async explain (data: Buffer): Promise<Outcome> {
    try {
      const res = await fetch(new URL('/write?precision=n', this.opts.httpUrl), {
        method: 'POST', body: data, signal: AbortSignal.timeout(this.opts.requestTimeoutMs)
      })
      return answerOf(res.status, await res.text())
    } catch (err) {
      return { kind: 'unavailable', error: err instanceof Error ? err : new Error(String(err)) }
    }
  }

  // The client's own timeouts have been seen to leave a request unsettled when QuestDB refuses
  // connections; a caller must always get its answer, so bound the wait ourselves.
  private async send (data: Buffer): Promise<boolean> {
    const limit = this.opts.retryTimeoutMs + this.opts.requestTimeoutMs + 1000
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((resolve, reject) => {
      // real time on purpose: it bounds a real request, whatever a test's virtual clock says
      timer = setTimeout(() => reject(new Error(`no answer from QuestDB within ${limit} ms`)), limit)
    })
    try {
      return await Promise.race([this.transport.send(data), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  // A refusal is an answer too: QuestDB is there and takes writes, only not that row.
  private observe (outcome: Outcome): void {
    if (outcome.kind !== 'unavailable') {
      this.failures = 0
      this.lastError = undefined
      return
    }
    this.failures++
    this.lastError = outcome.error.message
    this.opts.metrics?.flushFailures.inc()
    if (this.failures % (this.opts.restartAfterFailures ?? 3) === 0) this.restart(`${this.failures} commits failed: ${outcome.error.message}`)
  }

  // A fresh connection and buffer: whatever state the old ones were left in, the next commit starts clean.
  private restart (reason: string): void {
    const old = this.transport
    this.transport = createTransport(this.options)
    this.scratch = createBuffer(this.options)
    this.restarts++
    this.opts.metrics?.writerRestarts.inc()
    this.opts.onRestart?.(reason)
    old.close().catch(() => {})
  }
}

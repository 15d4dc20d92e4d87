// QuestDB acknowledges a write once it is in the table's WAL, and applies the WAL to the table 10-70 ms later
// (longer after a QuestDB restart): only then can a query see the rows. Whatever reads back what was just
// acknowledged (a restart loading its state, a backtest, a test checking that nothing more was stored)
// waits here first, until each table's writerTxn has caught up with its sequencerTxn.
import { asyncScheduler, type SchedulerLike } from 'rxjs'
import { sleep } from '../lib/sleep.js'
import type { Reader } from './types.js'

/** WalWaitOptions bound and pace walApplied. */
export interface WalWaitOptions {
  /** how long to poll before giving up (default 5000 ms) */
  timeoutMs?: number
  /** pause between polls (default 100 ms) */
  intervalMs?: number
  /**
   * whether a table wal_tables() does not list yet counts as not applied (default false: it counts as
   * applied, as a table nothing was ever written to has nothing to apply)
   */
  requireListed?: boolean
  /** where the pauses and the deadline take their time from (default the wall clock) */
  scheduler?: SchedulerLike
  /** ends the wait early: walApplied then rejects with the signal's reason */
  signal?: AbortSignal
}

interface WalRow { name: string, writerTxn: unknown, sequencerTxn: unknown }

function walSql (tables: readonly string[]): string {
  return `SELECT name, writerTxn, sequencerTxn FROM wal_tables() WHERE name IN (${tables.map((n) => `'${n}'`).join(', ')})`
}

function isApplied (rows: readonly WalRow[], tables: readonly string[], requireListed: boolean): boolean {
  if (!rows.every((r) => Number(r.writerTxn) >= Number(r.sequencerTxn))) return false
  if (!requireListed) return true
  const listed = new Set(rows.map((r) => r.name))
  return tables.every((t) => listed.has(t))
}

/**
 * walApplied polls until QuestDB has applied every acknowledged write to `tables`: true then, false once
 * timeoutMs passed first (the caller decides whether to go on with what is visible). A failing query rejects.
 */
export async function walApplied (reader: Reader, tables: readonly string[], o: WalWaitOptions = {}): Promise<boolean> {
  const scheduler = o.scheduler ?? asyncScheduler
  const deadline = scheduler.now() + (o.timeoutMs ?? 5000)
  const sql = walSql(tables)
  for (;;) {
    o.signal?.throwIfAborted()
    if (isApplied(await reader.query<WalRow>(sql), tables, o.requireListed ?? false)) return true
    if (scheduler.now() >= deadline) return false
    await sleep(o.intervalMs ?? 100, scheduler, o.signal)
  }
}

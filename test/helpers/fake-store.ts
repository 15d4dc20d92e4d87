// In-memory fakes of the storage seams (src/3-store/types.ts) for unit tests. FakeWriter keeps the rows it is
// given per table, can be told to fail, and can hold writes at their start until released (hold, started:
// events a test waits on, never a pause); FakeReader answers queries through handlers a test registers.
// alarmQueries() teaches a FakeReader the alarm queries of src/5-alarm/persist.ts over a FakeWriter's rows;
// the SQL itself is tested against a real QuestDB in test/integration/alarms-persist.test.ts.
import type { ReadingRow } from '../../src/contract/rows.js'
import type { Reader, Refusal, Row, Writer } from '../../src/3-store/types.js'
import { SQL, PUBLISHED_TABLE, TRANSITIONS_TABLE } from '../../src/5-alarm/persist.js'
import { StorageUnavailable } from '../../src/server/errors/catalogue.js'
import { deferred, type Deferred } from '../../src/lib/deferred.js'
import type { FastifyRequest } from 'fastify'
import type { AuditEntry } from '../../src/audit/types.js'
import { actorOf } from '../../src/server/plugins/auth.js'

/** Flat is a stored row as a query returns it: symbols, columns and ts side by side. */
export type Flat = Record<string, unknown> & { ts: number }

/** FakeWriter records writes; failNext(n) makes the next n writes reject with StorageUnavailable. */
export class FakeWriter implements Writer {
  readonly tables = new Map<string, Row[]>()
  readonly readings: ReadingRow[] = []
  /** every write call, in order: table and row count */
  readonly calls: Array<{ table: string, rows: number }> = []
  /** milliseconds each write takes (to exercise concurrency) */
  delayMs = 0
  /** the most writes that were in progress at once */
  maxInFlight = 0
  private inFlight = 0
  private failures = 0
  private held: Deferred | undefined
  private readonly waiting: Array<{ n: number, resolve: () => void }> = []

  failNext (n: number): void { this.failures = n }

  /** hold makes every write wait at its start (already counted in calls) until the returned release is called. */
  hold (): () => void {
    const gate = deferred()
    this.held = gate
    return () => { if (this.held === gate) this.held = undefined; gate.resolve() }
  }

  /** started resolves once `n` writes have been called in all. */
  async started (n: number): Promise<void> {
    if (this.calls.length >= n) return
    await new Promise<void>((resolve) => { this.waiting.push({ n, resolve }) })
  }

  async writeReadings (rows: readonly ReadingRow[]): Promise<Refusal[]> {
    await this.gate('readings', rows.length)
    this.readings.push(...rows)
    return []
  }

  async writeRows (table: string, rows: readonly Row[]): Promise<Refusal[]> {
    await this.gate(table, rows.length)
    this.tables.set(table, [...(this.tables.get(table) ?? []), ...rows])
    return []
  }

  /** rows returns a table's rows flattened as QuestDB would return them, in write order. */
  rows (table: string): Flat[] {
    return (this.tables.get(table) ?? []).map(flatten)
  }

  private async gate (table: string, n: number): Promise<void> {
    this.calls.push({ table, rows: n })
    for (const w of this.waiting.filter((x) => this.calls.length >= x.n)) {
      this.waiting.splice(this.waiting.indexOf(w), 1)
      w.resolve()
    }
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight)
    if (this.held !== undefined) await this.held.promise
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs))
    this.inFlight--
    if (this.failures > 0) {
      this.failures--
      throw new StorageUnavailable('fake writer told to fail')
    }
  }
}

/** Handler answers a query it recognises, or returns undefined to pass. */
export type Handler = (sql: string, params: readonly unknown[]) => Array<Record<string, unknown>> | undefined

/** FakeReader answers with the first handler that recognises the query, and logs every query. */
export class FakeReader implements Reader {
  readonly queries: Array<{ sql: string, params: readonly unknown[] }> = []
  private readonly handlers: Handler[] = []

  on (handler: Handler): this {
    this.handlers.push(handler)
    return this
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.queries.push({ sql, params })
    for (const h of this.handlers) {
      const rows = h(sql, params)
      if (rows !== undefined) return rows as T[]
    }
    throw new Error(`FakeReader: no handler for ${sql}`)
  }
}

/** flatten turns a written Row into the row a SELECT would return. */
export function flatten (row: Row): Flat {
  const out: Flat = { ts: row.ts }
  for (const [k, v] of Object.entries(row.columns)) out[k] = v ?? null
  for (const [k, v] of Object.entries(row.symbols ?? {})) out[k] = v
  return out
}

/** alarmQueries answers the queries of src/5-alarm/persist.ts from the alarm tables of `writer`. */
export function alarmQueries (writer: FakeWriter): Handler {
  const transitions = (): Flat[] => writer.rows(TRANSITIONS_TABLE)
  return (sql, params) => {
    if (sql.includes('wal_tables()')) return []
    if (sql === SQL.open) return latestBy(transitions(), 'alarm_id').filter((r) => r.state !== 'closed').sort(byTs)
    if (sql === SQL.closedActive) return latestBy(transitions(), 'alarm_key').filter((r) => r.state === 'closed' && r.active === true).sort(byTs)
    if (sql === SQL.latest) return latestBy(transitions().filter((r) => r.alarm_id === params[0]), 'alarm_id')
    if (sql === SQL.history) return transitions().filter((r) => r.alarm_id === params[0]).sort((a, b) => (Number(a.seq) - Number(b.seq)) || (a.ts - b.ts))
    if (sql === SQL.unpublished) return unpublished(writer, Date.parse(String(params[0])))
    if (sql.startsWith(SQL.listPrefix)) return list(transitions(), sql, params)
    return undefined
  }
}

function byTs (a: Flat, b: Flat): number { return a.ts - b.ts }

// LATEST ON ts PARTITION BY col: the last row (by ts, then by write order) of each value of col.
function latestBy (rows: Flat[], col: string): Flat[] {
  const latest = new Map<unknown, Flat>()
  for (const r of rows) {
    const prev = latest.get(r[col])
    if (prev === undefined || r.ts >= prev.ts) latest.set(r[col], r)
  }
  return [...latest.values()]
}

function unpublished (writer: FakeWriter, since: number): Flat[] {
  const done = new Set(writer.rows(PUBLISHED_TABLE).filter((r) => r.ts >= since).map((r) => `${String(r.alarm_id)}:${Number(r.seq)}`))
  return writer.rows(TRANSITIONS_TABLE)
    .filter((r) => r.ts >= since && !done.has(`${String(r.alarm_id)}:${Number(r.seq)}`))
    .sort((a, b) => (a.ts - b.ts) || (Number(a.seq) - Number(b.seq)))
}

// The list query's filters are read back from its text: `col = $n`, `site IN ($n, …)`, `LIMIT n`.
function list (rows: Flat[], sql: string, params: readonly unknown[]): Flat[] {
  const p = (ref: string): unknown => params[Number(ref.slice(1)) - 1]
  const since = Date.parse(String(params[0]))
  const inner = rows.filter((r) => r.ts >= since)
  const site = /site = (\$\d+)/.exec(sql)
  const sites = /site IN \(([^)]*)\)/.exec(sql)
  const category = /category = (\$\d+)/.exec(sql)
  const level = /level = (\$\d+)/.exec(sql)
  const limit = Number(/LIMIT (\d+)/.exec(sql)?.[1] ?? Infinity)
  let out = latestBy(inner.filter((r) =>
    (site === null || r.site === p(site[1] as string)) &&
    (sites === null || (sites[1] as string).split(', ').map(p).includes(r.site)) &&
    (category === null || r.category === p(category[1] as string))), 'alarm_id')
  if (level !== null) out = out.filter((r) => r.level === p(level[1] as string))
  return out.sort((a, b) => b.ts - a.ts).slice(0, limit)
}

/** MemoryAudit is fastify.audit over an array, for route tests without QuestDB: it records what the routes report. */
export class MemoryAudit {
  readonly records: AuditEntry[] = []
  async record (entry: AuditEntry): Promise<void> { this.records.push(entry) }
  of (request: FastifyRequest, entry: Omit<AuditEntry, 'actor' | 'actorKind' | 'actorRole' | 'ip'>): AuditEntry {
    const { actor, kind, role } = actorOf(request.principal)
    return { ...entry, actor, actorKind: kind, actorRole: role, ip: request.ip }
  }

  async list (): Promise<never[]> { return [] }
}

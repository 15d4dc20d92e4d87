// Reads over QuestDB's PG wire with node-postgres: parameterised queries, a small pool.
import pg from 'pg'
import type { Reader } from './types.js'
import { StorageUnavailable } from '../server/errors/catalogue.js'

const TIMESTAMP_OID = 1114
const TIMESTAMPTZ_OID = 1184

// QuestDB timestamps are UTC without a zone; node-postgres would read them as local time.
function parseUtcMs (text: string): number {
  return Date.parse(text.replace(' ', 'T') + (text.endsWith('Z') ? '' : 'Z'))
}

const types = {
  getTypeParser (oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMP_OID || oid === TIMESTAMPTZ_OID) return parseUtcMs
    return pg.types.getTypeParser(oid, format)
  }
}

/** QuestDbReader is the Reader plus lifecycle and a liveness probe. */
export interface QuestDbReader extends Reader {
  ping: () => Promise<boolean>
  close: () => Promise<void>
}

/** createReader opens a pool on `pgUrl` (postgres://admin:quest@host:port/qdb). */
export function createReader (pgUrl: string, max = 4): QuestDbReader {
  const pool = new pg.Pool({ connectionString: pgUrl, max, types: types as never, idleTimeoutMillis: 30_000 })
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  return {
    async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      try {
        const res = await pool.query(sql, params as unknown[])
        return res.rows as T[]
      } catch (err) {
        const e = err as Error & { code?: string }
        // Connection-level failures are "unavailable"; SQL errors are bugs and keep their identity.
        if (e.code === undefined || e.code === 'ECONNREFUSED' || e.code === '57P01') {
          throw new StorageUnavailable(e.message, { cause: e })
        }
        throw e
      }
    },
    async ping () {
      try {
        await pool.query('select 1')
        return true
      } catch {
        return false
      }
    },
    async close () { await pool.end() }
  }
}

// Applies migrations/NNN.do.<name>.sql in order and records each in _migrations. QuestDB has no
// transactional DDL, so every statement must be idempotent (IF NOT EXISTS) and a failed file is retried whole.
// _migrations bypasses the WAL so that a record is visible to the very next run.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Reader } from './types.js'
import { MigrationFailed } from '../server/errors/catalogue.js'

const FILE = /^(\d{3})\.do\.([a-z0-9-]+)\.sql$/

/** Migration is one file of the migrations folder. */
export interface Migration { version: number, name: string, file: string }

/** listMigrations returns the do-files of `dir` ordered by version. */
export async function listMigrations (dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => FILE.test(f)).sort()
  return files.map((file) => {
    const m = FILE.exec(file) as RegExpExecArray
    return { version: Number(m[1]), name: m[2] as string, file: join(dir, file) }
  })
}

/** splitStatements cuts a file at semicolons that end a line, dropping comments and blanks. */
export function splitStatements (sql: string): string[] {
  const text = sql.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n')
  return text.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter((s) => s.length > 0)
}

/** migrate applies the pending migrations of `dir` and returns the versions it applied. */
export async function migrate (reader: Reader, dir: string): Promise<number[]> {
  await reader.query('CREATE TABLE IF NOT EXISTS _migrations (version INT, name VARCHAR, ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY YEAR BYPASS WAL')
  const done = new Set((await reader.query<{ version: number }>('SELECT version FROM _migrations')).map((r) => r.version))
  const applied: number[] = []
  for (const m of await listMigrations(dir)) {
    if (done.has(m.version)) continue
    try {
      for (const statement of splitStatements(await readFile(m.file, 'utf8'))) await reader.query(statement)
      await reader.query('INSERT INTO _migrations (version, name, ts) VALUES ($1, $2, now())', [m.version, m.name])
    } catch (err) {
      throw new MigrationFailed(`${m.version}.${m.name}`, (err as Error).message, { cause: err })
    }
    applied.push(m.version)
  }
  return applied
}

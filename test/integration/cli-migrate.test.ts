// cli migrate - `npm run migrate` (src/tools/cli/migrate.ts) run as a child process against a fresh QuestDB started
// by the test: it applies every migration of migrations/ once, creates their tables, and a second run finds none
// pending; without QuestDB configured, or with QuestDB unreachable, it says why and exits non-zero.
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { freePort } from '../../src/tools/embedded/ports.js'
import { listMigrations } from '../../src/3-store/migrate.js'
import { migrationsDir } from '../../src/3-store/paths.js'
import { run } from '../helpers/process.js'
import { startQuestDbOnly } from '../helpers/services.js'

const SCRIPT = 'src/tools/cli/migrate.ts'

async function exec (httpUrl: string, sql: string): Promise<unknown[][]> {
  const res = await fetch(`${httpUrl}/exec?query=${encodeURIComponent(sql)}`)
  const body = await res.json() as { dataset?: unknown[][], error?: string }
  if (body.dataset === undefined) throw new Error(`${sql}: ${body.error ?? res.status}`)
  return body.dataset
}

t.test('cli migrate - applies every migration to a fresh QuestDB, then finds none pending', async (t) => {
  const { qdb } = await startQuestDbOnly(t)
  const env = { QDB_HTTP: qdb.httpUrl, QDB_PG: qdb.pgUrl }
  const migrations = await listMigrations(migrationsDir())
  t.ok(migrations.length >= 6, `${migrations.length} migrations in migrations/`)
  const created = new Set<string>()
  for (const m of migrations) {
    for (const c of (await readFile(m.file, 'utf8')).matchAll(/CREATE TABLE IF NOT EXISTS\s+([a-z_][a-z0-9_]*)/gi)) created.add(c[1] as string)
  }
  t.ok(created.size >= 10, `${created.size} tables created by them`)
  t.same(await exec(qdb.httpUrl, "select table_name from tables() where table_name not like 'sys.%' and table_name != 'telemetry_config'"), [], 'a fresh QuestDB has no tables')

  const first = await run(t, SCRIPT, [], env)
  t.same([first.code, first.stderr], [0, ''], 'exit 0, nothing on stderr')
  t.equal(first.stdout.trim(), `applied: ${migrations.map((m) => m.version).join(', ')}`, 'it names every migration it applied')
  t.same(await exec(qdb.httpUrl, 'select version, name from _migrations order by version'), migrations.map((m) => [m.version, m.name]), 'each recorded once in _migrations')
  const tables = new Set((await exec(qdb.httpUrl, 'select table_name from tables()')).map((r) => r[0] as string))
  t.same([...created].filter((name) => !tables.has(name)), [], 'every table of the migrations exists')

  // the tool only reads and writes over PG wire: QDB_PG alone is enough, as the README says
  const second = await run(t, SCRIPT, [], { QDB_PG: qdb.pgUrl })
  t.same([second.code, second.stdout.trim(), second.stderr], [0, 'no pending migrations', ''], 'a second run applies nothing')
  t.same(await exec(qdb.httpUrl, 'select count() from _migrations'), [[migrations.length]], 'and records nothing more')
})

t.test('cli migrate - without QuestDB configured, it says what to set and exits 2', async (t) => {
  const res = await run(t, SCRIPT, [], {})
  t.equal(res.code, 2)
  t.match(res.stderr, /QDB_PG is not set: point it at QuestDB's PG wire/)
  t.equal(res.stdout, '')
})

t.test('cli migrate - QuestDB unreachable: the reason on stderr, exit 1', async (t) => {
  const port = await freePort() // nothing listens there
  const res = await run(t, SCRIPT, [], { QDB_HTTP: `http://127.0.0.1:${port}`, QDB_PG: `postgres://admin:quest@127.0.0.1:${port}/qdb` })
  t.equal(res.code, 1)
  t.match(res.stderr, /ECONNREFUSED/, 'the connection error is named')
  t.equal(res.stdout, '')
})

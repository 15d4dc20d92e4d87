// cli bin - `minewatch <command>` run as the Docker image runs it: compiled by tsc into a folder laid out like the
// image (dist/, package.json, node_modules, schemas/, rules/, migrations/), started with plain `node` and no
// loader, so nothing may need tsx. Every command answers --help; rules check and test, migrate, evidence verify,
// backtest, users and simulate do their work against real QuestDB and NATS; serve starts, is ready, and stops.
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { finish, launch } from '../helpers/process.js'
import { startServices } from '../helpers/services.js'
import { buildTestApp, TOKENS } from '../helpers/app.js'
import { freePort } from '../../src/tools/embedded/ports.js'
import { until } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const image = await mkdtemp(join(tmpdir(), 'minewatch-image-'))
t.teardown(async () => await rm(image, { recursive: true, force: true }))
await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', join(image, 'dist')], { cwd: ROOT })
for (const f of ['package.json', 'node_modules', 'schemas', 'rules', 'migrations']) await symlink(join(ROOT, f), join(image, f))
const BIN = join(image, 'dist/src/tools/cli/minewatch.js')

const minewatch = async (args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<{ code: number | null, stdout: string, stderr: string }> =>
  await finish(launch(t, { nodeArgs: [BIN, ...args], cwd: image, script: `minewatch ${args.join(' ')}` }, env), `minewatch ${args.join(' ')}`, timeoutMs)

t.test('cli bin - the overview and every command\'s --help, from the built output', async (t) => {
  const overview = await minewatch(['--help'])
  t.equal(overview.code, 0)
  const commands = ['serve', 'migrate', 'rules check', 'rules test', 'backtest', 'simulate', 'users', 'evidence verify']
  for (const c of commands) t.match(overview.stdout, new RegExp(`^  ${c}\\s+\\S`, 'm'), `the overview lists ${c}`)
  for (const c of commands) {
    const help = await minewatch([...c.split(' '), '--help'])
    t.same([help.code, help.stderr], [0, ''], `${c} --help exits 0`)
    t.match(help.stdout, new RegExp(`^usage: minewatch ${c}`), `${c} --help prints its usage`)
  }
  const unknown = await minewatch(['rules', 'nope'])
  t.equal(unknown.code, 2, 'an unknown command exits 2')
  t.match(unknown.stderr, /unknown command "rules nope"/)
  const bare = await minewatch([])
  t.equal(bare.code, 2, 'no command: the overview and exit 2')
})

t.test('cli bin - rules check and rules test on the shipped rules', async (t) => {
  const check = await minewatch(['rules', 'check', 'rules'])
  t.equal(check.code, 0)
  t.match(check.stdout, /^\d+ rules in \d+ files \(rules\): ok/m)
  const test = await minewatch(['rules', 'test', 'rules'])
  t.equal(test.code, 0, test.stdout.slice(-500))
  t.match(test.stdout, /\d+ passed, 0 failed, 0 error\(s\)/)
})

t.test('cli bin - against real QuestDB and NATS: migrate, evidence verify, backtest, users, simulate, serve', async (t) => {
  const svc = await startServices(t)
  const env = { QDB_HTTP: svc.qdb.httpUrl, QDB_PG: svc.qdb.pgUrl }
  const migrated = await minewatch(['migrate'], env)
  t.equal(migrated.code, 0, migrated.stderr)
  t.match(migrated.stdout, /^applied: 1, 2, 3/, 'a fresh QuestDB gets every migration')
  t.equal((await minewatch(['migrate'], env)).stdout.trim(), 'no pending migrations')
  t.equal((await minewatch(['migrate'], {})).code, 2, 'without QDB_PG: exit 2')

  const verified = await minewatch(['evidence', 'verify'], env)
  t.equal(verified.code, 0, verified.stderr)
  t.match(verified.stdout, /OK/, 'an empty ledger verifies')

  const day = await minewatch(['backtest', '--from', '2026-11-20T00:00:00+08:00', '--to', '2026-11-21T00:00:00+08:00', '--format', 'json'], env)
  t.equal(day.code, 0, day.stderr)
  t.match(JSON.parse(day.stdout), { rules: Number, readings: 0 }, 'the report as JSON on stdout')

  const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const set = await minewatch(['users', 'set', 'wang.wu', '--role', 'viewer', '--sites', '*', '--display', '王五', '--url', base, '--token', TOKENS.admin])
  t.equal(set.code, 1, 'a new user without --password-stdin is refused by the server')
  t.match(set.stderr, /password/)
  const list = await minewatch(['users', 'list', '--url', base, '--token', TOKENS.admin])
  t.equal(list.code, 0, list.stderr)

  const scenarios = await minewatch(['simulate', '--scenario', 'list'])
  t.equal(scenarios.code, 0)
  t.match(scenarios.stdout, /co-leak/, 'the simulator lists its scenarios')

  const port = await freePort()
  const server = launch(t, { nodeArgs: [BIN, 'serve'], cwd: image, script: 'minewatch serve' }, {
    ...env, NATS_URL: svc.nats.url, PORT: String(port), HOST: '127.0.0.1', MINEWATCH_DATA_DIR: join(image, 'data'), LOG_LEVEL: 'warn'
  })
  await until(async () => (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.ok === true ? true : undefined, 'minewatch serve ready', 120_000, 200)
  t.pass('serve answers /ready on external QuestDB and NATS')
  server.process.kill('SIGTERM')
  const stopped = await server.exited
  t.equal(stopped.code, 0, `serve stops cleanly on SIGTERM: ${stopped.stderr.slice(-500)}`)
})

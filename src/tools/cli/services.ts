// The embedded services from the command line:
//   install  fetch the QuestDB jar into the cache and check that a suitable JDK and nats-server exist
//            (`npm run questdb:install`; CI runs it so the tests never download mid-run)
//   start    run QuestDB and nats-server under <data dir>/dev until Ctrl-C, for manual experiments
import { join } from 'node:path'
import { loadConfig } from '../../server/config/load.js'
import { findJava, requiredJavaFor } from '../embedded/jdk.js'
import { findNatsServer, startNats } from '../embedded/nats.js'
import { defaultCacheDir, installQuestDb, startQuestDb } from '../embedded/questdb.js'
import { lineLog } from '../../lib/log.js'

const USAGE = 'usage: tsx src/tools/cli/services.ts install|start'

/** install runs every check, prints what it found, and fails (exit 1) if any is missing. */
async function install (): Promise<void> {
  const { version } = loadConfig().questdb
  const checks: Array<[string, () => Promise<string>]> = [
    ['java', async () => {
      const jdk = await findJava(requiredJavaFor(version), { neededBy: `QuestDB ${version}` })
      return `${jdk.javaBin} (Java ${jdk.major})`
    }],
    [`questdb ${version}`, () => installQuestDb({ version, cacheDir: defaultCacheDir() })],
    ['nats-server', findNatsServer]
  ]
  let failed = false
  // All checks run even after a failure, so one run tells the operator everything that is missing.
  for (const [what, check] of checks) {
    try {
      console.log(`ok       ${what}: ${await check()}`)
    } catch (err) {
      failed = true
      console.error(`MISSING  ${what}: ${describe(err)}`)
    }
  }
  if (failed) process.exitCode = 1
}

/** start runs both services under <data dir>/dev, prints their addresses, and stops them on Ctrl-C. */
async function start (): Promise<void> {
  const config = loadConfig()
  const base = join(config.dataDir, 'dev')
  const log = lineLog((line) => console.log(line))
  const qdb = await startQuestDb({ version: config.questdb.version, root: join(base, 'questdb'), cacheDir: defaultCacheDir(), log })
  const nats = await startNats({ storeDir: join(base, 'nats'), log }).catch(async (err) => {
    await qdb.stop()
    throw err
  })
  console.log(`\nQDB_HTTP=${qdb.httpUrl} QDB_PG=${qdb.pgUrl} NATS_URL=${nats.url}\n(Ctrl-C stops both)`)
  // The children are unref'd by design, so something must keep this process alive until the signal.
  const keepAlive = setInterval(() => {}, 60_000)
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  console.log(`${signal}: stopping`)
  await Promise.all([qdb.stop(), nats.stop()])
  clearInterval(keepAlive)
}

function describe (err: unknown): string {
  const e = err as { code?: string, message?: string }
  return e.code === undefined ? String(err) : `${e.code}: ${e.message}`
}

const commands: Record<string, () => Promise<void>> = { install, start }
const command = commands[process.argv[2] ?? '']
if (command === undefined) {
  console.error(USAGE)
  process.exitCode = 2
} else {
  command().catch((err) => {
    console.error(describe(err))
    process.exitCode = 1
  })
}

// Process entry: configuration, the embedded QuestDB and NATS where none is configured, the app,
// and a graceful shutdown that flushes storage and the alarm outbox before the services stop.
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import { bootstrapAdminEnabled, checkServerQuestDb, demoEnabled, loadConfig } from './server/config/load.js'
import { loadTokens, type Principal } from './server/auth/tokens.js'
import { buildApp } from './app.js'
import { defaultCacheDir, startQuestDb } from './tools/embedded/questdb.js'
import { startNats } from './tools/embedded/nats.js'
import { buildFleet } from './tools/simulate/fleet/index.js'
import { createFeed, feedTokens, type Feed, type Scenario } from './tools/simulate/feed.js'
import { demoScenario } from './tools/simulate/scenarios/env.js'

const config = loadConfig()
checkServerQuestDb(config)
const log = pino({ level: config.logLevel, name: 'minewatch' })
const stops: Array<() => Promise<void>> = []

async function services (): Promise<{ questdb: { httpUrl: string, pgUrl: string }, nats: { url: string } }> {
  const [questdb, nats] = await Promise.all([
    config.questdb.http !== undefined && config.questdb.pg !== undefined
      ? { httpUrl: config.questdb.http, pgUrl: config.questdb.pg }
      : startQuestDb({ version: config.questdb.version, cacheDir: defaultCacheDir(), root: join(config.dataDir, 'questdb'), log })
        .then((q) => { stops.push(q.stop); log.info({ http: q.httpUrl, pg: redact(q.pgUrl) }, 'embedded QuestDB started'); return q }),
    config.nats.url !== undefined
      ? { url: config.nats.url }
      : startNats({ storeDir: join(config.dataDir, 'nats'), log })
        .then((n) => { stops.push(n.stop); log.info({ url: n.url }, 'embedded NATS started'); return n })
  ])
  return { questdb, nats }
}

// Addresses are logged for operators; credentials in them are not.
function redact (url: string): string {
  const u = new URL(url)
  if (u.password !== '') u.password = '***'
  return u.toString()
}

// The feed talks to the server's own listening socket: a wildcard bind is reached on loopback.
function selfUrl (app: FastifyInstance): string {
  const a = app.server.address() as AddressInfo
  const wildcard = a.address === '0.0.0.0' || a.address === '::'
  const host = wildcard ? '127.0.0.1' : (a.family === 'IPv6' ? `[${a.address}]` : a.address)
  return `http://${host}:${a.port}`
}

// The demo feed: the simulated Shougang fleet (src/tools/simulate) posting clean readings to this very server, so a
// fresh `npm start` shows live data (when: demoEnabled in server/config/load.ts).
function demoFeed (app: FastifyInstance, tokens: ReadonlyMap<string, Principal>): Feed | undefined {
  const fleet = buildFleet()
  const pair = feedTokens(tokens, fleet)
  if (pair === undefined) {
    app.log.warn('demo feed not started: the tokens file has no admin and gateway token for every site')
    return undefined
  }
  let scenario: Scenario | undefined
  try {
    scenario = demoScenario(config.demoScenario, fleet, Date.now())
  } catch (err) {
    app.log.warn({ err }, 'MINEWATCH_DEMO_SCENARIO ignored: the demo feed runs clean')
  }
  if (scenario !== undefined) app.log.info({ scenario: scenario.name }, 'demo feed scenario')
  return createFeed({ baseUrl: selfUrl(app), ...pair, fleet, log: app.log.child({ component: 'demo-feed' }), ...(scenario === undefined ? {} : { scenario }) })
}

// The first admin's password is shown once, on the terminal, never in the log (logs are shipped and kept).
async function firstAdmin (app: FastifyInstance): Promise<void> {
  const created = await app.users.bootstrap()
  if (created === undefined) return
  app.log.warn({ username: created.username }, 'no user existed: created the first admin; its password is printed once on stdout')
  process.stdout.write(`\n  minewatch: first admin created. Log in at /console/ as "${created.username}" with password: ${created.password}\n` +
    '  (shown only now; change it with PUT /v1/users/admin or `npm run users -- set admin --password-stdin`)\n\n')
}

async function stopServices (): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch((err: Error) => log.error({ err }, 'stopping a service failed'))
}

try {
  const deps = await services()
  const tokens = await loadTokens(config.tokensFile, config.dataDir)
  if (tokens.created) log.warn({ file: tokens.file }, 'no MINEWATCH_TOKENS_FILE: created one with random tokens (admin, operator, gateway)')
  const app = await buildApp({ config, ...deps, tokens: tokens.tokens })
  let feed: Feed | undefined
  let closing = false
  closeWithGrace({ delay: 20_000 }, async ({ signal, err }) => {
    closing = true
    if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    // the feed first: it is a client of this server and must not post into a closing app
    await feed?.stop().catch((err: Error) => app.log.error({ err }, 'stopping the demo feed failed'))
    await app.close()
    await stopServices()
  })
  if (bootstrapAdminEnabled(config)) await firstAdmin(app)
  const address = await app.listen({ port: config.port, host: config.host })
  app.log.info({
    http: address,
    questdbHttp: deps.questdb.httpUrl,
    questdbPg: redact(deps.questdb.pgUrl),
    nats: deps.nats.url,
    tokensFile: tokens.file,
    rulesDir: config.rulesDir,
    dataDir: config.dataDir
  }, 'minewatch listening')
  if (demoEnabled(config)) {
    feed = demoFeed(app, tokens.tokens)
    // a feed that cannot start is logged, not fatal: the server itself is fine
    await feed?.start()
      .then(() => app.log.info({ sites: feed?.fleet.sites.map((s) => s.code) }, 'demo feed started'))
      .catch((err: Error) => {
        // a stop during the feed's registration cuts it short: expected, not an error
        if (closing) app.log.debug({ err }, 'demo feed stopped while starting')
        else app.log.error({ err }, 'demo feed failed to start')
      })
  }
} catch (err) {
  log.fatal({ err }, 'minewatch failed to start')
  await stopServices()
  process.exit(1)
}

// Builds the real app against real services for HTTP and integration tests, with known tokens.
import type { FastifyInstance } from 'fastify'
import type { SchedulerLike } from 'rxjs'
import { buildApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/server/config/load.js'
import { parseTokens } from '../../src/server/auth/tokens.js'
import type { Clock } from '../../src/lib/clock.js'
import type { TestLike } from './services.js'

/** TOKENS are the bearer tokens every test app accepts. */
export const TOKENS = Object.freeze({
  admin: 'test-admin-token-0123456789',
  operator: 'test-operator-token-0123456789',
  gateway: 'test-gateway-token-0123456789',
  /** a gateway limited to site OTHER */
  otherGateway: 'test-gateway-other-0123456789',
  /** an operator limited to site OTHER */
  otherOperator: 'test-operator-other-0123456789'
})

const tokensText = JSON.stringify([
  { token: TOKENS.admin, role: 'admin', sites: ['*'] },
  { token: TOKENS.operator, role: 'operator', sites: ['*'] },
  { token: TOKENS.gateway, role: 'gateway', sites: ['*'] },
  { token: TOKENS.otherGateway, role: 'gateway', sites: ['OTHER'] },
  { token: TOKENS.otherOperator, role: 'operator', sites: ['OTHER'] }
])

/** auth gives the Authorization header of a test token. */
export function auth (role: keyof typeof TOKENS): { authorization: string } {
  return { authorization: `Bearer ${TOKENS[role]}` }
}

/** TestAppOptions point the app at services and tune it for a test. */
export interface TestAppOptions {
  qdb: { httpUrl: string, pgUrl: string }
  nats: { url: string }
  /** extra environment (e.g. MINEWATCH_RULES_DIR, MINEWATCH_OFFLINE_CHECK_MS) */
  env?: Record<string, string>
  clock?: Clock
  scheduler?: SchedulerLike
  /** close the app on teardown (default true); a restart test closes it itself */
  autoClose?: boolean
  /** the app's logger (default none): e.g. { level: 'trace', stream } to read what it logs */
  logger?: Record<string, unknown>
  /** runs before ready(), while hooks may still be added (e.g. to observe a request in flight) */
  setup?: (app: FastifyInstance) => void | Promise<void>
}

/** testConfig is the configuration a test app runs with. */
export function testConfig (o: TestAppOptions, dataDir: string): Config {
  return loadConfig({
    LOG_LEVEL: 'warn',
    MINEWATCH_DATA_DIR: dataDir,
    QDB_HTTP: o.qdb.httpUrl,
    QDB_PG: o.qdb.pgUrl,
    NATS_URL: o.nats.url,
    MINEWATCH_FLUSH_INTERVAL_MS: '5',
    // the duty room's deadlines stay out of tests that move virtual time by hours; the tests of deadlines set them
    MINEWATCH_ESCALATION_MAX: '0',
    MINEWATCH_REPAIR_DEADLINE: '3650d',
    ...o.env
  })
}

/** buildTestApp builds and readies the app; it is closed on teardown unless autoClose is false. */
export async function buildTestApp (t: TestLike, o: TestAppOptions, dataDir = '/tmp/minewatch-test-data'): Promise<FastifyInstance> {
  const app = await buildApp({
    config: testConfig(o, dataDir),
    questdb: o.qdb,
    nats: o.nats,
    tokens: parseTokens(tokensText, 'test'),
    logger: o.logger ?? false,
    ...(o.clock === undefined ? {} : { clock: o.clock }),
    ...(o.scheduler === undefined ? {} : { scheduler: o.scheduler })
  })
  await o.setup?.(app)
  await app.ready()
  if (o.autoClose !== false) t.teardown(async () => await app.close())
  return app
}

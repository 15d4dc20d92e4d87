// The root plugin: the register order is the data flow. Infrastructure first (config, schemas, the OpenAPI
// description, which must see every route after it, metrics, errors, storage, messaging, people and auth, audit), then the capabilities (registry, video, personnel, alarms, engine), then
// the routes, and last the console's page.
// Plugins close in reverse order, so the engine stops before alarms drain, and storage closes last.
import Fastify, { type FastifyInstance } from 'fastify'
import type { SchedulerLike } from 'rxjs'
import type { Config } from './server/config/load.js'
import type { Clock } from './lib/clock.js'
import type { Principal } from './server/auth/tokens.js'
import configPlugin from './server/plugins/config.js'
import clockPlugin from './server/plugins/clock.js'
import metricsPlugin from './server/plugins/metrics.js'
import errorsPlugin, { frameworkErrors } from './server/plugins/errors.js'
import schemasPlugin from './server/plugins/schemas.js'
import openapiPlugin from './server/plugins/openapi.js'
import validationPlugin from './server/plugins/validation.js'
import authPlugin from './server/plugins/auth.js'
import questdbPlugin from './server/plugins/questdb.js'
import retentionPlugin from './3-store/retention-plugin.js'
import natsPlugin from './server/plugins/nats.js'
import registryPlugin from './registry/plugin.js'
import videoPlugin from './1-ingest/video/plugin.js'
import alarmsPlugin from './5-alarm/plugin.js'
import maintenancePlugin from './5-alarm/maintenance/plugin.js'
import shelveRequestsPlugin from './5-alarm/shelve-requests.js'
import floodPlugin from './5-alarm/flood/plugin.js'
import floodRoutes from './5-alarm/flood/routes.js'
import enginePlugin from './4-evaluate/plugin.js'
import riskPlugin from './5-alarm/risk/plugin.js'
import evidencePlugin from './5-alarm/evidence/plugin.js'
import evidenceRoutes from './5-alarm/evidence/routes.js'
import riskRoutes from './5-alarm/risk/routes.js'
import feedPlugin from './feed/plugin.js'
import feedRoutes from './feed/routes.js'
import readingsRoutes from './1-ingest/routes.js'
import queryRoutes from './query/routes.js'
import registryRoutes from './registry/routes.js'
import alarmRoutes from './5-alarm/routes.js'
import shelveRoutes from './5-alarm/shelve-routes.js'
import maintenanceRoutes from './5-alarm/maintenance/routes.js'
import rulesRoutes from './4-evaluate/routes.js'
import opsRoutes from './server/ops/routes.js'
import videoRoutes from './1-ingest/video/routes.js'
import personnelPlugin from './1-ingest/personnel/plugin.js'
import usersPlugin from './users/plugin.js'
import userRoutes from './users/routes.js'
import auditPlugin from './audit/plugin.js'
import auditRoutes from './audit/routes.js'
import notifyPlugin from './notify/plugin.js'
import notifyRoutes from './notify/routes.js'
import consolePlugin from './console/plugin.js'
import heartbeatPlugin from './reports/heartbeat.js'
import kpiPlugin from './reports/plugin.js'
import reportRoutes from './reports/routes.js'

/** AppDeps are the resolved addresses and secrets the app runs with, plus test seams. */
export interface AppDeps {
  config: Config
  questdb: { httpUrl: string, pgUrl: string }
  nats: { url: string }
  tokens: Map<string, Principal>
  clock?: Clock
  scheduler?: SchedulerLike
  logger?: boolean | Record<string, unknown>
}

/** buildApp assembles the server; call `ready()` or `listen()` on the result. */
export async function buildApp (deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps
  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel },
    bodyLimit: config.ingest.bodyLimitBytes,
    // A "__proto__" or "constructor.prototype" key is dropped when the body is parsed (so it can pollute nothing),
    // and what is left is validated as usual: the answer names the field, where "not valid JSON" would not.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    frameworkErrors,
    requestTimeout: 60_000,
    keepAliveTimeout: 72_000,
    pluginTimeout: 120_000
  })
  // A connection busy when close starts stays open after its response (keep-alive) and would hold close() for
  // the whole keep-alive timeout: close each one as soon as it is idle, while in-flight requests still finish.
  let reaper: NodeJS.Timeout | undefined
  app.addHook('preClose', async () => { reaper = setInterval(() => app.server.closeIdleConnections(), 50) })
  app.addHook('onClose', async () => { clearInterval(reaper) })
  await app.register(configPlugin, { config })
  await app.register(clockPlugin, deps.clock === undefined ? {} : { clock: deps.clock })
  await app.register(schemasPlugin)
  await app.register(openapiPlugin)
  await app.register(metricsPlugin)
  await app.register(errorsPlugin)
  await app.register(validationPlugin)
  await app.register(questdbPlugin, deps.questdb)
  await app.register(retentionPlugin)
  await app.register(natsPlugin, deps.nats)
  await app.register(usersPlugin)
  await app.register(authPlugin, { tokens: deps.tokens, people: app.users })
  await app.register(auditPlugin)
  await app.register(registryPlugin)
  await app.register(videoPlugin)
  await app.register(personnelPlugin)
  // the alarms wait (storage retries) on the scheduler the engine runs on: a test's virtual one when given
  const time = { ...(deps.clock === undefined ? {} : { clock: deps.clock }), ...(deps.scheduler === undefined ? {} : { scheduler: deps.scheduler }) }
  await app.register(maintenancePlugin)
  await app.register(shelveRequestsPlugin)
  await app.register(alarmsPlugin, time)
  await app.register(enginePlugin, deps.scheduler === undefined ? {} : { scheduler: deps.scheduler })
  await app.register(riskPlugin)
  await app.register(floodPlugin)
  // the live feed reads what the alarm and risk outboxes publish; it closes its connections before anything else
  await app.register(feedPlugin)
  await app.register(evidencePlugin, deps.scheduler === undefined ? {} : { scheduler: deps.scheduler })
  await app.register(notifyPlugin, deps.scheduler === undefined ? {} : { scheduler: deps.scheduler })
  // minewatch's own heartbeat and the KPI report with its daily rows (docs/kpi.md)
  await app.register(heartbeatPlugin, deps.scheduler === undefined ? {} : { scheduler: deps.scheduler })
  await app.register(kpiPlugin)
  await app.register(opsRoutes)
  await app.register(userRoutes)
  await app.register(auditRoutes)
  await app.register(readingsRoutes)
  await app.register(queryRoutes)
  await app.register(registryRoutes)
  await app.register(alarmRoutes)
  await app.register(shelveRoutes)
  await app.register(maintenanceRoutes)
  await app.register(floodRoutes)
  await app.register(evidenceRoutes)
  await app.register(riskRoutes)
  await app.register(feedRoutes)
  await app.register(rulesRoutes)
  await app.register(videoRoutes)
  await app.register(notifyRoutes)
  await app.register(reportRoutes)
  await app.register(consolePlugin)
  return app
}

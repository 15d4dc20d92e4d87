// The only place that reads process.env: validate once, default, derive, freeze.
import { join, resolve } from 'node:path'
import envSchemaLoad from 'env-schema'
import cron from 'node-cron'
import { envSchema } from './schema.js'
import { InvalidConfig } from '../errors/catalogue.js'
import { parseDuration } from '../../lib/duration.js'
import { firstNonFinite } from '../../2-validate/ajv.js'
import { projectRoot } from '../../3-store/paths.js'

/** DemoScenario is what the demo feed plays: scenario names (checked against the list by the feed) and when. */
export interface DemoScenario {
  names: readonly string[]
  /** how long after the feed starts the scenarios do */
  atMs: number
}

/** Config is everything minewatch is told by its environment, validated and frozen. */
export interface Config {
  port: number
  host: string
  logLevel: string
  /** QuestDB addresses; undefined means "start an embedded instance". */
  questdb: { http?: string, pg?: string, version: string, retryTimeoutMs: number, requestTimeoutMs: number }
  /** NATS address; undefined means "start an embedded nats-server". */
  nats: { url?: string, stream: string, duplicateWindowS: number }
  dataDir: string
  tokensFile?: string
  rulesDir: string
  /** run the simulated demo feed in-process: true/false as set, undefined = on when both services are embedded */
  demo: boolean | undefined
  /** MINEWATCH_DEMO_SCENARIO(_AT); undefined: the demo feed runs clean */
  demoScenario: DemoScenario | undefined
  ingest: {
    bodyLimitBytes: number
    maxBatchItems: number
    maxFutureSkewMs: number
    rawRetentionMs: number
  }
  store: { flushIntervalMs: number, flushRows: number, maxPendingRows: number }
  engine: { lateAfterMs: number, offlineCheckMs: number, rulesReloadCron: string, republishDays: number, restoreLookbackMs: number }
  /** composite site risk (src/5-alarm/risk, docs/risk.md) */
  risk: { stream: string, step: number, hysteresis: number, multiSourceBonus: number, historyPerSite: number }
  /** retention (src/3-store/retention.ts): days per kind of table (0: kept), the view's months, the daily schedule */
  retention: { rawDays: number, statsMonths: number, positionsDays: number, heartbeatDays: number, eventsDays: number, alarmDays: number, cron: string, alarmStreamMaxAgeMs: number }
  /** the live feed GET /v1/stream (src/feed): the heartbeat period, and how often a stream checks its caller again */
  feed: { heartbeatMs: number, recheckMs: number, maxPerCaller: number }
  /** the duty room's deadlines (src/5-alarm/deadlines.ts) and the longest shelf */
  deadlines: { responseMs: { red: number, orange: number, yellow: number, blue: number }, repairMs: number, maxEscalations: number, shelveMaxMs: number, maintenanceMaxMs: number }
  flood: { windowMs: number, threshold: number }
  /** evidence fixing (src/5-alarm/evidence): readings from raise - beforeMs to raise + afterMs, fixed settleMs after that */
  evidence: { beforeMs: number, afterMs: number, settleMs: number }
  /** named users and their sessions (src/users) */
  people: { sessionTtlMs: number, maxFailures: number, lockoutMs: number, cookieSecure: boolean, bootstrapAdmin: boolean | undefined }
  /** notifications to people (src/notify, docs/access-standard-v1.zh.md A.16) */
  notify: NotifyConfig
  /** the duty-room console (src/console): the folder of its built files */
  console: { dir: string }
  /** the KPI report (src/reports, docs/kpi.md): heartbeat period, the daily job's schedule and the zone of its days */
  kpi: { heartbeatMs: number, dailyCron: string, timezone: string }
}

/** NotifyConfig is config.notify; smtp is undefined when MINEWATCH_SMTP_URL is not set (no e-mail). */
export interface NotifyConfig {
  stream: string
  /** 0: no repeats */
  repeatMs: number
  maxAttempts: number
  retryMinMs: number
  retryMaxMs: number
  timeoutMs: number
  maxAgeMs: number
  timezone: string
  smtp: { url: string, from: string } | undefined
  publicUrl: string | undefined
}

type Env = Record<string, string | undefined>

/** loadConfig validates the environment (process.env unless given) and returns a frozen Config. */
export function loadConfig (env: Env = process.env, cwd = process.cwd()): Config {
  let e: Record<string, any>
  try {
    e = envSchemaLoad({ schema: envSchema, data: env, env: false, dotenv: false })
  } catch (err) {
    throw new InvalidConfig((err as Error).message, { cause: err })
  }
  // Ajv coerces "1e309" to Infinity after checking the type: no number of the configuration may be infinite.
  const infinite = firstNonFinite(e)
  if (infinite !== null) throw new InvalidConfig(`env${infinite} must be a finite number`)
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    questdb: {
      http: e.QDB_HTTP,
      pg: e.QDB_PG,
      version: e.QDB_VERSION,
      retryTimeoutMs: e.MINEWATCH_QDB_RETRY_TIMEOUT_MS,
      requestTimeoutMs: e.MINEWATCH_QDB_REQUEST_TIMEOUT_MS
    },
    nats: { url: e.NATS_URL, stream: e.MINEWATCH_ALARM_STREAM, duplicateWindowS: e.MINEWATCH_DUPLICATE_WINDOW_S },
    dataDir: resolve(cwd, e.MINEWATCH_DATA_DIR),
    tokensFile: e.MINEWATCH_TOKENS_FILE === undefined ? undefined : resolve(cwd, e.MINEWATCH_TOKENS_FILE),
    rulesDir: resolve(cwd, e.MINEWATCH_RULES_DIR),
    demo: e.MINEWATCH_DEMO,
    demoScenario: demoScenarioOf(e.MINEWATCH_DEMO_SCENARIO, e.MINEWATCH_DEMO_SCENARIO_AT),
    ingest: {
      bodyLimitBytes: e.MINEWATCH_BODY_LIMIT_BYTES,
      maxBatchItems: e.MINEWATCH_MAX_BATCH_ITEMS,
      maxFutureSkewMs: e.MINEWATCH_MAX_FUTURE_SKEW_S * 1000,
      rawRetentionMs: e.MINEWATCH_RAW_RETENTION_DAYS * 86_400_000
    },
    store: {
      flushIntervalMs: e.MINEWATCH_FLUSH_INTERVAL_MS,
      flushRows: e.MINEWATCH_FLUSH_ROWS,
      maxPendingRows: e.MINEWATCH_MAX_PENDING_ROWS
    },
    engine: {
      lateAfterMs: e.MINEWATCH_LATE_AFTER_S * 1000,
      offlineCheckMs: e.MINEWATCH_OFFLINE_CHECK_MS,
      rulesReloadCron: e.MINEWATCH_RULES_RELOAD_CRON,
      republishDays: e.MINEWATCH_REPUBLISH_DAYS,
      restoreLookbackMs: e.MINEWATCH_RESTORE_LOOKBACK_S * 1000
    },
    risk: {
      stream: e.MINEWATCH_RISK_STREAM,
      step: e.MINEWATCH_RISK_STEP,
      hysteresis: e.MINEWATCH_RISK_HYSTERESIS,
      multiSourceBonus: e.MINEWATCH_RISK_MULTI_SOURCE_BONUS,
      historyPerSite: e.MINEWATCH_RISK_HISTORY_PER_SITE
    },
    retention: retentionOf(e),
    feed: { heartbeatMs: e.MINEWATCH_STREAM_HEARTBEAT_S * 1000, recheckMs: e.MINEWATCH_STREAM_RECHECK_S * 1000, maxPerCaller: e.MINEWATCH_STREAM_MAX_PER_CALLER },
    deadlines: {
      responseMs: {
        red: durationOf(e.MINEWATCH_RESPONSE_DEADLINE_RED, 'MINEWATCH_RESPONSE_DEADLINE_RED'),
        orange: durationOf(e.MINEWATCH_RESPONSE_DEADLINE_ORANGE, 'MINEWATCH_RESPONSE_DEADLINE_ORANGE'),
        yellow: durationOf(e.MINEWATCH_RESPONSE_DEADLINE_YELLOW, 'MINEWATCH_RESPONSE_DEADLINE_YELLOW'),
        blue: durationOf(e.MINEWATCH_RESPONSE_DEADLINE_BLUE, 'MINEWATCH_RESPONSE_DEADLINE_BLUE')
      },
      repairMs: durationOf(e.MINEWATCH_REPAIR_DEADLINE, 'MINEWATCH_REPAIR_DEADLINE'),
      maxEscalations: e.MINEWATCH_ESCALATION_MAX,
      shelveMaxMs: durationOf(e.MINEWATCH_SHELVE_MAX, 'MINEWATCH_SHELVE_MAX'),
      maintenanceMaxMs: durationOf(e.MINEWATCH_MAINTENANCE_MAX, 'MINEWATCH_MAINTENANCE_MAX')
    },
    flood: { windowMs: durationOf(e.MINEWATCH_FLOOD_WINDOW, 'MINEWATCH_FLOOD_WINDOW'), threshold: e.MINEWATCH_FLOOD_THRESHOLD },
    evidence: {
      beforeMs: durationOf(e.MINEWATCH_EVIDENCE_BEFORE, 'MINEWATCH_EVIDENCE_BEFORE'),
      afterMs: durationOf(e.MINEWATCH_EVIDENCE_AFTER, 'MINEWATCH_EVIDENCE_AFTER'),
      settleMs: durationOf(e.MINEWATCH_EVIDENCE_SETTLE, 'MINEWATCH_EVIDENCE_SETTLE')
    },
    people: {
      sessionTtlMs: durationOf(e.MINEWATCH_SESSION_TTL, 'MINEWATCH_SESSION_TTL'),
      maxFailures: e.MINEWATCH_LOGIN_MAX_FAILURES,
      lockoutMs: durationOf(e.MINEWATCH_LOGIN_LOCKOUT, 'MINEWATCH_LOGIN_LOCKOUT'),
      cookieSecure: e.MINEWATCH_COOKIE_SECURE,
      bootstrapAdmin: e.MINEWATCH_BOOTSTRAP_ADMIN
    },
    notify: {
      stream: e.MINEWATCH_NOTIFY_STREAM,
      repeatMs: durationOf(e.MINEWATCH_NOTIFY_REPEAT, 'MINEWATCH_NOTIFY_REPEAT'),
      maxAttempts: e.MINEWATCH_NOTIFY_MAX_ATTEMPTS,
      retryMinMs: durationOf(e.MINEWATCH_NOTIFY_RETRY_MIN, 'MINEWATCH_NOTIFY_RETRY_MIN'),
      retryMaxMs: durationOf(e.MINEWATCH_NOTIFY_RETRY_MAX, 'MINEWATCH_NOTIFY_RETRY_MAX'),
      timeoutMs: durationOf(e.MINEWATCH_NOTIFY_TIMEOUT, 'MINEWATCH_NOTIFY_TIMEOUT'),
      maxAgeMs: durationOf(e.MINEWATCH_NOTIFY_MAX_AGE, 'MINEWATCH_NOTIFY_MAX_AGE'),
      timezone: timezoneOf(e.MINEWATCH_ROSTER_TZ, 'MINEWATCH_ROSTER_TZ'),
      smtp: e.MINEWATCH_SMTP_URL === undefined ? undefined : { url: e.MINEWATCH_SMTP_URL, from: e.MINEWATCH_SMTP_FROM },
      publicUrl: e.MINEWATCH_PUBLIC_URL
    },
    console: {
      dir: e.MINEWATCH_CONSOLE_DIR === undefined ? join(projectRoot(), 'dist', 'console') : resolve(cwd, e.MINEWATCH_CONSOLE_DIR)
    },
    kpi: {
      heartbeatMs: e.MINEWATCH_SERVER_HEARTBEAT_S * 1000,
      dailyCron: cronOf(e.MINEWATCH_KPI_CRON, 'MINEWATCH_KPI_CRON'),
      timezone: timezoneOf(e.MINEWATCH_KPI_TZ, 'MINEWATCH_KPI_TZ')
    }
  }
  return deepFreeze(config)
}

/**
 * checkServerQuestDb refuses a configuration the server cannot run with: it writes over QDB_HTTP and reads over
 * QDB_PG, so both are set or neither (the embedded QuestDB). Tools that only read (migrate, backtest) need QDB_PG alone.
 */
export function checkServerQuestDb (config: Pick<Config, 'questdb'>): void {
  if ((config.questdb.http === undefined) !== (config.questdb.pg === undefined)) {
    throw new InvalidConfig('QDB_HTTP and QDB_PG must be set together (or neither, for the embedded QuestDB)')
  }
}

/**
 * demoEnabled tells whether `npm start` runs the simulated demo feed: as MINEWATCH_DEMO says, or, when it is
 * unset, only for the embedded default (QuestDB and NATS both embedded), never against configured services.
 */
export function demoEnabled (config: Pick<Config, 'demo' | 'questdb' | 'nats'>): boolean {
  return config.demo ?? (config.questdb.http === undefined && config.nats.url === undefined)
}

// The schema has checked the form; a duration too long to count is refused here. A bare number is seconds.
function durationOf (text: string, name: string): number {
  try {
    return parseDuration(text, { bare: 's', what: `env/${name}` })
  } catch (err) {
    throw new InvalidConfig((err as Error).message, { cause: err })
  }
}

// The alarm stream keeps what subscribers catch up from and what a restart republishes: it must outlive both the
// duplicate window (NATS refuses a shorter max age) and the republish look-back.
function retentionOf (e: Record<string, any>): Config['retention'] {
  const alarmStreamMaxAgeMs = durationOf(String(e.MINEWATCH_ALARM_STREAM_MAX_AGE), 'MINEWATCH_ALARM_STREAM_MAX_AGE')
  const floor = Math.max(Number(e.MINEWATCH_DUPLICATE_WINDOW_S) * 1000, Number(e.MINEWATCH_REPUBLISH_DAYS) * 86_400_000)
  if (alarmStreamMaxAgeMs < floor) throw new InvalidConfig(`env/MINEWATCH_ALARM_STREAM_MAX_AGE must be at least the duplicate window and MINEWATCH_REPUBLISH_DAYS (${floor / 86_400_000} days)`)
  const alarmDays = Number(e.MINEWATCH_ALARM_RETENTION_DAYS)
  if (alarmDays > 0 && alarmDays < 365) throw new InvalidConfig('env/MINEWATCH_ALARM_RETENTION_DAYS must be 0 (kept for good) or at least 365 (alarms are kept ≥ 1 year)')
  const schedule = cronOf(String(e.MINEWATCH_RETENTION_CRON), 'MINEWATCH_RETENTION_CRON')
  return {
    rawDays: Number(e.MINEWATCH_RAW_RETENTION_DAYS),
    statsMonths: Number(e.MINEWATCH_STATS_RETENTION_MONTHS),
    positionsDays: Number(e.MINEWATCH_POSITIONS_RETENTION_DAYS),
    heartbeatDays: Number(e.MINEWATCH_HEARTBEAT_RETENTION_DAYS),
    eventsDays: Number(e.MINEWATCH_EVENTS_RETENTION_DAYS),
    alarmDays,
    cron: schedule,
    alarmStreamMaxAgeMs
  }
}

// An unknown zone would only show when the first alarm is notified (or the first daily KPI run): refuse it at start.
function timezoneOf (tz: string, name: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz }).format(0)
  } catch {
    throw new InvalidConfig(`env/${name} "${tz}" is not a known IANA time zone`)
  }
  return tz
}

// A schedule node-cron cannot read would only fail when the job is scheduled: refuse it at start.
function cronOf (expression: string, name: string): string {
  if (!cron.validate(expression)) throw new InvalidConfig(`env/${name} "${expression}" is not a cron expression (e.g. "5 0 * * *": 00:05 every day)`)
  return expression
}

/** bootstrapAdminEnabled tells whether the first admin is created when no user exists (default: embedded only). */
export function bootstrapAdminEnabled (config: Pick<Config, 'people' | 'questdb' | 'nats'>): boolean {
  return config.people.bootstrapAdmin ?? (config.questdb.http === undefined && config.nats.url === undefined)
}

// The schema has checked both forms (only a duration too long to count is left to refuse); a blank list, or
// only commas, means no scenario.
function demoScenarioOf (list: string | undefined, at: string): DemoScenario | undefined {
  let atMs: number
  try {
    atMs = parseDuration(at, { bare: 's', what: 'env/MINEWATCH_DEMO_SCENARIO_AT' })
  } catch (err) {
    throw new InvalidConfig((err as Error).message, { cause: err })
  }
  const names = [...new Set((list ?? '').split(',').map((n) => n.trim()).filter((n) => n !== ''))]
  return names.length === 0 ? undefined : { names, atMs }
}

function deepFreeze<T> (o: T): T {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}

// The environment minewatch reads, as a JSON Schema: names, types, defaults and bounds in one place.
// Spec section 8 fixes PORT, QDB_HTTP, QDB_PG, NATS_URL, MINEWATCH_TOKENS_FILE and MINEWATCH_RULES_DIR;
// the rest are ours.
import { ANY_DURATION_PATTERN } from '../../lib/duration.js'

// Scenario names by their form only: an unknown but well-formed name leaves the server up, logged by the demo
// feed (which knows the scenarios), rather than refusing to start over a demo.
const SCENARIO_NAME = '[a-z0-9][a-z0-9-]*'

export const envSchema = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
    HOST: { type: 'string', default: '0.0.0.0' },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },

    QDB_HTTP: { type: 'string', pattern: '^https?://' },
    QDB_PG: { type: 'string', pattern: '^postgres(ql)?://' },
    QDB_VERSION: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$', default: '9.3.4' },
    NATS_URL: { type: 'string', pattern: '^(nats|tls)://' },

    MINEWATCH_DATA_DIR: { type: 'string', default: 'data' },
    MINEWATCH_TOKENS_FILE: { type: 'string' },
    MINEWATCH_RULES_DIR: { type: 'string', default: 'rules' },
    // no default: unset means "on for the embedded default (QuestDB and NATS both embedded), else off"
    MINEWATCH_DEMO: { type: 'boolean' },
    // the demo feed's scenarios (comma-separated, blank: none) and when they start after the feed, a bare number in seconds
    MINEWATCH_DEMO_SCENARIO: { type: 'string', pattern: `^\\s*(${SCENARIO_NAME})?\\s*(,\\s*(${SCENARIO_NAME})?\\s*)*$` },
    MINEWATCH_DEMO_SCENARIO_AT: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '5m' },

    MINEWATCH_BODY_LIMIT_BYTES: { type: 'integer', minimum: 1024, default: 5 * 1024 * 1024 },
    MINEWATCH_MAX_BATCH_ITEMS: { type: 'integer', minimum: 1, default: 10000 },
    MINEWATCH_MAX_FUTURE_SKEW_S: { type: 'integer', minimum: 0, default: 300 },
    // retention (src/3-store/retention.ts), with the standards' minimums (domain-standards DQ-7, HC-3): raw readings
    // ≥ 30 days (hazchem; coal important points ≥ 7), 5-minute statistics and events ≥ 1 year; tailings readings are
    // archived before their raw partitions go; alarm transitions kept unless a retention is set (then ≥ 1 year, and
    // every drop is logged); evidence and audit are never dropped
    MINEWATCH_RAW_RETENTION_DAYS: { type: 'integer', minimum: 30, maximum: 36500, default: 90 },
    MINEWATCH_STATS_RETENTION_MONTHS: { type: 'integer', minimum: 12, maximum: 1200, default: 24 },
    MINEWATCH_POSITIONS_RETENTION_DAYS: { type: 'integer', minimum: 30, maximum: 36500, default: 90 },
    MINEWATCH_HEARTBEAT_RETENTION_DAYS: { type: 'integer', minimum: 30, maximum: 36500, default: 90 },
    MINEWATCH_EVENTS_RETENTION_DAYS: { type: 'integer', minimum: 365, maximum: 36500, default: 730 },
    MINEWATCH_ALARM_RETENTION_DAYS: { type: 'integer', minimum: 0, maximum: 36500, default: 0 },
    MINEWATCH_RETENTION_CRON: { type: 'string', minLength: 9, maxLength: 100, default: '30 3 * * *' },
    MINEWATCH_ALARM_STREAM_MAX_AGE: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '90d' },
    MINEWATCH_LATE_AFTER_S: { type: 'integer', minimum: 1, default: 60 },

    MINEWATCH_FLUSH_INTERVAL_MS: { type: 'integer', minimum: 1, default: 50 },
    MINEWATCH_FLUSH_ROWS: { type: 'integer', minimum: 1, default: 50000 },
    MINEWATCH_MAX_PENDING_ROWS: { type: 'integer', minimum: 1000, default: 1000000 },
    MINEWATCH_QDB_RETRY_TIMEOUT_MS: { type: 'integer', minimum: 0, default: 3000 },
    MINEWATCH_QDB_REQUEST_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 10000 },

    MINEWATCH_OFFLINE_CHECK_MS: { type: 'integer', minimum: 100, default: 5000 },
    MINEWATCH_RULES_RELOAD_CRON: { type: 'string', default: '*/30 * * * * *' },
    MINEWATCH_ALARM_STREAM: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', default: 'MINEWATCH_ALARMS' },
    MINEWATCH_DUPLICATE_WINDOW_S: { type: 'integer', minimum: 1, default: 86400 },
    MINEWATCH_REPUBLISH_DAYS: { type: 'integer', minimum: 1, default: 7 },
    MINEWATCH_RESTORE_LOOKBACK_S: { type: 'integer', minimum: 0, default: 900 },

    // composite site risk (docs/risk.md): its stream, the score move worth a message without a level change,
    // the hysteresis of its levels and the multi-source bonus; configurable defaults (unverified)
    MINEWATCH_RISK_STREAM: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', default: 'MINEWATCH_RISK' },
    MINEWATCH_RISK_STEP: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 5 },
    MINEWATCH_RISK_HYSTERESIS: { type: 'number', minimum: 0, maximum: 10, default: 3 },
    MINEWATCH_RISK_MULTI_SOURCE_BONUS: { type: 'number', minimum: 0, maximum: 1, default: 0.25 },
    MINEWATCH_RISK_HISTORY_PER_SITE: { type: 'integer', minimum: 1, default: 1000 },

    // the live feed GET /v1/stream (src/feed): seconds between SSE comment lines that keep proxies from closing it
    MINEWATCH_STREAM_HEARTBEAT_S: { type: 'integer', minimum: 1, maximum: 3600, default: 15 },
    // …and how often an open feed checks its caller again: a logout, a disabled account or a narrower scope
    // ends or narrows a stream within this many seconds
    MINEWATCH_STREAM_RECHECK_S: { type: 'integer', minimum: 1, maximum: 3600, default: 10 },
    // …and how many feeds one caller (a person or a token) may hold open at once (each holds two consumers)
    MINEWATCH_STREAM_MAX_PER_CALLER: { type: 'integer', minimum: 1, maximum: 1000, default: 8 },

    // the duty room's deadlines (src/5-alarm/deadlines.ts): acknowledge within (per level), close within, escalate
    // at most so many times; the longest shelf. Defaults from the forms: response ≤ 60 min, red within minutes, repair ≤ 24 h
    MINEWATCH_RESPONSE_DEADLINE_RED: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '5m' },
    MINEWATCH_RESPONSE_DEADLINE_ORANGE: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '15m' },
    MINEWATCH_RESPONSE_DEADLINE_YELLOW: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '30m' },
    MINEWATCH_RESPONSE_DEADLINE_BLUE: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '60m' },
    MINEWATCH_REPAIR_DEADLINE: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '24h' },
    MINEWATCH_ESCALATION_MAX: { type: 'integer', minimum: 0, maximum: 20, default: 3 },
    MINEWATCH_SHELVE_MAX: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '8h' },
    MINEWATCH_MAINTENANCE_MAX: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '72h' },
    // the flood indicator (EEMUA 191: more than 10 alarms in 10 min is more than an operator can handle)
    MINEWATCH_FLOOD_WINDOW: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '10m' },
    MINEWATCH_FLOOD_THRESHOLD: { type: 'integer', minimum: 1, maximum: 100000, default: 10 },

    // evidence fixing (src/5-alarm/evidence, docs/evidence.md): the readings window around an alarm's raise, and how
    // long after its end the record waits for late data before it is fixed
    MINEWATCH_EVIDENCE_BEFORE: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '30m' },
    MINEWATCH_EVIDENCE_AFTER: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '10m' },
    MINEWATCH_EVIDENCE_SETTLE: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '1m' },

    // people (src/users): how long a login lasts, and the lockout after repeated failed logins
    MINEWATCH_SESSION_TTL: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '12h' },
    MINEWATCH_LOGIN_MAX_FAILURES: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
    MINEWATCH_LOGIN_LOCKOUT: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '15m' },
    // mark the session cookie Secure (set it when minewatch is served over HTTPS, directly or behind a proxy)
    MINEWATCH_COOKIE_SECURE: { type: 'boolean', default: false },
    // create the first admin (password printed once) when no user exists; unset: only on the embedded default
    MINEWATCH_BOOTSTRAP_ADMIN: { type: 'boolean' },

    // notifications to people (src/notify): the job stream, repeats while unacknowledged (0: none), delivery
    // retries, the zone of the rosters' shift times, SMTP for e-mail, and the console's address for links
    MINEWATCH_NOTIFY_STREAM: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', default: 'MINEWATCH_NOTIFY' },
    MINEWATCH_NOTIFY_REPEAT: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '15m' },
    MINEWATCH_NOTIFY_MAX_ATTEMPTS: { type: 'integer', minimum: 1, maximum: 100, default: 8 },
    MINEWATCH_NOTIFY_RETRY_MIN: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '10s' },
    MINEWATCH_NOTIFY_RETRY_MAX: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '10m' },
    MINEWATCH_NOTIFY_TIMEOUT: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '10s' },
    MINEWATCH_NOTIFY_MAX_AGE: { type: 'string', pattern: ANY_DURATION_PATTERN, default: '1d' },
    MINEWATCH_ROSTER_TZ: { type: 'string', minLength: 1, default: 'Asia/Shanghai' },
    MINEWATCH_SMTP_URL: { type: 'string', pattern: '^smtps?://' },
    MINEWATCH_SMTP_FROM: { type: 'string', minLength: 3, default: 'minewatch <minewatch@localhost>' },
    MINEWATCH_PUBLIC_URL: { type: 'string', pattern: '^https?://[^\\s]+$' },
    // the duty-room console (src/console): where its built files are; unset: dist/console of this checkout
    MINEWATCH_CONSOLE_DIR: { type: 'string' },

    // the KPI report (src/reports, docs/kpi.md): the server's own heartbeat row every so many seconds (system
    // availability), when the daily job writes yesterday's row per site into kpi_daily, and the zone of its days
    MINEWATCH_SERVER_HEARTBEAT_S: { type: 'integer', minimum: 1, maximum: 3600, default: 60 },
    MINEWATCH_KPI_CRON: { type: 'string', minLength: 1, default: '5 0 * * *' },
    MINEWATCH_KPI_TZ: { type: 'string', minLength: 1, default: 'Asia/Shanghai' }
  }
} as const

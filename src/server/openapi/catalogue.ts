// What the OpenAPI description says of each route beyond its schemas: the area it belongs to (tag), a one-line
// summary, and for the few routes that answer other than JSON, what they answer. Routes stay as they are: a route
// may still carry its own `schema.summary` or `schema.tags`, which win over these.

/** TAGS are the areas of the API, in the order the description lists them. */
export const TAGS = [
  { name: 'readings', description: 'Readings (物联监测数据): batches from gateways, the stored readings of a point and their 5-minute statistics.' },
  { name: 'sites & points', description: 'The registry (基础信息管理): sites with their status timeline, point definitions (测点定义) and the link state of a site.' },
  { name: 'personnel', description: 'Personnel positioning (人员定位): snapshots of everyone underground and SOS events.' },
  { name: 'video', description: 'Video (视频智能辅助监管): channels, heartbeats and AI recognition results (AI视频识别).' },
  { name: 'alarms', description: 'Alarm handling (报警处置): the alarm list, one alarm with its history, acknowledge, dispatch, close; the alarm-flood indicator.' },
  { name: 'shelving & maintenance', description: 'Shelving (搁置) with a second person for red alarms, and maintenance windows (检修/标校).' },
  { name: 'feed', description: 'The live feed (实时推送): Server-Sent Events of alarm and risk messages.' },
  { name: 'evidence', description: 'Evidence records (证据固定) of alarms, as JSON or a zip.' },
  { name: 'risk', description: 'Composite site risk (综合风险).' },
  { name: 'rules', description: 'The rules the engine runs, their health, and a reload.' },
  { name: 'users & audit', description: 'Sessions and named users (值班人员), the audit trail (审计) and the console mute.' },
  { name: 'notifications', description: 'Duty rosters (值班表) and the delivery record of alarm notifications (通知).' },
  { name: 'reports', description: 'Reports (报表): the KPI figures of the self-evaluation forms (绩效自评表).' },
  { name: 'ops', description: 'Operations (运维): liveness, readiness and Prometheus metrics.' }
] as const

/** Tag names an area of TAGS. */
export type Tag = typeof TAGS[number]['name']

// First match wins: the more specific prefixes come first. Paths are Fastify's (":param").
const TAG_BY_PREFIX: ReadonlyArray<[RegExp, Tag]> = [
  [/^\/v1\/sites\/:siteCode\/points\/:pointCode\/(readings|stats)$/, 'readings'],
  [/^\/v1\/readings$/, 'readings'],
  [/^\/v1\/sites\/:siteCode\/personnel/, 'personnel'],
  [/^\/v1\/(sites\/:siteCode\/)?video\//, 'video'],
  [/^\/v1\/sites\/:siteCode\/maintenance$/, 'shelving & maintenance'],
  [/^\/v1\/sites\/:siteCode\/risk$/, 'risk'],
  [/^\/v1\/sites\/:siteCode\/roster$/, 'notifications'],
  [/^\/v1\/sites(\/|$)/, 'sites & points'],
  [/^\/v1\/alarms\/:alarmId\/(shelve|unshelve)/, 'shelving & maintenance'],
  [/^\/v1\/(shelve-requests|maintenance)(\/|$)/, 'shelving & maintenance'],
  [/^\/v1\/alarms\/:alarmId\/evidence$/, 'evidence'],
  [/^\/v1\/alarms\/:alarmId\/notifications$/, 'notifications'],
  [/^\/v1\/(alarms|floods)(\/|$)/, 'alarms'],
  [/^\/v1\/stream$/, 'feed'],
  [/^\/v1\/risk$/, 'risk'],
  [/^\/v1\/rules(\/|$)/, 'rules'],
  [/^\/v1\/(session|users|audit|console)(\/|$)/, 'users & audit'],
  [/^\/v1\/reports\//, 'reports'],
  [/^\/(health|ready|metrics)$/, 'ops']
]

/** tagOf names the area of a route by its URL, or undefined for a URL no area claims. */
export function tagOf (url: string): Tag | undefined {
  return TAG_BY_PREFIX.find(([prefix]) => prefix.test(url))?.[1]
}

/** SUMMARIES give the one-line summary of each operation, by "METHOD url" (Fastify's url, ":param"). */
export const SUMMARIES: Readonly<Record<string, string>> = {
  'POST /v1/readings': 'Post a batch of readings (物联监测数据)',
  'GET /v1/sites/:siteCode/points/:pointCode/readings': 'Stored readings of a point, in time order',
  'GET /v1/sites/:siteCode/points/:pointCode/stats': '5-minute statistics of a point (max/min/mean, DQ-8)',

  'GET /v1/sites': 'List the sites the caller may see',
  'PUT /v1/sites/:siteCode': 'Create or replace a site (矿山)',
  'GET /v1/sites/:siteCode': 'A site with its status timeline',
  'POST /v1/sites/:siteCode/status': 'Record a status change of a site (停产整顿, 检修…)',
  'PUT /v1/sites/:siteCode/points': 'Replace the point definitions of a site (测点定义)',
  'GET /v1/sites/:siteCode/points': 'The point definitions of a site',
  'GET /v1/sites/:siteCode/link': 'Link state of a site and each of its points (联网状态)',

  'POST /v1/sites/:siteCode/personnel': 'Post a snapshot of everyone underground (人员定位)',
  'POST /v1/sites/:siteCode/personnel/events': 'Post a personnel event (SOS)',
  'GET /v1/sites/:siteCode/personnel': 'The latest personnel snapshot of a site',

  'PUT /v1/sites/:siteCode/video/channels': 'Replace the video channels of a site (视频通道)',
  'GET /v1/sites/:siteCode/video/channels': 'The video channels of a site',
  'POST /v1/video/heartbeats': 'Post video channel states (heartbeats)',
  'POST /v1/video/events': 'Post a batch of AI recognition results (AI视频识别)',
  'GET /v1/sites/:siteCode/video/events': 'Stored AI events of a site, in time order',

  'GET /v1/alarms': 'List alarms with their current state',
  'GET /v1/alarms/:alarmId': 'An alarm with its transition history',
  'POST /v1/alarms/:alarmId/ack': 'Acknowledge an alarm (确认)',
  'POST /v1/alarms/:alarmId/dispatch': 'Dispatch an alarm for on-site verification (派发现场核查)',
  'POST /v1/alarms/:alarmId/close': 'Close an alarm with a disposition (关闭)',
  'GET /v1/floods': 'Alarm-flood indicator per site (报警泛滥, EEMUA 191)',

  'POST /v1/alarms/:alarmId/shelve': 'Shelve an alarm (搁置); a red one waits for a supervisor',
  'POST /v1/alarms/:alarmId/shelve/approve': 'Approve the shelve request of a red alarm (second person)',
  'POST /v1/alarms/:alarmId/unshelve': 'Take an alarm off the shelf early',
  'GET /v1/shelve-requests': 'Shelve requests waiting for approval',
  'POST /v1/sites/:siteCode/maintenance': 'Open a maintenance window (检修/标校) for a site or some points',
  'GET /v1/maintenance': 'List maintenance windows',
  'DELETE /v1/maintenance/:id': 'End a maintenance window early',
  'POST /v1/maintenance/:id/approve': 'Approve a window holding red alarms (the second supervisor)',

  'GET /v1/stream': 'Live feed of alarm and risk messages (Server-Sent Events, 实时推送)',

  'GET /v1/alarms/:alarmId/evidence': 'The fixed evidence record of an alarm (证据固定), JSON or zip',

  'GET /v1/sites/:siteCode/risk': 'Composite risk of a site (综合风险)',
  'GET /v1/risk': 'Composite risk of every site the caller may see',

  'GET /v1/rules': 'The rules with their source, version and health',
  'POST /v1/rules/reload': 'Re-read the rules folder now',

  'POST /v1/session': 'Log in (session cookie and bearer token)',
  'GET /v1/session': 'Who am I: the caller\'s user or token',
  'DELETE /v1/session': 'Log out',
  'GET /v1/users': 'List named users (值班人员)',
  'GET /v1/users/:username': 'A named user',
  'PUT /v1/users/:username': 'Create or change a named user',
  'GET /v1/audit': 'The audit trail (审计)',
  'POST /v1/console/mute': 'Mute a console\'s alarm sound (audited)',
  'DELETE /v1/console/mute': 'End a console mute early (audited)',

  'GET /v1/sites/:siteCode/roster': 'The duty roster of a site (值班表); robot secrets as ******',
  'PUT /v1/sites/:siteCode/roster': 'Replace the duty roster of a site',
  'GET /v1/alarms/:alarmId/notifications': 'Delivery record of an alarm\'s notifications (通知)',

  'GET /health': 'Liveness: the process answers',
  'GET /ready': 'Readiness: QuestDB takes reads and writes, NATS is connected',
  'GET /metrics': 'Prometheus metrics (text exposition format)'
}

const V1 = 'https://minewatch.example/schemas/v1/'

/**
 * BODIES name the contract schema of the bodies whose items a route counts and then validates one by one (its own
 * body schema is only the envelope, so that a long list of bad items costs linear time): the description shows the
 * whole contract schema, which is what the items are validated against.
 */
export const BODIES: Readonly<Record<string, { $ref: string, note: string }>> = {
  'POST /v1/readings': { $ref: `${V1}readings.json`, note: batch('readings') },
  'POST /v1/video/heartbeats': { $ref: `${V1}video.json#/definitions/Heartbeats`, note: batch('channel states') },
  'POST /v1/video/events': { $ref: `${V1}video.json#/definitions/EventBatch`, note: batch('events') },
  'POST /v1/sites/:siteCode/personnel': {
    $ref: `${V1}personnel.json#/definitions/Snapshot`,
    note: 'The people are counted, then each is validated on its own; one bad person refuses the snapshot (400 naming it). 200 only once stored.'
  },
  'PUT /v1/sites/:siteCode/points': { $ref: `${V1}points.json`, note: list('points') },
  'PUT /v1/sites/:siteCode/video/channels': { $ref: `${V1}video.json#/definitions/Channels`, note: list('channels') }
}

function batch (items: string): string {
  return `The ${items} are counted first (413 over the batch limit), then each is validated on its own: valid ones are stored ` +
    'even when others are rejected, and the 200, sent only once they are stored, names every rejected item at its path.'
}

function list (items: string): string {
  return `The complete list: it replaces what is stored. The ${items} are counted, then each is validated on its own; one bad ` +
    'item refuses the whole list (400 naming every item at fault) and nothing is stored.'
}

const errorBody = (description: string): Record<string, unknown> => ({ description, $ref: `${V1}error.json` })

/** Responses maps a status code to a response schema, as in a route's `schema.response`. */
export type Responses = Record<string, unknown>

/**
 * RESPONSES add to the route's own response schemas (`own`) what the description needs to say of a route that
 * answers other than JSON, or other than 200. The route's schemas are not changed: these only document.
 */
export const RESPONSES: Readonly<Record<string, (own: Responses) => Responses>> = {
  'GET /metrics': () => ({
    200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } }
  }),
  'GET /v1/stream': () => ({
    200: {
      description: 'A Server-Sent Events stream: `ready` first (the positions the feed starts after), then `alarm` and `risk` events ' +
        '(the NATS messages of schemas/alarm-message.json and schemas/risk-message.json, id "<alarmSeq>-<riskSeq>", resumed with ' +
        'Last-Event-ID or ?since=), and `maintenance` and `shelve-request` hints (no id) when those lists change.',
      content: { 'text/event-stream': { schema: { type: 'string' } } }
    }
  }),
  'GET /v1/alarms/:alarmId/evidence': (own) => ({
    200: {
      description: 'The evidence record: JSON, or with ?format=zip or Accept: application/zip a zip of bundle.json, readings.csv, ' +
        'transitions.csv and manifest.json',
      content: {
        'application/json': { schema: own[200] ?? {} },
        'application/zip': { schema: { type: 'string', format: 'binary' } }
      }
    },
    409: errorBody('MW_ERR_EVIDENCE_PENDING: not fixed yet; Retry-After says when to ask again')
  }),
  'POST /v1/alarms/:alarmId/shelve': () => ({
    202: {
      description: 'A red alarm: the shelve request waits for a supervisor\'s approval (POST …/shelve/approve)',
      type: 'object',
      properties: {
        request: {
          type: 'object',
          properties: {
            alarmId: { type: 'string' },
            siteCode: { type: 'string' },
            by: { type: 'string' },
            reason: { type: 'string' },
            minutes: { type: 'integer' },
            requestedAt: { type: 'string', format: 'date-time' }
          }
        }
      }
    }
  }),
  'GET /v1/reports/kpi': (own) => ({
    200: {
      description: 'The report: JSON, or with ?format=csv or Accept: text/csv a CSV file',
      content: {
        'application/json': { schema: own[200] ?? {} },
        'text/csv': { schema: { type: 'string' } }
      }
    }
  }),
  'DELETE /v1/session': () => ({ 204: { description: 'Logged out; the session cookie is cleared', type: 'null' } }),
  'DELETE /v1/console/mute': () => ({ 204: { description: 'The mute is ended', type: 'null' } }),
  'POST /v1/session': () => ({ 429: errorBody('MW_ERR_LOCKED_OUT: too many failed logins; Retry-After says for how long') }),
  'GET /ready': () => ({ 503: { description: 'Not ready: QuestDB or NATS is down (the same body, status not_ready)', type: 'object' } })
}

/** ERROR_RESPONSES document the contract's error body for every operation, and 401/403 for protected ones. */
export const ERROR_RESPONSES = {
  any: { '4XX': errorBody('The contract\'s error body { error, message, details } (docs/errors.md)') },
  protected: {
    401: errorBody('MW_ERR_UNAUTHORIZED: no, an unknown or an expired token or session'),
    403: errorBody('MW_ERR_FORBIDDEN: a known caller whose role or sites do not allow this')
  }
} as const

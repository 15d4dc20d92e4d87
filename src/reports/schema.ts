// The schemas of GET /v1/reports/kpi: its querystring, and its JSON answer (docs/kpi.md says what each figure is
// and which indicator of the 绩效自评表 forms it feeds). Rates and shares are fractions 0..1, null when there is
// nothing to divide; times are seconds.
import { schemaId } from '../server/plugins/schemas.js'
import { TIME_PARAM } from '../query/time-range.js'

/** KpiQuery is the querystring as the schema admits it. */
export interface KpiQuery { from: string, to: string, site?: string, format?: 'json' | 'csv' }

export const KPI_QUERY = {
  type: 'object',
  required: ['from', 'to'],
  properties: {
    from: { ...TIME_PARAM, description: 'start of the range, RFC 3339 with an offset (or epoch ms), included' },
    to: { ...TIME_PARAM, description: 'end of the range, excluded; after from, at most 366 days after it' },
    site: { $ref: `${schemaId('common.json')}#/definitions/Code`, description: 'one site; without it, every site the caller may see' },
    format: { type: 'string', enum: ['json', 'csv'], description: 'csv: one row per site and one of the whole (also with Accept: text/csv)' }
  }
} as const

const rate = { type: ['number', 'null'] } as const
const count = { type: 'integer' } as const
const counts = (keys: readonly string[]): Record<string, unknown> => ({
  type: 'object', required: keys, properties: Object.fromEntries(keys.map((k) => [k, count]))
})

const handling = {
  type: 'object',
  required: ['alarms', 'acknowledged', 'ackP50S', 'ackP90S', 'ackWithin60mShare', 'closed', 'closedWithin24hShare', 'falseAlarms', 'falseAlarmShare', 'dispositions'],
  properties: {
    alarms: count,
    acknowledged: count,
    ackP50S: rate,
    ackP90S: rate,
    ackWithin60mShare: rate,
    closed: count,
    closedWithin24hShare: rate,
    falseAlarms: count,
    falseAlarmShare: rate,
    dispositions: counts(['confirmed', 'false_alarm', 'planned', 'other'])
  }
} as const

const figures = {
  type: 'object',
  required: ['siteCode', 'name', 'monitoredS', 'link', 'points', 'completeness', 'alarms', 'handling', 'system'],
  properties: {
    siteCode: { type: 'string', description: '"*" for the whole' },
    name: { type: 'string' },
    monitoredS: { type: 'number' },
    link: { type: 'object', required: ['onlineRate', 'offlineS', 'outages'], properties: { onlineRate: rate, offlineS: { type: 'number' }, outages: count } },
    points: { type: 'object', required: ['count', 'onlineRate', 'offlineS'], properties: { count, onlineRate: rate, offlineS: { type: 'number' } } },
    completeness: { type: 'object', required: ['rate', 'expected', 'stored'], properties: { rate, expected: count, stored: count } },
    alarms: {
      type: 'object',
      required: ['count', 'raises', 'byCategory', 'byLevel', 'ratePer10m', 'peak10m'],
      properties: {
        count,
        raises: count,
        byCategory: counts(['early_warning', 'over_limit', 'violation', 'fault']),
        byLevel: counts(['blue', 'yellow', 'orange', 'red']),
        ratePer10m: rate,
        peak10m: count
      }
    },
    handling: { type: 'object', required: ['all', 'fault'], properties: { all: handling, fault: handling } },
    system: { type: 'object', required: ['availability', 'downS'], properties: { availability: rate, downS: { type: 'number' } } }
  }
} as const

export const KPI_REPORT = {
  type: 'object',
  required: ['from', 'to', 'until', 'generatedAt', 'sites', 'overall'],
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    until: { type: 'string', format: 'date-time', description: 'the end counted: to, or the time of the report if earlier' },
    generatedAt: { type: 'string', format: 'date-time' },
    sites: { type: 'array', items: figures },
    overall: figures
  }
} as const

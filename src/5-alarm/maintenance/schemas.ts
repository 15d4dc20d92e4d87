// The JSON Schemas of the maintenance routes.
import { schemaId } from '../../server/plugins/schemas.js'

/** WindowInput is the body of POST /v1/sites/:siteCode/maintenance. */
export interface WindowInput {
  points?: string[]
  from?: string
  until: string
  reason: string
  includeRed?: boolean
}

const code = { $ref: `${schemaId('common.json')}#/definitions/Code` }
const time = { type: 'string', format: 'date-time' }

/** windowBody: at most 1000 points (a site's points are bounded the same way); a reason is required. */
export const windowBody = {
  type: 'object',
  required: ['until', 'reason'],
  additionalProperties: false,
  properties: {
    points: { type: 'array', maxItems: 1000, items: code },
    from: time,
    until: time,
    reason: { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' },
    includeRed: { type: 'boolean' }
  }
} as const

/** windowResponse is one window as the API shows it. */
export const windowResponse = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    siteCode: { type: 'string' },
    points: { type: 'array', items: { type: 'string' } },
    from: time,
    until: time,
    reason: { type: 'string' },
    by: { type: 'string' },
    redApprovedBy: { type: ['string', 'null'] },
    includeRed: { type: 'boolean' },
    state: { type: 'string', enum: ['planned', 'active', 'ended'] },
    createdAt: time,
    endedAt: time,
    endedBy: { type: 'string' }
  }
} as const

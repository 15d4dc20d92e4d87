// The personnel rule kinds (PP-1..PP-8, NM-5) and the JSON Schema of each one's own fields. Every field
// has a default, so a rule file names only what it changes; the defaults are documented in rules/personnel.yaml.
import type { KindSchema } from '../../module.js'
import { DURATION, LEVEL, SITE_KINDS, SITE_STATUSES } from '../shared/schema.js'

/** PERSONNEL_KINDS names each kind after what it judges. */
export const PERSONNEL_KINDS = Object.freeze({
  mine: 'personnel_headcount',
  area: 'personnel_area_headcount',
  overtime: 'personnel_overtime',
  restricted: 'personnel_restricted_area',
  sos: 'personnel_sos',
  leader: 'personnel_no_leader',
  suspension: 'personnel_suspension',
  fan: 'personnel_fan_stopped'
})

const level = LEVEL
const duration = DURATION
const count = { type: 'integer', minimum: 0 }
const attribute = { type: 'string', minLength: 1 }
// the hazard clause holds only on these site kinds (a coal criterion on a coal mine)
const hazardSiteKind = SITE_KINDS
// a staleAfter gap without snapshots breaks a dwell and keeps a condition from being raised on old data
const staleAfter = duration
const escalate = {
  type: 'object',
  additionalProperties: false,
  required: ['ratio', 'level'],
  properties: { ratio: { type: 'number', exclusiveMinimum: 1 }, level }
}

/** PERSONNEL_SCHEMAS are the kinds' own fields. */
export const PERSONNEL_SCHEMAS: Record<string, KindSchema> = {
  [PERSONNEL_KINDS.mine]: {
    properties: { level, for: duration, limit: count, attribute, escalate, hazardSiteKind, staleAfter }
  },
  [PERSONNEL_KINDS.area]: {
    properties: {
      level,
      for: duration,
      areas: { type: 'object', additionalProperties: count },
      attributePrefix: attribute,
      escalate,
      hazardSiteKind,
      staleAfter
    }
  },
  [PERSONNEL_KINDS.overtime]: {
    properties: { level, maxStay: duration, attribute, hazardSiteKind }
  },
  [PERSONNEL_KINDS.restricted]: {
    properties: {
      level,
      areas: { type: 'array', items: { type: 'string', minLength: 1 } },
      attribute,
      roles: { type: 'array', minItems: 1, items: { enum: ['worker', 'leader', 'visitor'] } },
      hazardSiteKind
    }
  },
  [PERSONNEL_KINDS.sos]: {
    properties: { level, clearAfter: duration, hazardSiteKind }
  },
  [PERSONNEL_KINDS.leader]: {
    properties: { level, for: duration, hazardSiteKind, staleAfter }
  },
  [PERSONNEL_KINDS.suspension]: {
    properties: {
      level,
      for: duration,
      statuses: SITE_STATUSES,
      allowance: count,
      attribute,
      hazardSiteKind,
      staleAfter
    }
  },
  [PERSONNEL_KINDS.fan]: {
    properties: {
      level,
      stoppedBelow: { type: 'number' },
      require: { enum: ['any', 'all'] },
      hazardSiteKind,
      staleAfter
    }
  }
}

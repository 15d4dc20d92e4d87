// The JSON Schema of a rule test file, compiled once with the contract schemas it refers to.
import type { ValidateFunction } from 'ajv'
import { createAjv } from '../../2-validate/ajv.js'
import commonSchema from '../../../schemas/common.json' with { type: 'json' }
import pointsSchema from '../../../schemas/points.json' with { type: 'json' }
import quantitiesSchema from '../../../schemas/quantities.json' with { type: 'json' }
import videoSchema from '../../../schemas/video.json' with { type: 'json' }
import { COMPOUND_DURATION_PATTERN } from '../../lib/duration.js'

const TEST_SCHEMA = {
  $id: 'https://minewatch.example/schemas/v1/rule-test.json',
  type: 'object',
  additionalProperties: false,
  required: ['rule_files', 'tests'],
  properties: {
    rule_files: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    checkEvery: { $ref: '#/definitions/duration' },
    tests: { type: 'array', minItems: 1, items: { $ref: '#/definitions/test' } }
  },
  definitions: {
    duration: { type: 'string', pattern: COMPOUND_DURATION_PATTERN },
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['at'],
      minProperties: 2,
      maxProperties: 2,
      properties: {
        at: { $ref: '#/definitions/duration' },
        status: { $ref: 'common.json#/definitions/SiteStatus' },
        personnel: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['card', 'role'],
            properties: {
              card: { type: 'string', minLength: 1 },
              role: { enum: ['worker', 'leader', 'visitor'] },
              name: { type: 'string' },
              area: { type: 'string' },
              enteredAt: { $ref: '#/definitions/duration' }
            }
          }
        },
        sos: {
          type: 'object',
          additionalProperties: false,
          required: ['card'],
          properties: { card: { type: 'string', minLength: 1 }, area: { type: 'string' } }
        },
        video: {
          type: 'object',
          additionalProperties: false,
          required: ['channel', 'type'],
          properties: {
            channel: { type: 'string', minLength: 1 },
            type: { $ref: 'video.json#/definitions/VideoEvent/properties/type' },
            confidence: { type: 'number' },
            count: { type: 'integer' },
            evidence: {
              type: 'object',
              additionalProperties: false,
              properties: { sha256: { type: 'string' }, url: { type: 'string' } }
            }
          }
        },
        heartbeat: { type: 'object', additionalProperties: { type: 'boolean' } }
      }
    },
    code: { $ref: 'common.json#/definitions/Code' },
    test: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'site', 'expect'],
      properties: {
        name: { type: 'string', minLength: 1 },
        site: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'kind'],
          properties: {
            code: { $ref: '#/definitions/code' },
            kind: { $ref: 'common.json#/definitions/SiteKind' },
            status: { $ref: 'common.json#/definitions/SiteStatus' },
            approvedHeadcount: { type: 'integer', minimum: 0 },
            attributes: { $ref: 'common.json#/definitions/Attributes' }
          }
        },
        points: { type: 'array', items: { $ref: 'points.json#/definitions/PointDefinition' } },
        channels: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['channelCode'],
            properties: { channelCode: { $ref: '#/definitions/code' }, name: { type: 'string' } }
          }
        },
        inputs: { type: 'array', items: { $ref: '#/definitions/input' } },
        series: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['point', 'values'],
            properties: {
              point: { $ref: '#/definitions/code' },
              values: { type: ['string', 'number'] },
              every: { $ref: '#/definitions/duration' },
              start: { $ref: '#/definitions/duration' }
            }
          }
        },
        until: { $ref: '#/definitions/duration' },
        checkEvery: { $ref: '#/definitions/duration' },
        expect: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['at', 'rule', 'level'],
            properties: {
              at: { $ref: '#/definitions/duration' },
              rule: { type: 'string', minLength: 1 },
              point: { $ref: '#/definitions/code' },
              subject: { type: 'string', minLength: 1 },
              level: { anyOf: [{ $ref: 'common.json#/definitions/Level' }, { type: 'null' }] },
              category: { $ref: 'common.json#/definitions/Category' },
              hazard: { type: 'boolean' }
            }
          }
        }
      }
    }
  }
} as const

let validator: ValidateFunction | undefined

/** testFileValidator returns the compiled validator of TEST_SCHEMA. */
export function testFileValidator (): ValidateFunction {
  if (validator !== undefined) return validator
  validator = createAjv('document', [commonSchema, quantitiesSchema, pointsSchema, videoSchema]).compile(TEST_SCHEMA)
  return validator
}

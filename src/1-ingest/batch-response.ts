// The 200 answer of a batch whose items stand alone (readings, video heartbeats and AI events): how many were
// stored, and the rejected ones by index, path and message: the first 100, with `rejectedCount` when there were more.
import { schemaId } from '../server/plugins/schemas.js'

/** BATCH_RESPONSE is the response schema Fastify serialises such an answer with. */
export const BATCH_RESPONSE = {
  type: 'object',
  properties: {
    accepted: { type: 'integer' },
    rejected: { type: 'array', items: { $ref: `${schemaId('error.json')}#/definitions/ItemError` } },
    rejectedCount: { type: 'integer' }
  }
} as const

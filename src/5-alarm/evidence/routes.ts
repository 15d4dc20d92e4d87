// GET /v1/alarms/:alarmId/evidence (docs/evidence.md, access standard A.15): an alarm's fixed evidence record,
// as JSON, or as a zip for an enforcement file (?format=zip or Accept: application/zip). Site scope as for the
// alarm itself: another site's alarm is not found. Every export is audited.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { READ_DATA } from '../../server/auth/roles.js'
import { EvidencePending, NotFound, RETRY_AFTER_S } from '../../server/errors/catalogue.js'
import { toIso } from '../../lib/time.js'
import { inScope } from '../routes.js'
import { evidenceZip } from './zip.js'

interface Params { alarmId: string }
interface Query { format?: 'json' | 'zip' }

const params = { type: 'object', required: ['alarmId'], properties: { alarmId: { type: 'string', minLength: 1, maxLength: 64 } } }
const querystring = { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['json', 'zip'] } } }
const recordView = {
  type: 'object',
  required: ['alarmId', 'site', 'seq', 'fixedAt', 'sha256', 'prevSha256', 'bundle'],
  properties: {
    alarmId: { type: 'string' },
    site: { type: 'string' },
    seq: { type: 'integer' },
    fixedAt: { type: 'string', format: 'date-time' },
    sha256: { type: 'string' },
    prevSha256: { type: 'string' },
    bundle: { type: 'object', additionalProperties: true }
  }
}

// READ_DATA holds every WATCH role and the gateways: an upper platform may fetch the evidence of its sites.
const READERS = { roles: READ_DATA }

function wantsZip (request: FastifyRequest<{ Querystring: Query }>): boolean {
  if (request.query.format !== undefined) return request.query.format === 'zip'
  return /\bapplication\/zip\b/i.test(request.headers.accept ?? '')
}

/** evidenceRoutes registers GET /v1/alarms/:alarmId/evidence. */
export default async function evidenceRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get<{ Params: Params, Querystring: Query }>('/v1/alarms/:alarmId/evidence', {
    config: READERS,
    schema: { params, querystring, response: { 200: recordView } }
  }, async (request, reply) => {
    const { alarmId } = request.params
    const alarm = await fastify.alarms.find(alarmId)
    if (alarm === undefined) throw new NotFound(`alarm ${alarmId} not found`)
    inScope(request.principal, alarmId, alarm.siteCode)
    const record = await fastify.evidence.record(alarmId)
    if (record === undefined) {
      const due = fastify.evidence.dueAt(alarmId)
      const retryAfterS = due === undefined ? RETRY_AFTER_S : Math.max(1, Math.ceil((due - fastify.clock.now()) / 1000))
      throw Object.assign(new EvidencePending(alarmId, due === undefined ? 'the next start' : toIso(due)), { retryAfterS })
    }
    const zip = wantsZip(request)
    await fastify.audit.record(fastify.audit.of(request, {
      action: 'evidence_export', outcome: 'ok', site: record.site, target: alarmId, detail: { format: zip ? 'zip' : 'json', seq: record.seq, sha256: record.sha256 }
    }))
    if (zip) {
      return await reply.type('application/zip')
        .header('content-disposition', `attachment; filename="evidence-${alarmId}.zip"`)
        .send(await evidenceZip(record))
    }
    return {
      alarmId: record.alarmId,
      site: record.site,
      seq: record.seq,
      fixedAt: toIso(record.fixedAt),
      sha256: record.sha256,
      prevSha256: record.prevSha256,
      bundle: JSON.parse(record.body) as Record<string, unknown>
    }
  })
}

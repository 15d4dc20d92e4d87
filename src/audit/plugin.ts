// The audit capability: `fastify.audit.record()` appends a record (retried by the writer; a record that
// still cannot be stored is logged in full and counted, never silently dropped), `fastify.audit.of()` fills
// in who asked from a request, and `list()` reads the trail back.
import fp from 'fastify-plugin'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Counter } from 'prom-client'
import { actorOf } from '../server/plugins/auth.js'
import { AUDIT_TABLE, listAudit, toAuditRow } from './store.js'
import type { AuditEntry, AuditFilters, AuditRecord } from './types.js'

/** Audit is what components report to and the routes read from. */
export interface Audit {
  /** record stores an entry; it resolves once stored (or logged as lost), and never rejects */
  record: (entry: AuditEntry) => Promise<void>
  /** of builds an entry for what `request`'s caller did */
  of: (request: FastifyRequest, entry: Omit<AuditEntry, 'actor' | 'actorKind' | 'actorRole' | 'ip'>) => AuditEntry
  list: (filters: AuditFilters) => Promise<AuditRecord[]>
}

declare module 'fastify' {
  interface FastifyInstance { audit: Audit }
}

async function auditPlugin (fastify: FastifyInstance): Promise<void> {
  const { eventWriter, reader } = fastify.questdb
  const log = fastify.log.child({ component: 'audit' })
  const records = new Counter({
    name: 'minewatch_audit_records_total',
    help: 'Audit records by action and storage outcome (stored, lost).',
    labelNames: ['action', 'stored'],
    registers: [fastify.metrics.registry]
  })
  const audit: Audit = {
    async record (entry) {
      const record: AuditRecord = { ...entry, id: randomUUID(), ts: fastify.clock.now() }
      try {
        await eventWriter.writeRows(AUDIT_TABLE, [toAuditRow(record)])
        records.inc({ action: entry.action, stored: 'stored' })
      } catch (err) {
        records.inc({ action: entry.action, stored: 'lost' })
        log.error({ err, audit: record }, 'audit record not stored')
      }
    },
    of (request, entry) {
      const { actor, kind, role } = actorOf(request.principal)
      return { ...entry, actor, actorKind: kind, actorRole: role, ip: request.ip }
    },
    list: async (filters) => await listAudit(reader, filters)
  }
  fastify.decorate('audit', audit)
}

/** audit is the plugin that decorates fastify.audit. */
export default fp(auditPlugin, { name: 'audit', dependencies: ['questdb', 'clock', 'metrics'] })

// GET /v1/rules: every rule with its source, version, what it matches (the console sorts a site's points into
// modules by it) and health, plus the errors of the last load (like Prometheus' rules page). POST /v1/rules/reload re-reads the rules folder now.
import type { FastifyInstance } from 'fastify'
import { toIso } from '../lib/time.js'
import type { RulesState } from './plugin.js'
import { ADMIN, WATCH } from '../server/auth/roles.js'

/** rulesRoutes registers the rules endpoints. */
export default async function rulesRoutes (fastify: FastifyInstance): Promise<void> {
  const view = (state: RulesState): Record<string, unknown> => {
    const health = new Map(fastify.engine.core.health().map((h) => [h.ruleId, h]))
    return {
      loadedAt: state.loadedAt === 0 ? null : toIso(state.loadedAt),
      files: state.files,
      errors: state.errors,
      rules: state.rules.map((r) => {
        const h = health.get(r.id)
        return {
          id: r.id,
          kind: r.kind,
          title: r.title,
          category: r.category,
          source: r.source,
          hazardClause: r.hazardClause ?? null,
          match: r.match ?? null,
          file: r.file,
          group: r.group,
          ruleVersion: r.ruleVersion,
          health: h?.health ?? 'unknown',
          ...(h?.lastError === undefined ? {} : { lastError: h.lastError, lastErrorAt: toIso(h.lastErrorAt ?? 0) }),
          evaluations: h?.evaluations ?? 0,
          failures: h?.failures ?? 0
        }
      })
    }
  }
  fastify.get('/v1/rules', { config: { roles: WATCH } }, async () => view(fastify.engine.rules()))
  fastify.post('/v1/rules/reload', { config: { roles: ADMIN } }, async (request) => {
    const state = await fastify.engine.reload()
    await fastify.audit.record(fastify.audit.of(request, {
      action: 'rules_reload', outcome: state.errors.length === 0 ? 'ok' : 'failed', target: 'rules', detail: { rules: state.rules.length, errors: state.errors.length }
    }))
    return view(state)
  })
}

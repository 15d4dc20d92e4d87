// The flood indicator as a capability: it hears every raise from the alarm service, is seeded at start from the
// raises of the last window in QuestDB (a restart does not reset a flood), and exposes fastify.floods. A site
// entering or leaving a flood is logged; the gauge counts flooded sites (no site label: bounded).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Gauge } from 'prom-client'
import { TRANSITIONS_TABLE } from '../persist.js'
import { FloodMeter, type FloodState } from './meter.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** floods tells each site's alarm rate against the flood threshold */
    floods: { state: (siteCode: string) => FloodState, sites: () => FloodState[], threshold: number, windowMs: number }
  }
}

async function floodPlugin (fastify: FastifyInstance): Promise<void> {
  const { windowMs, threshold } = fastify.config.flood
  const meter = new FloodMeter({ windowMs, threshold })
  const clock = fastify.clock
  const since = new Date(clock.now() - windowMs).toISOString()
  const rows = await fastify.questdb.reader.query<{ site: string, rule_id: string, ts: number }>(
    `SELECT site, rule_id, ts FROM ${TRANSITIONS_TABLE} WHERE transition = 'raised' AND ts > $1 ORDER BY ts`, [since])
  for (const r of rows) meter.record(r.site, r.rule_id, Number(r.ts))

  const flooded = new Set<string>()
  const log = fastify.log.child({ component: 'flood' })
  const sub = fastify.alarms.transitions$.subscribe((r) => {
    if (r.transition !== 'raised') return
    meter.record(r.alarm.siteCode, r.alarm.ruleId, r.detectedAt)
    const s = meter.state(r.alarm.siteCode, clock.now())
    if (s.flood && !flooded.has(s.siteCode)) {
      flooded.add(s.siteCode)
      log.warn({ site: s.siteCode, count: s.count, byRule: s.byRule.slice(0, 5) }, 'alarm flood: more alarms than an operator can handle')
    }
  })
  const sites = (): FloodState[] => {
    const now = clock.now()
    const all = meter.sites(now)
    for (const s of [...flooded]) {
      if (!all.some((x) => x.siteCode === s && x.flood)) { flooded.delete(s); log.info({ site: s }, 'alarm flood over') }
    }
    return all
  }
  // eslint-disable-next-line no-new
  new Gauge({
    name: 'minewatch_alarm_flood_sites',
    help: `Sites that raised more than ${threshold} alarms in the last ${Math.round(windowMs / 60_000)} min (EEMUA 191 flood)`,
    registers: [fastify.metrics.registry],
    collect () { this.set(sites().filter((s) => s.flood).length) }
  })
  fastify.decorate('floods', { state: (siteCode: string) => meter.state(siteCode, clock.now()), sites, threshold, windowMs })
  fastify.addHook('onClose', async () => { sub.unsubscribe() })
}

/** flood is the plugin that decorates fastify.floods. */
export default fp(floodPlugin, { name: 'flood', dependencies: ['alarms', 'questdb', 'metrics', 'config', 'clock'] })

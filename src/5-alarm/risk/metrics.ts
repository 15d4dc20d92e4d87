// Risk metrics, registered on the Registry the caller owns. Sites are not a label: their number is only bounded
// by the registry (hundreds of mines in a province), and one series per site would grow without bound. The
// gauge counts sites per level instead ("how many mines are red now"); which ones is what GET /v1/risk answers.
import { Counter, Gauge, type Registry } from 'prom-client'
import { LEVELS, type Level } from '../../contract/index.js'

/** RiskMetrics are the risk service's and the risk outbox's metrics. */
export interface RiskMetrics {
  sites: Gauge<'level'>
  changes: Counter<'level'>
  published: Counter
  failures: Counter
  dropped: Counter
  pending: Gauge
  /** observeLevels names the source the per-level gauge counts at scrape time */
  observeLevels: (source: () => Iterable<Level | null>) => void
}

/** createRiskMetrics registers the risk metrics on `registry`. */
export function createRiskMetrics (registry: Registry): RiskMetrics {
  const registers = [registry]
  let source: () => Iterable<Level | null> = () => []
  return {
    sites: new Gauge({
      name: 'minewatch_risk_sites',
      help: 'Sites by composite risk level (sites without an open alarm are not counted)',
      labelNames: ['level'] as const,
      registers,
      // Counted at scrape time from the service, so the gauge cannot drift from the state it describes;
      // every level is set, also to 0, so a dashboard sees "0 red sites" rather than no series.
      collect () {
        const counts = new Map<Level, number>(LEVELS.map((l) => [l, 0]))
        for (const level of source()) if (level !== null) counts.set(level, (counts.get(level) ?? 0) + 1)
        for (const [level, n] of counts) this.set({ level }, n)
      }
    }),
    changes: new Counter({
      name: 'minewatch_risk_changes_total',
      help: 'Composite risk changes handed to the outbox, by new level (none: back to no open alarm)',
      labelNames: ['level'] as const,
      registers
    }),
    published: new Counter({ name: 'minewatch_risk_published_total', help: 'Risk changes acknowledged by JetStream', registers }),
    failures: new Counter({ name: 'minewatch_risk_publish_failures_total', help: 'Risk publish attempts that failed and will be retried', registers }),
    dropped: new Counter({
      name: 'minewatch_risk_publish_dropped_total',
      help: 'Oldest risk changes dropped because the outbox was full (later changes of the same site supersede them)',
      registers
    }),
    pending: new Gauge({ name: 'minewatch_risk_outbox_pending', help: 'Risk changes waiting for a JetStream acknowledgement', registers }),
    observeLevels (fn) { source = fn }
  }
}

// Ingest metrics: readings accepted and rejected (by bounded reason), batch sizes.
import { Counter, Histogram, type Registry } from 'prom-client'

/** IngestMetrics are the ingest route's instruments. */
export interface IngestMetrics {
  accepted: Counter
  rejected: Counter<'reason'>
  batchSize: Histogram
}

/** REJECT_REASONS are the only values of the `reason` label. */
export type RejectReason = 'schema' | 'unknown_point' | 'time_bounds' | 'batch_too_large' | 'forbidden' | 'storage_unavailable' | 'storage_refused' | 'overloaded'

/** createIngestMetrics registers the ingest metrics on `registry`. */
export function createIngestMetrics (registry: Registry): IngestMetrics {
  return {
    accepted: new Counter({
      name: 'minewatch_ingest_readings_accepted_total',
      help: 'Readings durably stored and handed to the rule engine.',
      registers: [registry]
    }),
    rejected: new Counter({
      name: 'minewatch_ingest_readings_rejected_total',
      help: 'Readings not accepted, by reason.',
      labelNames: ['reason'],
      registers: [registry]
    }),
    batchSize: new Histogram({
      name: 'minewatch_ingest_batch_size',
      help: 'Readings per POST /v1/readings.',
      buckets: [1, 10, 50, 100, 500, 1000, 5000, 10000],
      registers: [registry]
    })
  }
}

/** reasonOf maps a per-item message path to its bounded reason label. */
export function reasonOf (path: string): RejectReason {
  if (path.endsWith('/point')) return 'unknown_point'
  if (path.endsWith('/ts')) return 'time_bounds'
  return 'schema'
}

// Storage metrics: what reached QuestDB, how long commits take, what failed.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

/** StoreMetrics are the writer's instruments. */
export interface StoreMetrics {
  rowsWritten: Counter<'table'>
  flushSeconds: Histogram
  flushFailures: Counter
  pendingRows: Gauge
  rowsRefused: Counter<'table'>
  writerRestarts: Counter
}

/** createStoreMetrics registers the storage metrics on `registry`. */
export function createStoreMetrics (registry: Registry): StoreMetrics {
  return {
    rowsWritten: new Counter({
      name: 'minewatch_store_rows_written_total',
      help: 'Rows acknowledged by QuestDB, by table.',
      labelNames: ['table'],
      registers: [registry]
    }),
    flushSeconds: new Histogram({
      name: 'minewatch_store_flush_seconds',
      help: 'Latency of one ILP/HTTP commit to QuestDB.',
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers: [registry]
    }),
    flushFailures: new Counter({
      name: 'minewatch_store_flush_failures_total',
      help: 'ILP commits QuestDB did not acknowledge (the rows were answered 503).',
      registers: [registry]
    }),
    rowsRefused: new Counter({
      name: 'minewatch_store_rows_refused_total',
      help: 'Rows storage will never take (a value its column cannot hold), answered 4xx to their sender, by table.',
      labelNames: ['table'],
      registers: [registry]
    }),
    writerRestarts: new Counter({
      name: 'minewatch_store_writer_restarts_total',
      help: 'Times a writer replaced its QuestDB connection and buffer after commits kept failing.',
      registers: [registry]
    }),
    pendingRows: new Gauge({
      name: 'minewatch_store_pending_rows',
      help: 'Rows accepted for writing and not yet acknowledged by QuestDB.',
      registers: [registry]
    })
  }
}

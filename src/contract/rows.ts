// What ingest hands to storage and to the engine once a reading has passed validation.

/** ReadingRow is one accepted reading: codes, event time and arrival time in epoch ms. */
export interface ReadingRow {
  site: string
  point: string
  /** event time (the reading's own ts), epoch ms */
  ts: number
  value: number
  /** device status bitmask (测点状态), 0 when absent */
  status: number
  /** arrival time at the server, epoch ms */
  receivedAt: number
}

// What a backtest reads and what it reports. The history comes through HistorySource, so the replay runs
// the same over QuestDB (history.ts) and over arrays in a unit test.
import type { Level } from '../../contract/index.js'
import type { EngineInput } from '../../4-evaluate/inputs.js'
import type { ConditionChange } from '../../4-evaluate/types.js'
import type { ReadingRow } from '../../contract/rows.js'
import type { Point, Site } from '../../registry/types.js'
import type { Channel } from '../../1-ingest/video/types.js'

/** TimeRange is the replayed event time, [from, to) in epoch ms, optionally one site only. */
export interface TimeRange {
  from: number
  to: number
  site?: string
}

/** StoredRegistry is the registry and the video channels a replay runs against. */
export interface StoredRegistry {
  sites: Site[]
  points: Point[]
  channels: Channel[]
}

/** Pages is one stored stream read page by page, each page and the whole stream in event-time order. */
export type Pages<T> = AsyncIterable<readonly T[]>

/** HistoryStreams are the stored streams of a range: readings, and the other engine inputs by table. */
export interface HistoryStreams {
  readings: Pages<ReadingRow>
  /** one stream per table; at one instant, inputs go to the engine in the order of this list */
  inputs: ReadonlyArray<Pages<EngineInput>>
}

/** HistorySource is where a replay reads its history. */
export interface HistorySource {
  registry: (range: TimeRange) => Promise<StoredRegistry>
  streams: (range: TimeRange) => HistoryStreams
}

/** Instant is everything stored at one event time: one readings batch, then the other inputs. */
export interface Instant {
  ts: number
  readings: ReadingRow[]
  inputs: EngineInput[]
}

/** ReplayedChange is one condition change the engine emitted, with the level it left and when it was found. */
export interface ReplayedChange {
  change: ConditionChange
  /** the condition's level before this change (null: it did not hold) */
  previous: Level | null
  /** virtual time at which the engine emitted it (a no-data condition is found at a check tick) */
  emittedAt: number
}

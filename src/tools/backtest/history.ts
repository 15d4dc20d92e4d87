// The stored history in QuestDB as a HistorySource: the registry and channels as stored (with each
// site's full status timeline), and the readings, positioning snapshots, SOS events, AI video events and
// heartbeats of the range, each table paged in event-time order (pages.ts).
import type { EngineInput } from '../../4-evaluate/inputs.js'
import type { ReadingRow } from '../../contract/rows.js'
import { EVENTS_TABLE as PERSONNEL_EVENTS, HEADCOUNT_TABLE, SNAPSHOTS_TABLE } from '../../1-ingest/personnel/rows.js'
import type { PersonRole, StoredPerson } from '../../1-ingest/personnel/types.js'
import { loadRegistry, REGISTRY_TABLES } from '../../registry/store.js'
import { sqlTimestamp, type Reader } from '../../3-store/types.js'
import { walApplied } from '../../3-store/wal.js'
import { CHANNELS_TABLE, EVENTS_TABLE as VIDEO_EVENTS, HEARTBEATS_TABLE } from '../../1-ingest/video/rows.js'
import { loadChannels } from '../../1-ingest/video/store.js'
import type { VideoEventType } from '../../1-ingest/video/types.js'
import { pagedRows, PAGE_ROWS } from './pages.js'
import type { HistorySource, HistoryStreams, Pages, StoredRegistry, TimeRange } from './types.js'

/** DATA_TABLES are the tables a backtest replays. */
export const DATA_TABLES = ['readings', HEADCOUNT_TABLE, SNAPSHOTS_TABLE, PERSONNEL_EVENTS, VIDEO_EVENTS, HEARTBEATS_TABLE]

/** HistoryOptions tune the page sizes (rows per query) of the tables. */
export interface HistoryOptions {
  readingRows?: number
  /** snapshots per page: each brings every person of it, so far fewer than readings */
  snapshotRows?: number
  inputRows?: number
}

interface ReadingRecord { site: string, point: string, value: number, status: number, received_at: number, ts: number }
interface HeadcountRecord { site: string, headcount: number, leaders: number, ts: number }
interface PersonRecord { site: string, card: string, name: string | null, role: string, area: string | null, entered_at: number | null, ts: number }
interface SosRecord { site: string, card: string, area: string | null, received_at: number, ts: number }
interface VideoEventRecord { site: string, channel: string, type: string, confidence: number | null, count: number | null, evidence_sha256: string | null, evidence_url: string | null, received_at: number, ts: number }
interface HeartbeatRecord { site: string, channel: string, online: boolean, received_at: number, ts: number }

/** questDbHistory reads a backtest's history from QuestDB. */
export function questDbHistory (reader: Reader, opts: HistoryOptions = {}): HistorySource {
  const readingRows = opts.readingRows ?? PAGE_ROWS
  const inputRows = opts.inputRows ?? 10_000
  const snapshotRows = opts.snapshotRows ?? 200
  return {
    registry: async (range) => await storedRegistry(reader, range),
    streams (range): HistoryStreams {
      return {
        readings: mapPages(pagedRows<ReadingRecord>(reader, 'readings', 'site, point, value, status, received_at, ts', range, readingRows),
          (r): ReadingRow => ({ site: r.site, point: r.point, ts: r.ts, value: r.value, status: r.status, receivedAt: r.received_at })),
        inputs: [
          snapshots(reader, range, snapshotRows),
          mapPages(pagedRows<SosRecord>(reader, PERSONNEL_EVENTS, 'site, card, area, received_at, ts', range, inputRows, "type = 'sos'"),
            (r): EngineInput => ({ type: 'sos', event: { site: r.site, type: 'sos', card: r.card, ts: r.ts, receivedAt: r.received_at, ...opt('area', r.area) } })),
          mapPages(pagedRows<VideoEventRecord>(reader, VIDEO_EVENTS, 'site, channel, type, confidence, "count", evidence_sha256, evidence_url, received_at, ts', range, inputRows),
            (r): EngineInput => ({ type: 'video_event', event: videoEvent(r) })),
          mapPages(pagedRows<HeartbeatRecord>(reader, HEARTBEATS_TABLE, 'site, channel, online, received_at, ts', range, inputRows),
            (r): EngineInput => ({ type: 'video_heartbeat', heartbeat: { site: r.site, channel: r.channel, online: r.online, ts: r.ts, receivedAt: r.received_at } }))
        ]
      }
    }
  }
}

/**
 * storedRegistry loads the registry and channels as stored, one site's only when the range names one.
 * A point's (channel's) definedAt is its first definition, not its latest version: it is the baseline of
 * "never reported", and a definition re-sent after the range must not move that baseline past it.
 */
async function storedRegistry (reader: Reader, range: TimeRange): Promise<StoredRegistry> {
  // rows acknowledged just before the backtest started; after the bound, what is visible is read
  await walApplied(reader, [...REGISTRY_TABLES, CHANNELS_TABLE, ...DATA_TABLES])
  const [{ sites, points }, channels] = await Promise.all([loadRegistry(reader), loadChannels(reader)])
  const [pointFirst, channelFirst] = await Promise.all([firstDefined(reader, 'points', 'point'), firstDefined(reader, CHANNELS_TABLE, 'channel')])
  const mine = (site: string): boolean => range.site === undefined || site === range.site
  return {
    sites: sites.filter((s) => mine(s.code)),
    points: points.filter((p) => mine(p.site)).map((p) => ({ ...p, definedAt: pointFirst.get(`${p.site}|${p.code}`) ?? p.definedAt })),
    channels: channels.filter((c) => mine(c.site)).map((c) => ({ ...c, definedAt: channelFirst.get(`${c.site}|${c.code}`) ?? c.definedAt }))
  }
}

async function firstDefined (reader: Reader, table: string, column: string): Promise<Map<string, number>> {
  const rows = await reader.query<{ site: string, code: string, first: number }>(`SELECT site, ${column} code, min(ts) first FROM ${table} GROUP BY site, ${column}`)
  return new Map(rows.map((r) => [`${r.site}|${r.code}`, r.first]))
}

// A snapshot is its headcount row plus one row per person: a page of headcount rows brings the people of
// its time span in one query. The headcount table has no arrival time: the snapshot's own ts stands in.
async function * snapshots (reader: Reader, range: TimeRange, pageRows: number): Pages<EngineInput> {
  for await (const heads of pagedRows<HeadcountRecord>(reader, HEADCOUNT_TABLE, 'site, headcount, leaders, ts', range, pageRows)) {
    const first = (heads[0] as HeadcountRecord).ts
    const last = (heads[heads.length - 1] as HeadcountRecord).ts
    const people = await reader.query<PersonRecord>(
      `SELECT site, card, name, role, area, entered_at, ts FROM ${SNAPSHOTS_TABLE} WHERE ts >= ${sqlTimestamp(first)} AND ts <= ${sqlTimestamp(last)}` +
      `${range.site === undefined ? '' : ' AND site = $1'} ORDER BY ts, card`, range.site === undefined ? [] : [range.site])
    const bySnapshot = new Map<string, StoredPerson[]>()
    for (const p of people) {
      const key = `${p.site}|${p.ts}`
      let list = bySnapshot.get(key)
      if (list === undefined) bySnapshot.set(key, list = [])
      list.push({ card: p.card, role: p.role as PersonRole, ...opt('name', p.name), ...opt('area', p.area), ...opt('enteredAt', p.entered_at) })
    }
    yield heads.map((h): EngineInput => ({
      type: 'personnel',
      snapshot: { site: h.site, ts: h.ts, headcount: h.headcount, leaders: h.leaders, people: bySnapshot.get(`${h.site}|${h.ts}`) ?? [] },
      receivedAt: h.ts
    }))
  }
}

function videoEvent (r: VideoEventRecord): Extract<EngineInput, { type: 'video_event' }>['event'] {
  return {
    site: r.site,
    channel: r.channel,
    type: r.type as VideoEventType,
    ts: r.ts,
    receivedAt: r.received_at,
    ...opt('confidence', r.confidence),
    ...opt('count', r.count),
    ...opt('evidenceSha256', r.evidence_sha256),
    ...opt('evidenceUrl', r.evidence_url)
  }
}

async function * mapPages<R, T> (pages: AsyncIterable<R[]>, fn: (r: R) => T): Pages<T> {
  for await (const page of pages) yield page.map(fn)
}

// a null column is an absent field
function opt<K extends string, V> (key: K, v: V | null): { [P in K]?: V } {
  return (v === null ? {} : { [key]: v }) as { [P in K]?: V }
}

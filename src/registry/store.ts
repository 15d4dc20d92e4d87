// Registry persistence: every change is appended as a version row (QuestDB keeps history for free);
// the latest version per key is the current state, loaded into memory at start.
import type { PointDefinition } from '../contract/index.js'
import type { Reader, Row, Writer } from '../3-store/types.js'
import { offCatalogue, validRangeOf } from './catalogue.js'
import type { Point, Site, StatusChange } from './types.js'

/** siteRow is the `sites` row of one site version. */
export function siteRow (site: Site): Row {
  return {
    symbols: { site: site.code, kind: site.kind },
    columns: {
      name: site.name,
      region_code: site.regionCode,
      enterprise: site.enterprise,
      approved_headcount: site.approvedHeadcount,
      attributes: JSON.stringify(site.attributes)
    },
    ints: ['approved_headcount'],
    ts: site.updatedAt
  }
}

/** statusRow is the `site_status` row of one status change (ts = since). */
export function statusRow (site: string, change: StatusChange, recordedAt: number): Row {
  return {
    symbols: { site, status: change.status },
    columns: { note: change.note, recorded_at: recordedAt },
    timestamps: ['recorded_at'],
    ts: change.since
  }
}

/** pointRow is the `points` row of one definition version, or of its removal. */
export function pointRow (site: string, code: string, at: number, def: PointDefinition | null): Row {
  return {
    symbols: { site, point: code },
    columns: { definition: def === null ? '' : JSON.stringify(def), deleted: def === null },
    ts: at
  }
}

/** Stored is the registry as loaded from QuestDB. */
export interface Stored { sites: Site[], points: Point[] }

interface SiteRecord { site: string, name: string, kind: Site['kind'], region_code: string | null, enterprise: string | null, approved_headcount: number | null, attributes: string | null, ts: number }
interface StatusRecord { site: string, status: StatusChange['status'], note: string | null, ts: number }
interface PointRecord { site: string, point: string, definition: string, deleted: boolean, ts: number }

/**
 * REGISTRY_TABLES are the tables the registry loads at start: a change acknowledged just before a restart is
 * queryable only once their WAL is applied (3-store/wal.ts), and loading without it would lose it from memory.
 */
export const REGISTRY_TABLES = ['sites', 'site_status', 'points'] as const

/** loadRegistry reads the current sites, their full status timelines and the live point definitions. */
export async function loadRegistry (reader: Reader): Promise<Stored> {
  const siteRecords = await reader.query<SiteRecord>('SELECT * FROM sites LATEST ON ts PARTITION BY site')
  const statusRecords = await reader.query<StatusRecord>('SELECT site, status, note, ts FROM site_status ORDER BY ts')
  const pointRecords = await reader.query<PointRecord>('SELECT * FROM points LATEST ON ts PARTITION BY site, point')
  const timelines = new Map<string, StatusChange[]>()
  for (const r of statusRecords) {
    const list = timelines.get(r.site) ?? []
    list.push({ since: r.ts, status: r.status, ...(r.note === null || r.note === '' ? {} : { note: r.note }) })
    timelines.set(r.site, list)
  }
  const sites = siteRecords.map((r) => toSite(r, timelines.get(r.site) ?? []))
  const points = pointRecords.filter((r) => !r.deleted).map((r) => toPoint(r.site, JSON.parse(r.definition), r.ts))
  return { sites, points }
}

function toSite (r: SiteRecord, timeline: StatusChange[]): Site {
  return {
    code: r.site,
    name: r.name,
    kind: r.kind,
    ...(r.region_code === null ? {} : { regionCode: r.region_code }),
    ...(r.enterprise === null ? {} : { enterprise: r.enterprise }),
    ...(r.approved_headcount === null ? {} : { approvedHeadcount: r.approved_headcount }),
    attributes: r.attributes === null ? {} : JSON.parse(r.attributes),
    status: timeline.at(-1)?.status ?? 'producing',
    updatedAt: r.ts,
    timeline
  }
}

/** toPoint turns a contract point definition into the registry's Point (with its over-range bounds). */
export function toPoint (site: string, d: PointDefinition, definedAt: number): Point {
  const off = offCatalogue(d)
  // the catalogue's range is in the canonical unit: it says nothing about a point in another one
  const validRange = d.range ?? (off ? undefined : validRangeOf(d.quantity))
  return {
    site,
    code: d.pointCode,
    quantity: d.quantity,
    unit: d.unit,
    kind: d.kind,
    intervalS: d.intervalS,
    attributes: d.attributes ?? {},
    definedAt,
    ...(d.location === undefined ? {} : { location: d.location }),
    ...(d.area === undefined ? {} : { area: d.area }),
    ...(d.item === undefined ? {} : { item: d.item }),
    ...(d.range === undefined ? {} : { range: [d.range[0], d.range[1]] as [number, number] }),
    ...(validRange === undefined ? {} : { validRange: [validRange[0], validRange[1]] as const }),
    ...(d.limits === undefined ? {} : { limits: d.limits }),
    ...(off ? { offCatalogue: true as const } : {})
  }
}

/** toDefinition turns a Point back into the contract shape GET returns. */
export function toDefinition (p: Point): PointDefinition {
  return {
    pointCode: p.code,
    quantity: p.quantity,
    unit: p.unit,
    kind: p.kind,
    intervalS: p.intervalS,
    ...(p.location === undefined ? {} : { location: p.location }),
    ...(p.area === undefined ? {} : { area: p.area }),
    ...(p.item === undefined ? {} : { item: p.item }),
    ...(p.range === undefined ? {} : { range: p.range }),
    ...(p.limits === undefined ? {} : { limits: p.limits }),
    ...(Object.keys(p.attributes).length === 0 ? {} : { attributes: p.attributes })
  }
}

/** RegistryStore writes registry changes durably. */
export interface RegistryStore {
  writeSite: (site: Site) => Promise<void>
  writeStatus: (site: string, change: StatusChange, recordedAt: number) => Promise<void>
  writePoints: (rows: Row[]) => Promise<void>
}

/** createRegistryStore binds the row builders to a Writer. */
export function createRegistryStore (writer: Writer): RegistryStore {
  return {
    writeSite: async (site) => { await writer.writeRows('sites', [siteRow(site)]) },
    writeStatus: async (site, change, recordedAt) => { await writer.writeRows('site_status', [statusRow(site, change, recordedAt)]) },
    writePoints: async (rows) => { await writer.writeRows('points', rows) }
  }
}

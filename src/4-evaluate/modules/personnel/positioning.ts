// What the personnel rules know about who is underground: the latest positioning snapshot of each site,
// which replaces the previous one (access standard section 4: a snapshot lists everyone underground).
//
// When snapshots stop coming, nobody is invented and nobody is assumed gone: rules judge only on a snapshot,
// so their conditions stay where they stand (no spurious clear, no raise) until positioning reports again.
// The silence itself is a data-interruption matter (DQ-4). A gap longer than staleAfter also breaks a
// dwell: "10 minutes without a leader" must be seen across snapshots, not assumed over a hole.
import type { StoredPerson, StoredSnapshot } from '../../../1-ingest/personnel/types.js'
import type { Site } from '../../../registry/types.js'
import type { ModuleContext } from '../../module.js'
import type { RuleRef } from '../../types.js'
import type { Conditions, Outcome } from '../shared/condition.js'

/** Step is one accepted snapshot with the time of the one before it at the same site. */
export interface Step {
  site: Site
  snap: StoredSnapshot
  /** event time of the previous snapshot of the site, null for the first one seen */
  prevTs: number | null
  receivedAt: number
}

/** Positions keeps the latest snapshot of each site. */
export class Positions {
  private readonly latestBySite = new Map<string, StoredSnapshot>()

  /** accept takes a snapshot; a late or repeated one (ts not after the latest) is ignored and gives null. */
  accept (site: Site, snap: StoredSnapshot, receivedAt: number): Step | null {
    const prev = this.latestBySite.get(snap.site)
    if (prev !== undefined && snap.ts <= prev.ts) return null
    this.latestBySite.set(snap.site, snap)
    return { site, snap, prevTs: prev?.ts ?? null, receivedAt }
  }

  /** latest is the newest snapshot of a site, if any. */
  latest (site: string): StoredSnapshot | undefined {
    return this.latestBySite.get(site)
  }
}

/** Judge is what the site- and area-wide rules share: conditions, time and the pending dwells by key. */
export interface Judge {
  conds: Conditions
  ctx: ModuleContext
  /** event time since which each condition key has held without being raised yet */
  pending: Map<string, number>
}

/**
 * judgeDwell raises `target` once it has held for forMs over snapshots no more than staleMs apart, moves
 * an open condition to target's level at once, and clears it when target is null.
 */
export function judgeDwell (j: Judge, key: string, ref: RuleRef, step: Step, target: Outcome, forMs: number, staleMs: number): void {
  const ts = step.snap.ts
  if (j.conds.before(key, ts)) return
  if (target.level === null) {
    j.pending.delete(key)
    j.conds.set(j.ctx, key, ref, step.site.code, { ...target, eventTs: ts, receivedAt: step.receivedAt })
    return
  }
  const continuous = step.prevTs !== null && ts - step.prevTs <= staleMs
  let since = j.pending.get(key)
  if (since === undefined || !continuous) since = ts
  j.pending.set(key, since)
  if (j.conds.levelOf(key) === null && ts - since < forMs) return
  j.conds.set(j.ctx, key, ref, step.site.code, { ...target, eventTs: ts, startedAt: since, receivedAt: step.receivedAt })
}

/** who names a person for the duty room: card and, when known, name and area. */
export function who (p: StoredPerson): string {
  return `${p.card}${p.name === undefined ? '' : `（${p.name}）`}${p.area === undefined ? '' : ` 区域 ${p.area}`}`
}

/** numberAttr reads a numeric site attribute (a number, or a numeric string). */
export function numberAttr (site: Site, name: string): number | undefined {
  const v = site.attributes[name]
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

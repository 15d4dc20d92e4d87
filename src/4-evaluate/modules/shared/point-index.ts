// What a module watches, by site then point, built when it binds. Batches of readings are per site, so a
// batch looks its site up once and each reading costs one Map get: no `${site}|${point}` string is built
// for the readings of points the module does not watch (most of them), and nothing is allocated per reading.
import type { ReadingRow } from '../../../contract/rows.js'

/** PointIndex maps (site, point) to a T. */
export class PointIndex<T> {
  private readonly sites = new Map<string, Map<string, T>>()
  // A batch is one site's: the readings after the first find their site here without a Map get.
  private lastSite: string | undefined
  private lastPoints: Map<string, T> | undefined

  get (site: string, point: string): T | undefined {
    if (site !== this.lastSite) {
      this.lastSite = site
      this.lastPoints = this.sites.get(site)
    }
    return this.lastPoints?.get(point)
  }

  set (site: string, point: string, value: T): void {
    let points = this.sites.get(site)
    if (points === undefined) {
      this.sites.set(site, points = new Map())
      this.lastSite = undefined
    }
    points.set(point, value)
  }

  /** site is what is watched at one site (a batch of one site looks it up once) */
  site (site: string): ReadonlyMap<string, T> | undefined {
    return this.sites.get(site)
  }

  /** entries lists every (site, point, value) */
  * entries (): IterableIterator<[string, string, T]> {
    for (const [site, points] of this.sites) for (const [point, v] of points) yield [site, point, v]
  }

  /** empty tells whether nothing is watched */
  get empty (): boolean {
    return this.sites.size === 0
  }

  /** each calls fn for every reading of a watched point, in the batch's order */
  each (rows: readonly ReadingRow[], fn: (value: T, row: ReadingRow) => void): void {
    let site: string | undefined
    let points: Map<string, T> | undefined
    for (const row of rows) {
      if (row.site !== site) {
        site = row.site
        points = this.sites.get(site)
      }
      if (points === undefined) continue
      const v = points.get(row.point)
      if (v !== undefined) fn(v, row)
    }
  }
}

/** pushAt appends `item` to the list at (site, point). */
export function pushAt<T> (index: PointIndex<T[]>, site: string, point: string, item: T): void {
  const list = index.get(site, point)
  if (list === undefined) index.set(site, point, [item])
  else list.push(item)
}

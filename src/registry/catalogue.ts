// The quantity catalogue (schemas/quantity-catalogue.json): per quantity code its Chinese name, accepted
// units, kind, valid physical range and default rules. Every default rule is written in the canonical unit:
// a CO point in mg/m³ judged against 24 ppm would alarm at the wrong concentration without anyone noticing.
// The access standard accepts any unit, so such a point is stored (with a warning) but marked off-catalogue,
// and rules that judge values leave it alone unless they name its unit (src/4-evaluate/match.ts).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PointDefinition, Quantity, QuantityCatalogue, QuantityEntry } from '../contract/index.js'
import type { ItemError } from '../server/errors/catalogue.js'
import { schemaDir } from '../server/plugins/schemas.js'

/** CATALOGUE_FILE is where the catalogue lives. */
export const CATALOGUE_FILE = join(schemaDir(), 'quantity-catalogue.json')

/** loadCatalogue reads a catalogue file into a map by quantity code. */
export function loadCatalogue (file = CATALOGUE_FILE): ReadonlyMap<Quantity, QuantityEntry> {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as QuantityCatalogue
  return new Map(Object.entries(doc.quantities) as Array<[Quantity, QuantityEntry]>)
}

// Read once: the catalogue ships with the code and changes only with a release.
const CATALOGUE = loadCatalogue()

/** catalogueEntry is the catalogue's entry for a quantity (undefined only if the catalogue lacks it). */
export function catalogueEntry (quantity: Quantity): QuantityEntry | undefined {
  return CATALOGUE.get(quantity)
}

/** validRangeOf is the valid physical range of a quantity: the over-range bounds of a point without `range`. */
export function validRangeOf (quantity: Quantity): readonly [number, number] | undefined {
  return CATALOGUE.get(quantity)?.validRange
}

/** pointCatalogueIssues lists what the catalogue does not accept in the index-th point definition of a PUT. */
export function pointCatalogueIssues (def: PointDefinition, index: number): ItemError[] {
  const entry = CATALOGUE.get(def.quantity)
  if (entry === undefined) return []
  const issues: ItemError[] = []
  if (!entry.units.includes(def.unit)) {
    const accepted = entry.units.map((u) => `"${u}"`).join(', ')
    issues.push({ index, path: `/${index}/unit`, message: `unit "${def.unit}" is not accepted for ${def.quantity} (${entry.name}): use ${accepted}` })
  }
  if (entry.kind !== def.kind) {
    issues.push({ index, path: `/${index}/kind`, message: `kind "${def.kind}" is not accepted for ${def.quantity} (${entry.name}): it is ${entry.kind}` })
  }
  return issues
}

/** offCatalogue tells whether the catalogue does not accept a definition's unit or kind for its quantity. */
export function offCatalogue (def: Pick<PointDefinition, 'quantity' | 'unit' | 'kind'>): boolean {
  const entry = CATALOGUE.get(def.quantity)
  return entry !== undefined && (!entry.units.includes(def.unit) || entry.kind !== def.kind)
}

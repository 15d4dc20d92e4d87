// Pure checks and QuestDB rows for personnel positioning. The envelope has passed its schema; the people are
// counted, then each is checked against the contract's Person schema and for what a schema cannot say: time bounds,
// timestamps that do not exist (month 13) and duplicate cards.
import type { Person, PersonnelEvent, Snapshot } from '../../contract/index.js'
import { schemaId } from '../../server/plugins/schemas.js'
import { toEpochMs } from '../../lib/time.js'
import { bodyTime, type TimeBounds } from '../../2-validate/event-time.js'
import { checkList, itemValidator, Rejection } from '../../2-validate/items.js'
import type { Row } from '../../3-store/types.js'
import type { StoredEvent, StoredPerson, StoredSnapshot } from './types.js'

/** Tables of migrations/003. */
export const SNAPSHOTS_TABLE = 'personnel_snapshots'
export const HEADCOUNT_TABLE = 'personnel_headcount'
export const EVENTS_TABLE = 'personnel_events'

// One person, once the schema passed: a card listed before in the snapshot, or an enteredAt that is no time,
// refuses it. An empty area is no area.
function toPerson (p: Person, index: number, seen: Map<string, number>): StoredPerson | Rejection {
  const first = seen.get(p.card)
  if (first !== undefined) return new Rejection('/card', `card "${p.card}" is already listed at /people/${first}`)
  seen.set(p.card, index)
  const out: StoredPerson = { card: p.card, role: p.role }
  if (p.name !== undefined) out.name = p.name
  if (p.area !== undefined && p.area !== '') out.area = p.area
  if (p.enteredAt !== undefined) {
    const entered = toEpochMs(p.enteredAt)
    if (Number.isNaN(entered)) return new Rejection('/enteredAt', 'is not a valid timestamp')
    out.enteredAt = entered
  }
  return out
}

/** checkSnapshot turns a body whose envelope passed its schema into the snapshot to store, or throws 400 with the paths at fault. */
export function checkSnapshot (site: string, body: Snapshot, bounds: TimeBounds, now: number): StoredSnapshot {
  const ts = bodyTime(body.ts, now, bounds)
  const seen = new Map<string, number>()
  const validate = itemValidator(`${schemaId('personnel.json')}#/definitions/Person`)
  const people = checkList<Person, StoredPerson>(body.people, validate, '/people', 'people are', (p, i) => toPerson(p, i, seen))
  return { site, ts, headcount: people.length, leaders: people.filter((p) => p.role === 'leader').length, people }
}

/** checkEvent turns a schema-valid event body into the event to store. */
export function checkEvent (site: string, body: PersonnelEvent, bounds: TimeBounds, now: number): StoredEvent {
  const ts = bodyTime(body.ts, now, bounds)
  return { site, type: body.type, card: body.card, ts, receivedAt: now, ...(body.area === undefined || body.area === '' ? {} : { area: body.area }) }
}

/** snapshotRows are the rows of personnel_snapshots (one per person) and personnel_headcount (always one). */
export function snapshotRows (s: StoredSnapshot): { people: Row[], headcount: Row } {
  const people = s.people.map((p): Row => ({
    symbols: { site: s.site, card: p.card, role: p.role, ...(p.area === undefined ? {} : { area: p.area }) },
    columns: { name: p.name, entered_at: p.enteredAt, headcount: s.headcount },
    ints: ['headcount'],
    timestamps: ['entered_at'],
    ts: s.ts
  }))
  const headcount: Row = { symbols: { site: s.site }, columns: { headcount: s.headcount, leaders: s.leaders }, ints: ['headcount', 'leaders'], ts: s.ts }
  return { people, headcount }
}

/** eventRow is the row of personnel_events. */
export function eventRow (e: StoredEvent): Row {
  return {
    symbols: { site: e.site, type: e.type, card: e.card, ...(e.area === undefined ? {} : { area: e.area }) },
    columns: { received_at: e.receivedAt },
    timestamps: ['received_at'],
    ts: e.ts
  }
}

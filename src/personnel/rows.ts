// Pure checks and QuestDB rows for personnel positioning. The body has passed its schema; what is left is
// what a schema cannot say: time bounds, timestamps that do not exist (month 13) and duplicate cards.
import type { Person, PersonnelEvent, Snapshot } from '../contract/index.js'
import { InvalidBody, type ItemError } from '../errors/catalogue.js'
import { withDetails } from '../plugins/errors.js'
import { timeProblem, type TimeBounds } from '../ingest/validate.js'
import { toEpochMs } from '../lib/time.js'
import type { Row } from '../store/types.js'
import type { StoredEvent, StoredPerson, StoredSnapshot } from './types.js'

/** Tables of migrations/003. */
export const SNAPSHOTS_TABLE = 'personnel_snapshots'
export const HEADCOUNT_TABLE = 'personnel_headcount'
export const EVENTS_TABLE = 'personnel_events'

function invalid (message: string, details: ItemError[]): Error {
  return withDetails(new InvalidBody(message), details)
}

/** eventTime converts the ts of a body and checks it against the ingest bounds; 400 naming /ts otherwise. */
export function eventTime (ts: number | string, bounds: TimeBounds, now: number): number {
  const ms = toEpochMs(ts)
  const problem = Number.isNaN(ms) ? 'is not a valid timestamp' : timeProblem(ms, now, bounds)
  if (problem !== null) throw invalid(`ts ${problem}`, [{ path: '/ts', message: problem }])
  return ms
}

function toPerson (p: Person, index: number): StoredPerson {
  const out: StoredPerson = { card: p.card, role: p.role }
  if (p.name !== undefined) out.name = p.name
  if (p.area !== undefined) out.area = p.area
  if (p.enteredAt !== undefined) {
    const entered = toEpochMs(p.enteredAt)
    if (Number.isNaN(entered)) {
      throw invalid('a person has an invalid enteredAt', [{ index, path: `/people/${index}/enteredAt`, message: 'is not a valid timestamp' }])
    }
    out.enteredAt = entered
  }
  return out
}

/** checkSnapshot turns a schema-valid body into the snapshot to store, or throws 400 with the paths at fault. */
export function checkSnapshot (site: string, body: Snapshot, bounds: TimeBounds, now: number): StoredSnapshot {
  const ts = eventTime(body.ts, bounds, now)
  const seen = new Map<string, number>()
  const duplicates: ItemError[] = []
  body.people.forEach((p, index) => {
    const first = seen.get(p.card)
    if (first === undefined) seen.set(p.card, index)
    else duplicates.push({ index, path: `/people/${index}/card`, message: `card "${p.card}" is already listed at /people/${first}` })
  })
  if (duplicates.length > 0) throw invalid('a card is listed more than once in the snapshot', duplicates)
  const people = body.people.map(toPerson)
  return { site, ts, headcount: people.length, leaders: people.filter((p) => p.role === 'leader').length, people }
}

/** checkEvent turns a schema-valid event body into the event to store. */
export function checkEvent (site: string, body: PersonnelEvent, bounds: TimeBounds, now: number): StoredEvent {
  const ts = eventTime(body.ts, bounds, now)
  return { site, type: body.type, card: body.card, ts, receivedAt: now, ...(body.area === undefined ? {} : { area: body.area }) }
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

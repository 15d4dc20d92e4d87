// Personnel positioning in QuestDB: write a snapshot or an event, read back the latest snapshot of a site.
import { sqlTimestamp, type Reader, type Writer } from '../../3-store/types.js'
import { EVENTS_TABLE, HEADCOUNT_TABLE, SNAPSHOTS_TABLE, eventRow, snapshotRows } from './rows.js'
import type { PersonRole, StoredEvent, StoredPerson, StoredSnapshot } from './types.js'

/**
 * writeSnapshot stores the people, then the headcount row: the headcount row is the snapshot's marker, so
 * it is written only once the people are acknowledged. Resolves once QuestDB has acknowledged both.
 */
export async function writeSnapshot (writer: Writer, s: StoredSnapshot): Promise<void> {
  const rows = snapshotRows(s)
  await writer.writeRows(SNAPSHOTS_TABLE, rows.people)
  await writer.writeRows(HEADCOUNT_TABLE, [rows.headcount])
}

/** writeEvent stores one personnel event; resolves once QuestDB has acknowledged it. */
export async function writeEvent (writer: Writer, e: StoredEvent): Promise<void> {
  await writer.writeRows(EVENTS_TABLE, [eventRow(e)])
}

interface HeadcountRow { headcount: number, leaders: number, ts: number }
interface PersonRow { card: string, name: string | null, role: string, area: string | null, entered_at: number | null }

/** readLatestSnapshot reads the latest snapshot of `site` from QuestDB, or undefined when it has none. */
export async function readLatestSnapshot (reader: Reader, site: string): Promise<StoredSnapshot | undefined> {
  const [head] = await reader.query<HeadcountRow>(
    `SELECT headcount, leaders, ts FROM ${HEADCOUNT_TABLE} WHERE site = $1 LATEST ON ts PARTITION BY site`, [site])
  if (head === undefined) return undefined
  const rows = head.headcount === 0
    ? []
    : await reader.query<PersonRow>(
      `SELECT card, name, role, area, entered_at FROM ${SNAPSHOTS_TABLE} WHERE site = $1 AND ts = ${sqlTimestamp(head.ts)} ORDER BY card`, [site])
  return { site, ts: head.ts, headcount: head.headcount, leaders: head.leaders, people: rows.map(toPerson) }
}

function toPerson (r: PersonRow): StoredPerson {
  const p: StoredPerson = { card: r.card, role: r.role as PersonRole }
  if (r.name !== null) p.name = r.name
  if (r.area !== null) p.area = r.area
  if (r.entered_at !== null) p.enteredAt = r.entered_at
  return p
}

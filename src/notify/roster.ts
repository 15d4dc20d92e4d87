// Who is on duty at an instant, and who is next: pure functions of a roster and a time. Shift times are local
// to the roster's time zone; a shift whose end is not after its start runs past midnight and belongs to the
// weekday it starts on (a Friday 20:00–08:00 shift covers Saturday 07:00).
import type { Category, Level } from '../contract/index.js'
import type { Contact, Filter, Roster, Shift } from './types.js'

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }
const formats = new Map<string, Intl.DateTimeFormat>()

/** LocalTime is a weekday (1 = Monday) and the minutes since local midnight. */
export interface LocalTime { day: number, minute: number }

/** localTime reads an instant as the weekday and minute of the day in `timezone`. */
export function localTime (at: number, timezone: string): LocalTime {
  let f = formats.get(timezone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    formats.set(timezone, f)
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]))
  return { day: WEEKDAY[parts.weekday ?? ''] ?? 1, minute: Number(parts.hour) * 60 + Number(parts.minute) }
}

/** minutesOf reads "HH:MM" as minutes since midnight. */
export function minutesOf (hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** shiftCovers tells whether a shift is on at a local time. */
export function shiftCovers (s: Shift, t: LocalTime): boolean {
  const start = minutesOf(s.start)
  const end = minutesOf(s.end)
  if (start < end) return s.days.includes(t.day) && t.minute >= start && t.minute < end
  // past midnight (or 24 h when end = start): the evening of its day, and the morning of the next one
  const yesterday = t.day === 1 ? 7 : t.day - 1
  return (s.days.includes(t.day) && t.minute >= start) || (s.days.includes(yesterday) && t.minute < end)
}

/** onDuty lists the shifts on at an instant, in roster order. */
export function onDuty (r: Roster, at: number): Shift[] {
  const t = localTime(at, r.timezone)
  return r.shifts.filter((s) => shiftCovers(s, t))
}

/** AlarmKind is what a filter looks at. */
export interface AlarmKind { level: Level, category: Category }

function passes (f: Filter, a: AlarmKind): boolean {
  return (f.levels === undefined || f.levels.includes(a.level)) && (f.categories === undefined || f.categories.includes(a.category))
}

/** chainOf is a shift's escalation order for an alarm: its contacts that are told about this level and category. */
export function chainOf (s: Shift, a: AlarmKind): Contact[] {
  return passes(s, a) ? s.contacts.filter((c) => passes(c, a)) : []
}

/** Recipient is a contact with the escalation step it is notified for. */
export interface Recipient { contact: Contact, step: number }

/**
 * recipients says who is told about an alarm at an instant: the person on duty (step 0) of every shift on, and,
 * from escalation step N on, the N-th next person of each chain as well (or its last, when the chain is shorter:
 * the top of the chain keeps being told). `upTo` includes every step from 1 to N (a repeat tells everyone involved).
 */
export function recipients (r: Roster, a: AlarmKind, at: number, step: number, upTo = false): Recipient[] {
  const out: Recipient[] = []
  const seen = new Set<Contact>()
  const add = (contact: Contact | undefined, s: number): void => {
    if (contact === undefined || seen.has(contact)) return
    seen.add(contact)
    out.push({ contact, step: s })
  }
  for (const shift of onDuty(r, at)) {
    const chain = chainOf(shift, a)
    add(chain[0], 0)
    for (let s = upTo ? 1 : step; s >= 1 && s <= step; s++) add(chain[Math.min(s, chain.length - 1)], s)
  }
  return out
}

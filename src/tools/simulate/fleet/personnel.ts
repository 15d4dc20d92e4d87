// Personnel positioning (人员定位) of the underground mine: three crews on 8-hour shifts starting 07:00,
// 15:00 and 23:00 Beijing time. Each crew goes down with its duty leader (带班领导, role leader), who enters
// first and comes up last; workers enter over the first half hour and leave before the shift's 8 hours are
// up. Who is underground is a pure function of time, so a snapshot is reproducible like the readings.
import type { Person } from '../../../contract/index.js'
import { hash32 } from '../signals.js'
import { pad } from './builder.js'

/** PERSONNEL_INTERVAL_S is the snapshot period (access standard section 4: at least every 30 s). */
export const PERSONNEL_INTERVAL_S = 30

/** Shift is one crew's shift: its local start hour, the crew letter and how many go down. */
export interface Shift { startHour: number, crew: string, name: string, size: number }

/** Positioning is the positioning system of a site: its shifts and where people work. */
export interface Positioning {
  shifts: readonly Shift[]
  /** the areas workers are spread over, weighted by repetition (stopes hold most people) */
  areas: readonly string[]
  /** the area the duty leader is in */
  leaderArea: string
}

/** UG_POSITIONING is the underground mine's positioning: 64 / 46 / 30 people per shift (approved 180). */
export const UG_POSITIONING: Positioning = Object.freeze({
  shifts: [
    { startHour: 7, crew: 'A', name: '早班', size: 64 },
    { startHour: 15, crew: 'B', name: '中班', size: 46 },
    { startHour: 23, crew: 'C', name: '夜班', size: 30 }
  ],
  areas: ['A5', 'A3', 'A5', 'A4', 'A3', 'A2', 'A6', 'A5', 'A1', 'A7', 'A3', 'A6'],
  leaderArea: 'A5'
})

/** AREA_LIMITS are the per-area headcount limits (configurable defaults, unverified): stopes 25, elsewhere 40. */
export const AREA_LIMITS: Readonly<Record<string, number>> = Object.freeze({ A1: 40, A2: 40, A3: 25, A4: 40, A5: 25, A6: 40, A7: 40 })

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const LOCAL = 8 * HOUR
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
const GIVEN = ['伟', '强', '磊', '军', '勇', '杰', '涛', '明', '超', '刚', '平', '辉', '鹏', '华', '飞', '斌', '建国', '志强', '海涛', '国庆']

/** Stay is one person's time underground in one shift: epoch ms in and out. */
export interface Stay { person: Required<Omit<Person, 'enteredAt'>> & { enteredAt: number }, leaveAt: number }

function unit (key: string): number {
  return hash32(key, 11) / 4294967296
}

/** cardOf is the card of member `i` of `crew` (0 is the duty leader). */
export const cardOf = (crew: string, i: number): string => `C${crew}${pad(i, 3)}`

/** stays lists the stays of one shift of `site` starting at epoch ms `start`. */
export function shiftStays (site: string, p: Positioning, shift: Shift, start: number): Stay[] {
  const day = Math.floor((start + LOCAL) / DAY)
  const out: Stay[] = []
  for (let i = 0; i < shift.size; i++) {
    const card = cardOf(shift.crew, i)
    const name = `${SURNAMES[hash32(`${site}/${card}`, 3) % SURNAMES.length] ?? '王'}${GIVEN[hash32(`${site}/${card}`, 5) % GIVEN.length] ?? '伟'}`
    const r = unit(`${site}/${card}#${day}`)
    // the leader goes down first and comes up last: 07:02 to 14:55 for the early shift; workers enter
    // 07:05-07:25 and leave 14:25-14:50, so nobody stays 8 hours
    const enteredAt = i === 0 ? start + 2 * MIN : start + Math.round(5 * MIN + r * 20 * MIN)
    const leaveAt = i === 0 ? start + 7 * HOUR + 55 * MIN : start + Math.round(7 * HOUR + 25 * MIN + unit(`${card}#out#${day}`) * 25 * MIN)
    const area = i === 0 ? p.leaderArea : (p.areas[i % p.areas.length] ?? p.leaderArea)
    out.push({ person: { card, name, role: i === 0 ? 'leader' : 'worker', area, enteredAt }, leaveAt })
  }
  return out
}

/** peopleAt lists everyone underground at `site` at epoch ms `t` (enteredAt in epoch ms), cards in order. */
export function peopleAt (site: string, p: Positioning, t: number): Array<Stay['person']> {
  const dayStart = Math.floor((t + LOCAL) / DAY) * DAY - LOCAL
  const out: Array<Stay['person']> = []
  for (const d of [dayStart - DAY, dayStart]) {
    for (const shift of p.shifts) {
      for (const s of shiftStays(site, p, shift, d + shift.startHour * HOUR)) {
        if (s.person.enteredAt <= t && t < s.leaveAt) out.push(s.person)
      }
    }
  }
  return out.sort((a, b) => a.card < b.card ? -1 : a.card > b.card ? 1 : 0)
}

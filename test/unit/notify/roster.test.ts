// roster - who is on duty at an instant (shift times local to the roster's zone, shifts past midnight belonging
// to the day they start) and who is next for each escalation step, with level and category filters.
import t from 'tap'
import { chainOf, localTime, onDuty, recipients, shiftCovers } from '../../../src/notify/roster.js'
import type { Roster, Shift } from '../../../src/notify/types.js'

// 2026-11-20 is a Friday; Asia/Shanghai is UTC+8 all year
const shanghai = (day: number, hh: number, mm = 0): number => Date.UTC(2026, 10, day, hh - 8, mm)
const contact = (name: string, over: Record<string, unknown> = {}): Shift['contacts'][number] => ({ name, channels: [{ kind: 'webhook', url: `http://x/${name}` }], ...over })
const day: Shift = { name: '白班', days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00', contacts: [contact('A'), contact('B'), contact('C')] }
const night: Shift = { name: '夜班', days: [5], start: '20:00', end: '08:00', contacts: [contact('N1'), contact('N2')] }
const roster: Roster = { timezone: 'Asia/Shanghai', shifts: [day, night] }
const red = { level: 'red', category: 'over_limit' } as const

t.test('roster - local time is read in the roster zone', async (t) => {
  t.same(localTime(shanghai(20, 7, 59), 'Asia/Shanghai'), { day: 5, minute: 7 * 60 + 59 })
  t.same(localTime(shanghai(21, 0, 30), 'Asia/Shanghai'), { day: 6, minute: 30 }, 'Saturday 00:30 in Shanghai is still Friday in UTC')
  t.equal(localTime(shanghai(21, 0, 30), 'UTC').day, 5)
})

t.test('roster - a shift covers [start, end) of its days', async (t) => {
  t.ok(shiftCovers(day, { day: 5, minute: 8 * 60 }), 'the start minute is in')
  t.notOk(shiftCovers(day, { day: 5, minute: 20 * 60 }), 'the end minute is out')
  t.notOk(shiftCovers(day, { day: 6, minute: 12 * 60 }), 'not on a day it does not list')
})

t.test('roster - a shift past midnight belongs to the day it starts', async (t) => {
  t.same(onDuty(roster, shanghai(20, 23)).map((s) => s.name), ['夜班'], 'Friday 23:00')
  t.same(onDuty(roster, shanghai(21, 7, 59)).map((s) => s.name), ['夜班'], 'Saturday 07:59 is Friday night')
  t.same(onDuty(roster, shanghai(21, 8)).map((s) => s.name), [], 'Saturday 08:00: nobody')
  t.same(onDuty(roster, shanghai(20, 7)).map((s) => s.name), [], 'Friday 07:00: Thursday had no night shift')
  t.same(onDuty(roster, shanghai(20, 12)).map((s) => s.name), ['白班'])
})

t.test('roster - equal start and end is a 24-hour shift', async (t) => {
  const allDay: Shift = { days: [3], start: '06:00', end: '06:00', contacts: [contact('X')] }
  t.ok(shiftCovers(allDay, { day: 3, minute: 6 * 60 }))
  t.ok(shiftCovers(allDay, { day: 4, minute: 5 * 60 + 59 }))
  t.notOk(shiftCovers(allDay, { day: 4, minute: 6 * 60 }))
})

t.test('roster - the person on duty first, the next person for each escalation step', async (t) => {
  const at = shanghai(20, 12)
  t.same(recipients(roster, red, at, 0).map((r) => [r.contact.name, r.step]), [['A', 0]], 'a raise tells the person on duty')
  t.same(recipients(roster, red, at, 1).map((r) => [r.contact.name, r.step]), [['A', 0], ['B', 1]], 'step 1: the next person too')
  t.same(recipients(roster, red, at, 2).map((r) => [r.contact.name, r.step]), [['A', 0], ['C', 2]])
  t.same(recipients(roster, red, at, 5).map((r) => [r.contact.name, r.step]), [['A', 0], ['C', 5]], 'past the end: the last of the chain')
  t.same(recipients(roster, red, at, 2, true).map((r) => r.contact.name), ['A', 'B', 'C'], 'a repeat tells everyone involved')
})

t.test('roster - level and category filters of shifts and contacts shape the chain', async (t) => {
  const s: Shift = { ...day, contacts: [contact('A', { levels: ['red', 'orange'] }), contact('B'), contact('C', { categories: ['personnel'] })] }
  t.same(chainOf(s, red).map((c) => c.name), ['A', 'B'])
  t.same(chainOf(s, { level: 'blue', category: 'over_limit' }).map((c) => c.name), ['B'], 'B is on duty for a blue alarm')
  t.same(chainOf({ ...s, levels: ['red'] }, { level: 'yellow', category: 'over_limit' }), [], 'a shift filter leaves the shift out')
})

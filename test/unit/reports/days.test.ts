// Local days of the daily KPI rows.
import t from 'tap'
import { addDays, dayOf, dayRange, dayStart } from '../../../src/reports/days.js'

t.test('days - Beijing days start at 16:00 UTC the day before', async (t) => {
  t.equal(new Date(dayStart('2026-11-21', 'Asia/Shanghai')).toISOString(), '2026-11-20T16:00:00.000Z')
  t.same(dayRange('2026-11-21', 'Asia/Shanghai').map((ms) => new Date(ms).toISOString()), ['2026-11-20T16:00:00.000Z', '2026-11-21T16:00:00.000Z'])
  t.equal(dayOf(Date.parse('2026-11-20T16:00:00Z'), 'Asia/Shanghai'), '2026-11-21')
  t.equal(dayOf(Date.parse('2026-11-20T15:59:59.999Z'), 'Asia/Shanghai'), '2026-11-20')
  t.equal(dayStart('2026-01-01', 'UTC'), Date.UTC(2026, 0, 1))
})

t.test('days - a daylight-saving day is 23 or 25 hours', async (t) => {
  const [s, e] = dayRange('2026-03-29', 'Europe/Berlin')
  t.equal(new Date(s).toISOString(), '2026-03-28T23:00:00.000Z')
  t.equal((e - s) / 3_600_000, 23)
  const [s2, e2] = dayRange('2026-10-25', 'Europe/Berlin')
  t.equal((e2 - s2) / 3_600_000, 25)
})

t.test('days - addDays crosses months and years; a malformed date is refused', async (t) => {
  t.equal(addDays('2026-12-31', 1), '2027-01-01')
  t.equal(addDays('2026-03-01', -1), '2026-02-28')
  t.throws(() => dayStart('2026-3-1', 'UTC'))
  t.throws(() => addDays('yesterday', 1))
})

// PW-1's night peaks: each suspension night (22:00-06:00 Beijing time) against the daytime before it.
import t from 'tap'
import { NightPeaks } from '../../../../src/4-evaluate/modules/power/night.js'

const MIN = 60_000
const HOUR = 60 * MIN
const W = 15 * MIN
// 2026-11-20 06:00 Beijing time: the start of a daytime
const DAY0 = Date.parse('2026-11-20T06:00:00+08:00')

// feeds one local day from 06:00: 16 h of daytime at dayKw, then 8 h of night at nightKw
function feed (n: NightPeaks, from: number, dayKw: number, nightKw: number, out: unknown[]): void {
  for (let ts = from; ts < from + 24 * HOUR; ts += W) {
    const v = n.add(ts, ts - from < 16 * HOUR ? dayKw : nightKw)
    if (v !== null) out.push([(ts - DAY0) / HOUR, v.peak, v.streak, Math.round(v.nightKw), Math.round(v.dayKw)])
  }
}

t.test('power night peaks - two peak nights in a row make the pattern, a quiet night ends it', async (t) => {
  const n = new NightPeaks({ from: 22, to: 6, factor: 1.3, nights: 2 }, W)
  const verdicts: unknown[] = []
  feed(n, DAY0, 1500, 2200, verdicts)
  t.same(verdicts, [], 'the first night is judged when the next daytime starts')
  feed(n, DAY0 + 24 * HOUR, 1500, 2200, verdicts)
  t.same(verdicts, [[24, true, 1, 2200, 1500]], 'each night judged at its daytime\'s first window')
  t.equal(n.active, false, 'one night is no pattern')
  feed(n, DAY0 + 48 * HOUR, 1500, 1600, verdicts)
  t.same(verdicts.at(-1), [48, true, 2, 2200, 1500])
  t.equal(n.active, true)
  feed(n, DAY0 + 72 * HOUR, 1500, 1600, verdicts)
  t.same(verdicts.at(-1), [72, false, 0, 1600, 1500], '107 % of the day is no peak')
  t.equal(n.active, false)
})

t.test('power night peaks - too few windows, a missing day or a reset is no evidence', async (t) => {
  const n = new NightPeaks({ from: 22, to: 6, factor: 1.3, nights: 1 }, W)
  // a daytime of only 4 h (status changed at 18:00): below half of the 16 h
  for (let ts = DAY0 + 12 * HOUR; ts < DAY0 + 16 * HOUR; ts += W) n.add(ts, 1000)
  for (let ts = DAY0 + 16 * HOUR; ts < DAY0 + 24 * HOUR; ts += W) n.add(ts, 3000)
  t.equal(n.add(DAY0 + 24 * HOUR, 1000), null, 'no full daytime before the night: not judged')
  t.equal(n.active, false)
  for (let ts = DAY0 + 24 * HOUR + W; ts < DAY0 + 40 * HOUR; ts += W) n.add(ts, 1000)
  n.add(DAY0 + 40 * HOUR, 3000)
  t.equal(n.add(DAY0 + 48 * HOUR, 1000), null, 'one window of night is not a night')
  n.reset()
  t.equal(n.add(DAY0 + 49 * HOUR, 1000), null)
  t.equal(n.active, false)
})

t.test('power night peaks - a night that does not cross midnight works the same', async (t) => {
  const n = new NightPeaks({ from: 0, to: 5, factor: 1.5, nights: 1 }, W)
  const start = Date.parse('2026-11-20T05:00:00+08:00')
  let last = null
  for (let ts = start; ts < start + 24 * HOUR + W; ts += W) {
    const local = (ts - start) / HOUR
    last = n.add(ts, local >= 19 ? 900 : 400) ?? last
  }
  t.match(last, { peak: true, streak: 1, nightKw: 900, dayKw: 400 })
  t.equal(n.active, true)
})

// The in-memory registry: the status in force at an event time, complete replacement of a site's points,
// and a version that grows with every change (compiled rules rebuild on it).
import t from 'tap'
import { MemoryRegistry } from '../../../src/registry/memory.js'
import { point, site } from '../../helpers/registry.js'

const T = Date.parse('2026-11-01T00:00:00.000Z')
const H = 3_600_000

t.test('memory - statusAt over a timeline: before, exactly at, between and after the changes', async (t) => {
  const reg = new MemoryRegistry([site('S1', 'underground', {
    status: 'producing',
    timeline: [
      { since: T, status: 'producing' },
      { since: T + 10 * H, status: 'suspended', note: '停产整顿' },
      { since: T + 20 * H, status: 'producing' }
    ]
  })])
  t.equal(reg.statusAt('S1', T - H), 'producing', 'before the first change: the earliest known status')
  t.equal(reg.statusAt('S1', T), 'producing', 'exactly at the first change')
  t.equal(reg.statusAt('S1', T + 10 * H - 1), 'producing', 'one ms before a change: the previous status')
  t.equal(reg.statusAt('S1', T + 10 * H), 'suspended', 'exactly at a change: the new status')
  t.equal(reg.statusAt('S1', T + 15 * H), 'suspended', 'between changes')
  t.equal(reg.statusAt('S1', T + 20 * H), 'producing')
  t.equal(reg.statusAt('S1', T + 1000 * H), 'producing', 'after the last change')
  t.equal(reg.statusAt('NOPE', T), undefined, 'unknown site')
})

t.test('memory - statusAt before the first change reports the first status, not the current one', async (t) => {
  const reg = new MemoryRegistry([site('S1', 'open_pit', {
    status: 'producing',
    timeline: [{ since: T, status: 'maintenance' }, { since: T + H, status: 'producing' }]
  })])
  t.equal(reg.statusAt('S1', T - 1), 'maintenance')
  t.equal(reg.statusAt('S1', T + H - 1), 'maintenance')
  t.equal(reg.statusAt('S1', T + H), 'producing')
})

t.test('memory - a site without a timeline answers its own status', async (t) => {
  const reg = new MemoryRegistry([site('S1', 'tailings_pond', { status: 'closed' })])
  t.equal(reg.statusAt('S1', T), 'closed')
})

t.test('memory - addStatus inserts in time order, replaces a change at the same time, and sets the current status', async (t) => {
  const reg = new MemoryRegistry()
  reg.putSite(site('S1', 'underground', { status: 'producing', timeline: [{ since: T, status: 'producing' }] }))
  const v0 = reg.version()
  reg.addStatus('S1', { since: T + 10 * H, status: 'suspended' })
  reg.addStatus('S1', { since: T + 5 * H, status: 'maintenance', note: '检修' })
  t.same(reg.site('S1')?.timeline, [
    { since: T, status: 'producing' },
    { since: T + 5 * H, status: 'maintenance', note: '检修' },
    { since: T + 10 * H, status: 'suspended' }
  ], 'a change in the past goes in its place')
  t.equal(reg.site('S1')?.status, 'suspended', 'status is the last entry of the timeline')
  t.equal(reg.statusAt('S1', T + 7 * H), 'maintenance')
  reg.addStatus('S1', { since: T + 10 * H, status: 'closed' })
  t.same(reg.site('S1')?.timeline.map((c) => c.status), ['producing', 'maintenance', 'closed'], 'same since: replaced, not doubled')
  t.equal(reg.site('S1')?.status, 'closed')
  t.equal(reg.version(), v0 + 3, 'each change bumps the version')
  reg.addStatus('NOPE', { since: T, status: 'closed' })
  t.equal(reg.site('NOPE'), undefined, 'a status for an unknown site is ignored')
  t.equal(reg.version(), v0 + 3, 'and does not bump the version')
})

t.test('memory - putSite keeps the given timeline and replaces the site', async (t) => {
  const reg = new MemoryRegistry()
  t.equal(reg.version(), 0)
  reg.putSite(site('S1'))
  reg.putSite(site('S2', 'coal_mine'))
  t.equal(reg.version(), 2)
  reg.putSite(site('S1', 'open_pit', { name: '新名字' }))
  t.equal(reg.version(), 3)
  t.equal(reg.site('S1')?.name, '新名字')
  t.equal(reg.site('S1')?.kind, 'open_pit')
  t.same(reg.sites().map((s) => s.code).sort(), ['S1', 'S2'])
})

t.test('memory - replacePoints makes the given points the complete set of a site', async (t) => {
  const reg = new MemoryRegistry([site('S1'), site('S2')], [
    point('S1', 'CO-101', 'co'), point('S1', 'CH4-1', 'ch4'), point('S2', 'CO-101', 'co', { intervalS: 60 })
  ])
  t.equal(reg.version(), 0, 'constructor contents are version 0')
  t.same(reg.pointsOf('S1').map((p) => p.code).sort(), ['CH4-1', 'CO-101'])
  t.equal(reg.point('S2', 'CO-101')?.intervalS, 60, 'a point is identified by site + code')

  reg.replacePoints('S1', [point('S1', 'CO-101', 'co', { intervalS: 30 }), point('S1', 'O2-1', 'o2')])
  t.equal(reg.version(), 1)
  t.same(reg.pointsOf('S1').map((p) => p.code).sort(), ['CO-101', 'O2-1'])
  t.equal(reg.point('S1', 'CH4-1'), undefined, 'a point left out is gone')
  t.equal(reg.point('S1', 'CO-101')?.intervalS, 30, 'a kept point takes its new definition')
  t.equal(reg.point('S2', 'CO-101')?.intervalS, 60, 'other sites are untouched')

  reg.replacePoints('S1', [])
  t.equal(reg.version(), 2)
  t.same(reg.pointsOf('S1'), [], 'an empty list removes every point')
  t.same(reg.pointsOf('NOPE'), [], 'an unknown site has no points')
  t.equal(reg.point('NOPE', 'CO-101'), undefined)

  reg.replacePoints('S3', [point('S3', 'P1', 'rainfall')])
  t.equal(reg.point('S3', 'P1')?.quantity, 'rainfall', 'points of a site not (yet) in memory are kept')
  t.equal(reg.version(), 3)
})

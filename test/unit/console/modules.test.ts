// console modules - a point's module is the family of the first specific rule matching its quantity and the
// site's kind; generic families (silence, device status, quality, trends) never decide; power meters and a few
// quantities without a rule have a family of their own; anything else is "other".
import t from 'tap'
import { moduleOfPoint, OTHER, type RuleMatch } from '../../../console/modules.js'

const rules: RuleMatch[] = [
  { id: 'connectivity.point.no_data', match: null },
  { id: 'trend.co.rise', match: { quantity: ['co'] } },
  { id: 'gas.co.limit', match: { quantity: ['co'], siteKind: ['underground', 'coal_mine'] } },
  { id: 'hazchem.co.limit', match: { quantity: ['co'], siteKind: ['hazchem'] } },
  { id: 'tailings.displacement', match: { quantity: ['displacement_h'], siteKind: ['tailings_pond'] } },
  { id: 'slope.cumulative.horizontal', match: { quantity: ['displacement_h'], siteKind: ['open_pit'] } },
  { id: 'power.hoist.overload', match: { siteKind: ['underground'] } }
]

t.test('console modules - the first specific rule that takes the quantity on this kind of site decides', async (t) => {
  t.equal(moduleOfPoint('co', 'underground', rules), 'gas', 'a trend rule listed first does not decide')
  t.equal(moduleOfPoint('co', 'hazchem', rules), 'hazchem', 'the site kind picks the family')
  t.equal(moduleOfPoint('displacement_h', 'open_pit', rules), 'slope')
  t.equal(moduleOfPoint('displacement_h', 'tailings_pond', rules), 'tailings')
})

t.test('console modules - quantities no rule matches: power meters and the like by family, else other', async (t) => {
  t.equal(moduleOfPoint('power_kw', 'underground', rules), 'power', 'a power rule matching no quantity does not take every point')
  t.equal(moduleOfPoint('air_volume', 'underground', rules), 'ventilation')
  t.equal(moduleOfPoint('co', 'open_pit', rules), OTHER, 'no CO rule for an open pit here')
  t.equal(moduleOfPoint('rainfall', 'open_pit', []), OTHER, 'no rules read (yet): other')
})

// Which points a rule's match admits, in particular the attribute forms: a value, one of a list, absent.
import t from 'tap'
import { pointMatches } from '../../../src/engine/match.js'
import type { Point } from '../../../src/registry/types.js'

const point = (attributes: Point['attributes']): Point => ({
  site: 'S', code: 'P', quantity: 'fan_status', unit: '-', kind: 'switch', intervalS: 20, attributes, definedAt: 0
})

t.test('match - an attribute value must be equal', async (t) => {
  t.ok(pointMatches({ attributes: { equipment: 'main_fan' } }, point({ equipment: 'main_fan' })))
  t.notOk(pointMatches({ attributes: { equipment: 'main_fan' } }, point({ equipment: 'local_fan' })))
  t.notOk(pointMatches({ attributes: { equipment: 'main_fan' } }, point({})), 'an absent attribute is not equal to a value')
})

t.test('match - a list admits any of its values, null stands for an absent attribute', async (t) => {
  const m = { attributes: { equipment: 'main_fan', standby: [false, null] } }
  t.ok(pointMatches(m, point({ equipment: 'main_fan', standby: false })))
  t.ok(pointMatches(m, point({ equipment: 'main_fan' })), 'standby not given')
  t.notOk(pointMatches(m, point({ equipment: 'main_fan', standby: true })), 'a standby fan is left out')
  t.ok(pointMatches({ attributes: { ch4Position: null } }, point({})))
  t.notOk(pointMatches({ attributes: { ch4Position: null } }, point({ ch4Position: 'T7' })), 'null demands absence')
  t.notOk(pointMatches({ attributes: { ch4Position: [null, 'T0', 'T1'] } }, point({ ch4Position: 'T7' })))
})

// Which points a rule's match admits, in particular the attribute forms: a value, one of a list, absent.
import t from 'tap'
import { judgesValues, pointMatches } from '../../../src/4-evaluate/match.js'
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

t.test('match - {not: list} admits every value outside the list, absence included', async (t) => {
  const m = { attributes: { ch4Position: { not: ['T2', 'T3', 'T4', 'T7', 'T8'] } } }
  t.ok(pointMatches(m, point({ ch4Position: 'T1' })))
  t.ok(pointMatches(m, point({ ch4Position: 'T5' })), 'an unlisted position stays judged by the general rule')
  t.ok(pointMatches(m, point({})), 'no position at all')
  t.notOk(pointMatches(m, point({ ch4Position: 'T7' })), 'a position with a rule of its own is left out')
})

t.test('match - a point off the quantity catalogue is judged on its values only by a rule naming its unit', async (t) => {
  const co: Point = { ...point({}), quantity: 'co', unit: 'mg/m³', kind: 'analog', offCatalogue: true }
  t.notOk(judgesValues({ quantity: ['co'] }, co), 'a ppm rule keeps off a mg/m³ point')
  t.ok(judgesValues({ quantity: ['co'], unit: ['mg/m³'] }, co), 'a rule written for mg/m³ judges it')
  t.ok(judgesValues({ quantity: ['co'] }, { ...co, unit: 'ppm', offCatalogue: undefined } as Point))
})

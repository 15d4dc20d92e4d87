// MINEWATCH_DEMO_SCENARIO and MINEWATCH_DEMO_SCENARIO_AT through the configuration: their forms are checked with
// the rest of the environment, a well-formed but unknown name is left to the demo feed (which logs it and runs clean).
import t from 'tap'
import { loadConfig } from '../../../../src/server/config/load.js'

t.test('config - the demo scenario: names once each, when (default 5m, a bare number is seconds)', async (t) => {
  t.equal(loadConfig({}).demoScenario, undefined, 'none by default')
  t.equal(loadConfig({ MINEWATCH_DEMO_SCENARIO: ' ' }).demoScenario, undefined, 'blank: none')
  t.equal(loadConfig({ MINEWATCH_DEMO_SCENARIO: ' , ' }).demoScenario, undefined, 'only commas: none')
  t.same(loadConfig({ MINEWATCH_DEMO_SCENARIO: 'co-leak' }).demoScenario, { names: ['co-leak'], atMs: 300_000 })
  t.same(loadConfig({ MINEWATCH_DEMO_SCENARIO: ' co-leak, sos ,co-leak,', MINEWATCH_DEMO_SCENARIO_AT: '1h30m' }).demoScenario, { names: ['co-leak', 'sos'], atMs: 5_400_000 })
  t.same(loadConfig({ MINEWATCH_DEMO_SCENARIO: 'sos', MINEWATCH_DEMO_SCENARIO_AT: '90' }).demoScenario, { names: ['sos'], atMs: 90_000 })
  t.same(loadConfig({ MINEWATCH_DEMO_SCENARIO: 'no-such-scenario' }).demoScenario?.names, ['no-such-scenario'], 'unknown names are the feed\'s to report')
  t.ok(Object.isFrozen(loadConfig({ MINEWATCH_DEMO_SCENARIO: 'sos' }).demoScenario?.names), 'frozen with the rest')
})

t.test('config - a malformed demo scenario or offset is refused, naming the variable', async (t) => {
  for (const bad of ['co leak', 'CO-LEAK', 'co_leak', 'co-leak;sos', '-co-leak']) {
    t.throws(() => loadConfig({ MINEWATCH_DEMO_SCENARIO: bad }), { code: 'MW_ERR_INVALID_CONFIG', message: /env\/MINEWATCH_DEMO_SCENARIO must match pattern/ }, bad)
  }
  for (const bad of ['soon', '-5m', '5 m', '30m1h', '']) {
    t.throws(() => loadConfig({ MINEWATCH_DEMO_SCENARIO: 'sos', MINEWATCH_DEMO_SCENARIO_AT: bad }), { code: 'MW_ERR_INVALID_CONFIG', message: /env\/MINEWATCH_DEMO_SCENARIO_AT must match pattern/ }, bad)
  }
  t.throws(() => loadConfig({ MINEWATCH_DEMO_SCENARIO_AT: 'soon' }), { code: 'MW_ERR_INVALID_CONFIG' }, 'checked even with no scenario')
  t.throws(() => loadConfig({ MINEWATCH_DEMO_SCENARIO_AT: `${'9'.repeat(400)}d` }), { code: 'MW_ERR_INVALID_CONFIG', message: 'env/MINEWATCH_DEMO_SCENARIO_AT "' + '9'.repeat(400) + 'd" is not a duration (too long)' })
})

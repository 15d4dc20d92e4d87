import t from 'tap'
import { loadConfig } from '../../../../src/server/config/load.js'

t.test('risk config - defaults, overrides and refusals of the MINEWATCH_RISK_* variables', async (t) => {
  t.same(loadConfig({}).risk, { stream: 'MINEWATCH_RISK', step: 5, hysteresis: 3, multiSourceBonus: 0.25, historyPerSite: 1000 }, 'defaults')
  const set = loadConfig({
    MINEWATCH_RISK_STREAM: 'RISK_T', MINEWATCH_RISK_STEP: '2.5', MINEWATCH_RISK_HYSTERESIS: '0', MINEWATCH_RISK_MULTI_SOURCE_BONUS: '0.5', MINEWATCH_RISK_HISTORY_PER_SITE: '10'
  })
  t.same(set.risk, { stream: 'RISK_T', step: 2.5, hysteresis: 0, multiSourceBonus: 0.5, historyPerSite: 10 }, 'overrides, as numbers')
  for (const [name, value] of [
    ['MINEWATCH_RISK_STEP', '0'],
    ['MINEWATCH_RISK_HYSTERESIS', '-1'],
    ['MINEWATCH_RISK_MULTI_SOURCE_BONUS', '2'],
    ['MINEWATCH_RISK_HISTORY_PER_SITE', '0'],
    ['MINEWATCH_RISK_STREAM', 'risk.stream']
  ] as const) {
    t.throws(() => loadConfig({ [name]: value }), { code: 'MW_ERR_INVALID_CONFIG', message: new RegExp(name) }, `${name}=${value} is refused, naming the variable`)
  }
})

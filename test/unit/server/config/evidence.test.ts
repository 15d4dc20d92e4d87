// config evidence - the evidence window and settle delay: defaults 30 min before, 10 min after, 1 min settle;
// any duration form (a bare number is seconds); a malformed one refused, naming the variable.
import t from 'tap'
import { loadConfig } from '../../../../src/server/config/load.js'

t.test('config evidence - defaults, durations and bare seconds', async (t) => {
  t.same(loadConfig({}).evidence, { beforeMs: 30 * 60_000, afterMs: 10 * 60_000, settleMs: 60_000 })
  t.same(loadConfig({ MINEWATCH_EVIDENCE_BEFORE: '1h', MINEWATCH_EVIDENCE_AFTER: '90s', MINEWATCH_EVIDENCE_SETTLE: '5' }).evidence,
    { beforeMs: 3_600_000, afterMs: 90_000, settleMs: 5000 })
})

t.test('config evidence - a malformed duration is refused, naming the variable', async (t) => {
  for (const name of ['MINEWATCH_EVIDENCE_BEFORE', 'MINEWATCH_EVIDENCE_AFTER', 'MINEWATCH_EVIDENCE_SETTLE']) {
    t.throws(() => loadConfig({ [name]: 'ten minutes' }), { code: 'MW_ERR_INVALID_CONFIG', message: new RegExp(name) }, name)
  }
})

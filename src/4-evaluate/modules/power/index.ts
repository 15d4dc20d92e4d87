// The power module (智能用电分析 and the networking interruption of a producing site): PW-1
// production during suspension (power_suspension), PW-2 fan on/off point against its feeder's power
// (fan_power_conflict), and the escalation of a producing site's silence (site_silent_producing, DQ-5).
import type { RuleModule } from '../../module.js'
import { KINDS, issues } from './config.js'
import { fanConflictRunner } from './fan-conflict.js'
import type { Runner } from './runner.js'
import { silentRunner } from './silent.js'
import { suspensionRunner } from './suspension.js'

/** POWER is the power module. */
export const POWER: RuleModule = {
  name: 'power',
  kinds: KINDS,
  issues,
  create ({ env }) {
    const runners: Runner[] = [suspensionRunner(env), fanConflictRunner(env), silentRunner(env)]
    return {
      bind: (rules, registry) => runners.flatMap((r) => r.bind(rules, registry)),
      readings: (rows, ctx) => { for (const r of runners) r.readings?.(rows, ctx) },
      input: (i, ctx) => { for (const r of runners) r.input?.(i, ctx) },
      check: (ctx) => { for (const r of runners) r.check?.(ctx) }
    }
  }
}

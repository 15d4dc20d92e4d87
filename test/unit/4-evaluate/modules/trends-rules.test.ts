// rules:check on the trend and data-quality kinds: the schema of each kind's fields and the semantic checks
// a schema cannot make, each error naming the rule's field.
import t from 'tap'
import { parseRuleFile } from '../../../../src/4-evaluate/load-rules.js'

const head = (kind: string): string => `groups:
  - name: g
    rules:
      - id: r1
        kind: ${kind}
        title: t
        category: early_warning
        source: s
`

function errors (text: string): string[] {
  return parseRuleFile('t.yaml', text).errors.map((e) => `${e.line}:${e.column} ${e.path} ${e.message}`)
}

t.test('trend rules check - valid rules of each kind load', async (t) => {
  t.same(errors(head('rate') + '        window: 30m\n        per: 1h\n        direction: upper\n        levels: { yellow: { at: 6, release: 3 } }\n'), [])
  t.same(errors(head('predict') + '        window: 15m\n        horizon: 30m\n        direction: upper\n        limit: 24\n        levels: { yellow: { at: 30, release: 40 } }\n'), [])
  t.same(errors(head('tangent_angle') + '        window: 12h\n        levels: { red: { at: 85, release: 83 } }\n'), [])
  t.same(errors(head('inverse_velocity') + '        window: 2h\n        velocityWindow: 1h\n        horizon: 4h\n        minVelocityPerHour: 0.8\n'), [])
  t.same(errors(head('frozen') + '        for: 2h\n        minNeighbours: 2\n        level: yellow\n'), [])
})

t.test('trend rules check - missing and unknown fields, bad durations', async (t) => {
  t.same(errors(head('rate') + '        window: 30\n        direction: upward\n        levels: { yellow: { at: 6, release: 3 } }\n        slope: 1\n'), [
    '4:9 /groups/0/rules/0/per missing required property "per"',
    '9:17 /groups/0/rules/0/window must be string',
    '10:20 /groups/0/rules/0/direction must be one of: upper, lower',
    '12:9 /groups/0/rules/0/slope unknown property "slope"'
  ])
})

t.test('trend rules check - release bands, horizon and zero durations', async (t) => {
  t.same(errors(head('rate') + '        window: 0m\n        per: 1h\n        direction: upper\n        levels: { yellow: { at: 6, release: 7 }, red: { at: 5, release: 4 } }\n'), [
    '9:17 /groups/0/rules/0/window window must be longer than 0',
    '12:45 /groups/0/rules/0/levels/yellow/release release 7 must be below at 6 (upper)',
    '12:61 /groups/0/rules/0/levels/red/at at 5 must be above yellow\'s at 6 (upper)'
  ])
  t.same(errors(head('predict') + '        window: 15m\n        horizon: 30m\n        direction: upper\n        levels: { yellow: { at: 45, release: 60 }, orange: { at: 10, release: 8 } }\n'), [
    '12:33 /groups/0/rules/0/levels/yellow/at at 45 min lies beyond the horizon (30 min)',
    '12:79 /groups/0/rules/0/levels/orange/release release 8 must be above at 10 (lower)'
  ])
  t.same(errors(head('inverse_velocity') + '        window: 2h\n        velocityWindow: 1h\n        horizon: 4h\n        minVelocityPerHour: 0\n'), [
    '12:29 /groups/0/rules/0/minVelocityPerHour must be > 0'
  ])
  t.same(errors(head('inverse_velocity') + '        window: 2h\n        velocityWindow: 1h\n        horizon: 4h\n        release: 3h\n        minVelocityPerHour: 1\n'), [
    '12:18 /groups/0/rules/0/release release 3h must be longer than horizon 4h'
  ])
})

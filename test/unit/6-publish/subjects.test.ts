import t from 'tap'
import { alarmSubject, ALARM_SUBJECTS, decodeToken, encodeToken } from '../../../src/6-publish/subjects.js'

t.test('publish - alarm subjects follow the contract', async (t) => {
  t.equal(alarmSubject('SC-IRON', 'over_limit', 'yellow'), 'minewatch.alarm.SC-IRON.over_limit.yellow')
  t.equal(ALARM_SUBJECTS, 'minewatch.alarm.>')
})

t.test('publish - a dot in a site code does not split the subject token', async (t) => {
  const subject = alarmSubject('mine.north_2', 'fault', 'red')
  t.equal(subject, 'minewatch.alarm.mine%2Enorth_2.fault.red')
  t.equal(subject.split('.').length, 5, 'still five tokens: category and level stay in place')
  t.equal(decodeToken(subject.split('.')[2] as string), 'mine.north_2')
})

t.test('publish - encoding is reversible and leaves code characters alone', async (t) => {
  t.equal(encodeToken('Az09_-'), 'Az09_-')
  for (const code of ['a.b.c', '.', 'SC-IRON', 'x y*>', '矿.1']) t.equal(decodeToken(encodeToken(code)), code, code)
  t.notMatch(encodeToken('x y*>'), /[ *>.]/, 'no NATS wildcard, space or separator survives')
})

// 杏山铁矿 (underground): the places its environment sensors are spread over, and their reporting interval.

/** Underground environment points report every 20 s (non-coal access specification). */
export const UG_INTERVAL_S = 20

/** UG_PLACES are the underground places, with the kind of airway or working each is. */
export const UG_PLACES: ReadonlyArray<{ location: string, area: string, kind: 'intake' | 'haulage' | 'stope' | 'return' | 'chamber' }> = [
  { location: '-180m 主井井底车场', area: 'A1', kind: 'intake' },
  { location: '-180m 副井马头门', area: 'A1', kind: 'intake' },
  { location: '-180m 炸药库', area: 'A1', kind: 'chamber' },
  { location: '-240m 主运输巷', area: 'A2', kind: 'haulage' },
  { location: '-240m 3#采场进路', area: 'A3', kind: 'stope' },
  { location: '-240m 东回风巷', area: 'A3', kind: 'return' },
  { location: '-300m 主运输巷', area: 'A4', kind: 'haulage' },
  { location: '-300m 7#采场', area: 'A5', kind: 'stope' },
  { location: '-300m 西回风巷', area: 'A5', kind: 'return' },
  { location: '-300m 避险硐室', area: 'A5', kind: 'chamber' },
  { location: '-330m 破碎硐室', area: 'A6', kind: 'chamber' },
  { location: '-330m 主水泵房', area: 'A6', kind: 'chamber' },
  { location: '-330m 中央变电所', area: 'A6', kind: 'chamber' },
  { location: '斜坡道 -120m 段', area: 'A7', kind: 'haulage' },
  { location: '-240m 溜井卸矿站', area: 'A2', kind: 'haulage' },
  { location: '-300m 掘进工作面', area: 'A5', kind: 'stope' }
]

/** place returns the i-th place, cycling through UG_PLACES. */
export function place (i: number): (typeof UG_PLACES)[number] {
  return UG_PLACES[i % UG_PLACES.length] as (typeof UG_PLACES)[number]
}

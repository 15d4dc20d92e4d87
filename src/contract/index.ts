// The access standard v1 as TypeScript: generated types plus the names the code uses for their parts.
import type { AlarmMessage, SiteInput, PointDefinition } from './types.generated.js'

export type * from './types.generated.js'

/** Level is an alarm colour, ordered blue < yellow < orange < red. */
export type Level = AlarmMessage['level']
/** Category is the contract's alarm category. */
export type Category = AlarmMessage['category']
/** TransitionName is one of the seven alarm transitions of section 6. */
export type TransitionName = AlarmMessage['transition']
/** HandlingState is the operator-side state of an alarm (section 7). */
export type HandlingState = NonNullable<AlarmMessage['state']>
export type Disposition = NonNullable<AlarmMessage['disposition']>
export type SiteKind = SiteInput['kind']
export type SiteStatus = SiteInput['status']
export type PointKind = PointDefinition['kind']
export type Quantity = PointDefinition['quantity']

/** LEVELS lists the colours from lowest to highest; the index is the rank. */
export const LEVELS: readonly Level[] = Object.freeze(['blue', 'yellow', 'orange', 'red'])

/** levelRank gives 0 for blue up to 3 for red. */
export function levelRank (level: Level): number {
  return LEVELS.indexOf(level)
}

/** Chinese names of the colours, for titles and messages read in the duty room. */
export const LEVEL_ZH: Readonly<Record<Level, string>> = Object.freeze({
  blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色'
})

export const CATEGORY_ZH: Readonly<Record<Category, string>> = Object.freeze({
  early_warning: '监测预警', over_limit: '超限报警', violation: '违章报警', fault: '设备故障'
})

/** Device status bits of a reading (测点状态), section 3. */
export const STATUS = Object.freeze({
  ALARM: 1,
  POWER_CUT: 2,
  CALIBRATION: 4,
  OVER_RANGE: 8,
  SUBSTATION_FAULT: 16,
  NOT_POLLED: 32,
  PAUSED: 64,
  SENSOR_FAULT: 128
})

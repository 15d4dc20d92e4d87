// Chinese wording of the trend kinds for the duty room. Kept apart from the arithmetic, like messages.ts.
import { LEVEL_ZH } from '../../../contract/index.js'
import type { ThresholdStep } from '../../steps/threshold.js'
import { durationZh, num, quantityLabel } from '../../messages.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const BEIJING_OFFSET_MS = 8 * HOUR

/** levelText ends a message with what happened to the level: "，黄色", "，升级为红色", "，降为黄色", "，已解除". */
export function levelText (step: ThresholdStep): string {
  if (step.to === null) return '，已解除'
  if (step.from === null) return `，${LEVEL_ZH[step.to]}`
  return step.release === null ? `，升级为${LEVEL_ZH[step.to]}` : `，降为${LEVEL_ZH[step.to]}`
}

/** perText is a rate's time unit: "h", "d", "min", else "10 分钟". */
export function perText (perMs: number): string {
  if (perMs === HOUR) return 'h'
  if (perMs === DAY) return 'd'
  if (perMs === 60_000) return 'min'
  return durationZh(perMs)
}

/** rateText renders a rate with its unit: "8.2 ppm/h". */
export function rateText (rate: number, unit: string, perMs: number): string {
  return `${round(rate)} ${unit}/${perText(perMs)}`
}

/** beijingTime renders epoch ms as Beijing time (UTC+8) to the minute: "2026-11-21 18:05". */
export function beijingTime (ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')
}

/** round renders a derived number readably: three significant digits, one decimal from 100 up. */
export function round (v: number): string {
  return num(Math.abs(v) >= 100 ? Math.round(v * 10) / 10 : Number(v.toPrecision(3)))
}

const LABEL_ZH: Readonly<Record<string, string>> = {
  displacement_h: '水平位移',
  displacement_v: '垂直位移',
  displacement_3d: '累计位移',
  deep_displacement: '深部位移',
  crack_width: '裂缝宽度',
  groundwater_level: '地下水位'
}

/** label is a quantity's name in a trend message (the engine's labels, plus the slope quantities). */
export function label (quantity: string): string {
  return LABEL_ZH[quantity] ?? quantityLabel(quantity)
}

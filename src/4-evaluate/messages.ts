// Chinese texts for the duty room, e.g. "CO-101（-200m 主运输巷）CO 31 ppm ≥ 24 ppm，黄色".
// Kept apart from the semantics so wording can change without touching a rule kind.
import { LEVEL_ZH, type Level } from '../contract/index.js'
import type { Point, Site } from '../registry/types.js'
import type { Direction } from './rule-file.js'
import { statusNames } from './steps/device-status.js'

const GASES = new Set(['ch4', 'co', 'co2', 'o2', 'h2s', 'no2', 'so2', 'nh3'])
const QUANTITY_ZH: Readonly<Record<string, string>> = {
  dust: '粉尘',
  temperature: '温度',
  wind_speed: '风速',
  air_volume: '风量',
  negative_pressure: '负压',
  fan_status: '风机状态',
  smoke: '烟雾',
  rainfall: '降雨量',
  pool_level: '库水位',
  dry_beach_length: '干滩长度',
  freeboard: '安全超高',
  phreatic_depth: '浸润线埋深',
  combustible_lel: '可燃气体'
}

/** quantityLabel is how a quantity reads in a message: gas formulas in capitals, others in Chinese. */
export function quantityLabel (q: string): string {
  return GASES.has(q) ? q.toUpperCase() : QUANTITY_ZH[q] ?? q
}

/** num renders a number without float noise: 0.1 + 0.2 reads "0.3", 31.0 reads "31". */
export function num (v: number): string {
  return String(Number(v.toPrecision(6)))
}

/** pointHead names a point with its location, ready for text to follow: "CO-101（-200m 主运输巷）" or "CO-101 ". */
export function pointHead (p: Point): string {
  return p.location === undefined || p.location === '' ? `${p.code} ` : `${p.code}（${p.location}）`
}

/** siteHead names a site, ready for text to follow: "水厂铁矿（SC-IRON）" or "SC-IRON ". */
export function siteHead (s: Site): string {
  return s.name === '' || s.name === s.code ? `${s.code} ` : `${s.name}（${s.code}）`
}

/** durationZh renders milliseconds as "1 分 30 秒", "2 小时 5 分". */
export function durationZh (ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} 秒`
  if (s < 3600) return s % 60 === 0 ? `${s / 60} 分钟` : `${Math.floor(s / 60)} 分 ${s % 60} 秒`
  const m = Math.floor(s / 60)
  return m % 60 === 0 ? `${m / 60} 小时` : `${Math.floor(m / 60)} 小时 ${m % 60} 分`
}

/** ThresholdText is what a threshold message needs. */
export interface ThresholdText {
  point: Point
  direction: Direction
  value: number
  from: Level | null
  to: Level | null
  limit: number
  release: number | null
}

/** thresholdMessage words a threshold change: raised, escalated, de-escalated or cleared. */
export function thresholdMessage (x: ThresholdText): string {
  const u = x.point.unit === '' ? '' : ` ${x.point.unit}`
  const head = `${pointHead(x.point)}${quantityLabel(x.point.quantity)} ${num(x.value)}${u}`
  const reach = x.direction === 'upper' ? '≥' : '≤'
  const back = x.direction === 'upper' ? '<' : '>'
  if (x.to === null) return `${head} ${back} ${num(x.limit)}${u}，已解除`
  if (x.from === null) return `${head} ${reach} ${num(x.limit)}${u}，${LEVEL_ZH[x.to]}`
  if (x.release === null) return `${head} ${reach} ${num(x.limit)}${u}，升级为${LEVEL_ZH[x.to]}`
  return `${head} ${back} ${num(x.release)}${u}，降为${LEVEL_ZH[x.to]}`
}

/** deviceMessage words a device-status change, e.g. "CO-101（…）传感器故障：状态 传感器故障，黄色". */
export function deviceMessage (point: Point, title: string, to: Level | null, bits: number, value: number): string {
  if (to === null) return `${pointHead(point)}${title}已解除`
  const r = point.range
  const outside = r !== undefined && (value < r[0] || value > r[1])
  const detail = outside ? `，值 ${num(value)} ${point.unit} 超出量程 ${num(r[0])}–${num(r[1])}` : ''
  return `${pointHead(point)}${title}：状态 ${statusNames(bits)}${detail}，${LEVEL_ZH[to]}`
}

/** silenceMessage words a no-data raise for a point or (point undefined) a whole site. */
export function silenceMessage (site: Site, point: Point | undefined, title: string, thresholdMs: number, level: Level): string {
  if (point === undefined) return `${siteHead(site)}${title}：全部测点超过 ${durationZh(thresholdMs)}无数据，${LEVEL_ZH[level]}`
  return `${pointHead(point)}${title}：超过 ${durationZh(thresholdMs)}无数据（上报周期 ${point.intervalS} 秒），${LEVEL_ZH[level]}`
}

/** resumeMessage words a no-data clear: data arrived again. */
export function resumeMessage (site: Site, point: Point | undefined, title: string, by: Point): string {
  const who = point === undefined ? siteHead(site) : pointHead(point)
  return `${who}${title}已解除：${by.code} 恢复上报`
}

// The simulated fleet: the Shougang Mining (首钢矿业) sites of the Beijing key non-coal mine project
// (shared/seeds/001): 杏山铁矿 underground, 水厂铁矿 and 大石河铁矿 open pits, two tailings ponds and a
// waste dump, with the point definitions of the seed's counts — 52 toxic-gas sensors and 68 ventilation
// sensors underground, 4 slope monitoring systems, 30 other devices (power metering) — plus the
// tailings-pond monitoring. Codes are stable, so a rerun updates the same sites and points.
// The 32 video channels and the personnel positioning system are recorded as site attributes only:
// the simulator feeds readings (access standard section 3), not video or positioning (sections 4-5).
import type { Attributes, PointDefinition, Quantity, SiteInput } from '../contract/index.js'
import { hash32, type SignalParams, type SignalPoint } from './signals.js'

/** FleetPoint is a point definition as PUT to the registry, with the clean signal that drives it. */
export interface FleetPoint extends SignalPoint {
  site: string
  def: PointDefinition
}

/** FleetSite is a site as PUT to the registry and its points. */
export interface FleetSite {
  code: string
  input: SiteInput
  points: FleetPoint[]
}

/** Fleet is every simulated site. */
export interface Fleet { sites: FleetSite[] }

/** SEED_COUNTS are the device counts of the seed (项目支出绩效自评表 2024, 北京市应急管理局). */
export const SEED_COUNTS = Object.freeze({
  videoChannels: 32,
  toxicGas: 52,
  ventilation: 68,
  positioningSystems: 1,
  slopeSystems: 4,
  otherDevices: 30
})

/** TOXIC_GAS and VENTILATION are the quantities counted as 有毒有害气体 and 通风 sensors. */
export const TOXIC_GAS: readonly Quantity[] = ['co', 'o2', 'h2s', 'no2', 'so2']
export const VENTILATION: readonly Quantity[] = ['wind_speed', 'air_volume', 'negative_pressure', 'temperature', 'fan_status']

/** Underground environment points report every 20 s (non-coal access specification). */
const UG_INTERVAL_S = 20
const POWER_INTERVAL_S = 60
const SLOPE_INTERVAL_S = 300
const TAILINGS_INTERVAL_S = 600

const ENTERPRISE = '首钢矿业公司'
const REGION = '110000'

/** a signal around `base` whose safe band is base ± band, kept inside [lo, hi] */
function around (base: number, band: number, o: Omit<SignalParams, 'base' | 'min' | 'max'>, lo = -Infinity, hi = Infinity): SignalParams {
  return { base, min: Math.max(lo, base - band), max: Math.min(hi, base + band), ...o }
}

/** jitter gives a stable value in [-1, 1) for a key, so sibling points differ but never change. */
function jitter (key: string): number {
  return (hash32(key, 7) / 4294967296) * 2 - 1
}

class SiteBuilder {
  readonly points: FleetPoint[] = []
  constructor (readonly code: string) {}

  add (def: PointDefinition, signal: SignalParams): void {
    this.points.push({ site: this.code, key: `${this.code}/${def.pointCode}`, intervalS: def.intervalS, def, signal })
  }
}

const pad = (n: number, w = 3): string => String(n).padStart(w, '0')

// ---- 杏山铁矿 (underground) ----------------------------------------------------------------------

const UG_PLACES: ReadonlyArray<{ location: string, area: string, kind: 'intake' | 'haulage' | 'stope' | 'return' | 'chamber' }> = [
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

function place (i: number): (typeof UG_PLACES)[number] {
  return UG_PLACES[i % UG_PLACES.length] as (typeof UG_PLACES)[number]
}

// Clean bands stay well inside the defaults of rules/gas.yaml (CO < 24/20 ppm, O2 > 20/20.5 %,
// H2S < 6.6/6, NO2 < 2.5/2, SO2 < 5/4): the feed must raise no alarm until a scenario says so.
const GAS: ReadonlyArray<{ q: Quantity, n: number, prefix: string, unit: string, range: [number, number], sig: (stope: boolean, j: number) => SignalParams }> = [
  { q: 'co', n: 16, prefix: 'CO', unit: 'ppm', range: [0, 1000], sig: (stope, j) => around(stope ? 6 + 2 * j : 3 + j, 6, { diurnal: stope ? 2 : 1, peakHour: 10, noise: 0.8, drift: 1, driftPeriodH: 72, decimals: 1 }, 0, 15) },
  { q: 'o2', n: 14, prefix: 'O2', unit: '%', range: [0, 25], sig: (stope, j) => around(stope ? 20.75 : 20.82 + 0.03 * j, 0.2, { diurnal: 0.04, peakHour: 3, noise: 0.04, drift: 0.03, driftPeriodH: 96, decimals: 2 }, 20.6, 20.95) },
  { q: 'h2s', n: 8, prefix: 'H2S', unit: 'ppm', range: [0, 100], sig: (_s, j) => around(0.4 + 0.2 * j, 1.5, { diurnal: 0.15, peakHour: 11, noise: 0.2, drift: 0.2, driftPeriodH: 60, decimals: 1 }, 0, 3) },
  { q: 'no2', n: 8, prefix: 'NO2', unit: 'ppm', range: [0, 20], sig: (stope, j) => around(stope ? 0.4 : 0.15 + 0.05 * j, 0.8, { diurnal: 0.12, peakHour: 13, noise: 0.08, drift: 0.08, driftPeriodH: 48, decimals: 2 }, 0, 1.5) },
  { q: 'so2', n: 6, prefix: 'SO2', unit: 'ppm', range: [0, 20], sig: (_s, j) => around(0.3 + 0.1 * j, 1.2, { diurnal: 0.1, peakHour: 13, noise: 0.12, drift: 0.1, driftPeriodH: 50, decimals: 1 }, 0, 3) }
]

function undergroundGas (b: SiteBuilder): void {
  let i = 0
  for (const g of GAS) {
    for (let n = 1; n <= g.n; n++) {
      const p = place(i++)
      const pointCode = `${g.prefix}-${pad(n)}`
      b.add({
        pointCode,
        quantity: g.q,
        unit: g.unit,
        kind: 'analog',
        location: p.location,
        area: p.area,
        item: 'gas',
        intervalS: UG_INTERVAL_S,
        range: g.range
      }, g.sig(p.kind === 'stope', jitter(`${b.code}/${pointCode}`)))
    }
  }
}

const FAN_STATIONS = [
  { name: '东风井主扇', area: 'F1' },
  { name: '西风井主扇', area: 'F2' }
] as const

function undergroundVentilation (b: SiteBuilder): void {
  const add = (pointCode: string, quantity: Quantity, unit: string, location: string, area: string, signal: SignalParams,
    range: [number, number], kind: PointDefinition['kind'] = 'analog', attributes?: Attributes): void => {
    b.add({
      pointCode, quantity, unit, kind, location, area, item: 'ventilation', intervalS: UG_INTERVAL_S, range, ...(attributes === undefined ? {} : { attributes })
    }, signal)
  }
  // fan_status: 2 main fan stations × (working + standby) and 6 local (auxiliary) fans at headings = 10
  let fan = 0
  for (const s of FAN_STATIONS) {
    for (const [no, standby] of [[1, false], [2, true]] as const) {
      const signal = around(standby ? 0 : 1, 0, { diurnal: 0, peakHour: 0, noise: 0, drift: 0, driftPeriodH: 1, decimals: 0, constant: standby ? 0 : 1 }, 0, 1)
      add(`FAN-${pad(++fan)}`, 'fan_status', 'on/off', `${s.name} ${no}#风机`, s.area, signal, [0, 1], 'switch', { equipment: 'main_fan', standby })
    }
  }
  for (const p of UG_PLACES.filter((x) => x.kind === 'stope' || x.kind === 'chamber').slice(0, 6)) {
    const signal = around(1, 0, { diurnal: 0, peakHour: 0, noise: 0, drift: 0, driftPeriodH: 1, decimals: 0, constant: 1 }, 0, 1)
    add(`FAN-${pad(++fan)}`, 'fan_status', 'on/off', `${p.location} 局扇`, p.area, signal, [0, 1], 'switch', { equipment: 'local_fan' })
  }
  // negative_pressure: 2 sensors per main fan station's duct (风硐) + 4 at regulator doors (风门) = 8
  let np = 0
  for (const s of FAN_STATIONS) {
    for (const no of [1, 2]) {
      const code = `NP-${pad(++np)}`
      add(code, 'negative_pressure', 'Pa', `${s.name} 风硐 ${no}#`, s.area,
        around(1850 + 120 * jitter(code), 250, { diurnal: 25, peakHour: 14, noise: 15, drift: 40, driftPeriodH: 120, decimals: 0 }, 0, 5000), [0, 5000])
    }
  }
  for (const p of UG_PLACES.filter((x) => x.kind === 'return' || x.kind === 'haulage').slice(0, 4)) {
    const code = `NP-${pad(++np)}`
    add(code, 'negative_pressure', 'Pa', `${p.location} 风门`, p.area,
      around(320 + 40 * jitter(code), 80, { diurnal: 8, peakHour: 14, noise: 6, drift: 10, driftPeriodH: 120, decimals: 0 }, 0, 5000), [0, 5000])
  }
  // air_volume: main fan station ducts 2 + 8 airways = 10
  let av = 0
  for (const s of FAN_STATIONS) {
    const code = `AV-${pad(++av)}`
    add(code, 'air_volume', 'm³/min', `${s.name} 风硐`, s.area,
      around(7200 + 400 * jitter(code), 900, { diurnal: 80, peakHour: 14, noise: 60, drift: 120, driftPeriodH: 120, decimals: 0 }, 0, 20000), [0, 20000])
  }
  for (let i = 0; i < 8; i++) {
    const p = place(i * 2 + 1)
    const code = `AV-${pad(++av)}`
    add(code, 'air_volume', 'm³/min', p.location, p.area,
      around(1600 + 500 * jitter(code), 400, { diurnal: 30, peakHour: 14, noise: 25, drift: 50, driftPeriodH: 120, decimals: 0 }, 0, 20000), [0, 20000])
  }
  // wind_speed: 24, over every place (stopes slower, returns faster)
  for (let i = 0; i < 24; i++) {
    const p = place(i)
    const code = `WS-${pad(i + 1)}`
    const base = (p.kind === 'stope' ? 1.2 : p.kind === 'return' ? 4.5 : p.kind === 'chamber' ? 0.9 : 2.8) + 0.3 * jitter(code)
    add(code, 'wind_speed', 'm/s', p.location, p.area,
      around(base, Math.max(0.4, base * 0.3), { diurnal: 0.08, peakHour: 14, noise: 0.12, drift: 0.1, driftPeriodH: 100, decimals: 2 }, 0.3, 8), [0, 15])
  }
  // temperature: 16, one per place (deeper and busier is warmer; intake follows the surface a little)
  for (let i = 0; i < 16; i++) {
    const p = place(i)
    const code = `T-${pad(i + 1)}`
    const base = (p.kind === 'intake' ? 16 : p.kind === 'stope' ? 24 : 21) + jitter(code)
    add(code, 'temperature', '°C', p.location, p.area,
      around(base, 4, { diurnal: p.kind === 'intake' ? 1.5 : 0.4, peakHour: 15, noise: 0.15, drift: 0.5, driftPeriodH: 144, decimals: 1 }, -20, 60), [-20, 60])
  }
}

// ---- power metering (智能用电): 30 meters over the sites --------------------------------------------

type Equipment = 'hoist' | 'main_fan' | 'crusher' | 'pump' | 'total'
interface Meter { equipment: Equipment, name: string, ratedKw: number, standby?: boolean }

const LOAD: Readonly<Record<Equipment, { share: number, diurnal: number, noise: number }>> = {
  hoist: { share: 0.55, diurnal: 0.08, noise: 0.15 },
  main_fan: { share: 0.78, diurnal: 0.01, noise: 0.02 },
  crusher: { share: 0.6, diurnal: 0.12, noise: 0.08 },
  pump: { share: 0.8, diurnal: 0.02, noise: 0.03 },
  total: { share: 0.55, diurnal: 0.08, noise: 0.02 }
}

function power (b: SiteBuilder, meters: Meter[], place: string): void {
  const seen = new Map<Equipment, number>()
  for (const m of meters) {
    const n = (seen.get(m.equipment) ?? 0) + 1
    seen.set(m.equipment, n)
    const pointCode = `PWR-${m.equipment.toUpperCase().replace('_', '')}-${n}`
    const l = LOAD[m.equipment]
    const base = m.standby === true ? 0 : m.ratedKw * l.share * (1 + 0.05 * jitter(`${b.code}/${pointCode}`))
    const signal: SignalParams = m.standby === true
      ? { base: 0, min: 0, max: 0, diurnal: 0, peakHour: 0, noise: 0, drift: 0, driftPeriodH: 1, decimals: 1, constant: 0 }
      : { base, min: m.ratedKw * 0.2, max: m.ratedKw * 0.95, diurnal: m.ratedKw * l.diurnal, peakHour: 10, noise: m.ratedKw * l.noise, drift: m.ratedKw * 0.02, driftPeriodH: 96, decimals: 1 }
    b.add({
      pointCode,
      quantity: 'power_kw',
      unit: 'kW',
      kind: 'analog',
      location: `${place} ${m.name}`,
      item: 'power',
      intervalS: POWER_INTERVAL_S,
      range: [0, Math.round(m.ratedKw * 1.2)],
      attributes: { equipment: m.equipment, ratedKw: m.ratedKw, ...(m.standby === true ? { standby: true } : {}) }
    }, signal)
  }
}

// ---- slope monitoring (边坡在线监测): GNSS stations, horizontal and vertical displacement ----------------

function slopeSystem (b: SiteBuilder, system: number, name: string, stations: number): void {
  for (let s = 1; s <= stations; s++) {
    for (const [suffix, quantity, noise] of [['H', 'displacement_h', 0.6], ['V', 'displacement_v', 1.0]] as const) {
      const pointCode = `S${system}-GNSS${pad(s, 2)}-${suffix}`
      const offset = 2 * jitter(`${b.code}/${pointCode}`)
      b.add({
        pointCode,
        quantity,
        unit: 'mm',
        kind: 'analog',
        location: `${name} GNSS 监测站 ${pad(s, 2)}`,
        area: `S${system}`,
        item: `slope-${system}`,
        intervalS: SLOPE_INTERVAL_S,
        range: [-500, 500],
        attributes: { system: `SLOPE-${system}`, method: 'GNSS' }
      }, around(offset, 5, { diurnal: 0.8, peakHour: 14, noise, drift: 1, driftPeriodH: 240, decimals: 1 }, -500, 500))
    }
  }
}

// ---- tailings ponds (尾矿库在线监测) ------------------------------------------------------------------

function tailings (b: SiteBuilder, o: { crestM: number, poolM: number, beachM: number }): void {
  const def = (pointCode: string, quantity: Quantity, unit: string, location: string, range: [number, number], signal: SignalParams, area = 'DAM'): void => {
    b.add({ pointCode, quantity, unit, kind: 'analog', location, area, item: quantity, intervalS: TAILINGS_INTERVAL_S, range }, signal)
  }
  // phreatic line depth (浸润线埋深): 2 sections × 3 piezometers; deeper is safer
  let pz = 0
  for (const section of ['Ⅰ-Ⅰ', 'Ⅱ-Ⅱ']) {
    for (const [i, depth] of [[1, 14], [2, 11], [3, 8]] as const) {
      const code = `PZ-${pad(++pz, 2)}`
      def(code, 'phreatic_depth', 'm', `坝体 ${section} 断面 ${i}# 渗压计`, [0, 60],
        around(depth + 0.5 * jitter(`${b.code}/${code}`), 0.6, { diurnal: 0, peakHour: 0, noise: 0.02, drift: 0.15, driftPeriodH: 168, decimals: 2 }, 0, 60))
    }
  }
  def('PL-01', 'pool_level', 'm', '库区水位计', [o.crestM - 40, o.crestM],
    around(o.poolM, 0.4, { diurnal: 0, peakHour: 0, noise: 0.01, drift: 0.12, driftPeriodH: 168, decimals: 2 }), 'POOL')
  def('DB-01', 'dry_beach_length', 'm', '干滩 1# 监测断面', [0, 1000],
    around(o.beachM, 12, { diurnal: 0, peakHour: 0, noise: 0.5, drift: 3, driftPeriodH: 168, decimals: 1 }), 'BEACH')
  def('FB-01', 'freeboard', 'm', '坝顶安全超高', [0, 20],
    around(o.crestM - o.poolM - 0.3, 0.4, { diurnal: 0, peakHour: 0, noise: 0.01, drift: 0.1, driftPeriodH: 168, decimals: 2 }, 0, 20), 'DAM')
  rainGauge(b, TAILINGS_INTERVAL_S)
}

// A clean day is a dry day: rain belongs to the scenarios.
function rainGauge (b: SiteBuilder, intervalS: number): void {
  b.add({ pointCode: 'RG-01', quantity: 'rainfall', unit: 'mm', kind: 'analog', location: '雨量站', area: 'MET', item: 'rainfall', intervalS, range: [0, 200] },
    { base: 0, min: 0, max: 0, diurnal: 0, peakHour: 0, noise: 0, drift: 0, driftPeriodH: 1, decimals: 1, constant: 0 })
}

// ---- the fleet -------------------------------------------------------------------------------------

/** buildFleet returns the simulated fleet; it is the same on every call. */
export function buildFleet (): Fleet {
  const site = (code: string, input: SiteInput, fill: (b: SiteBuilder) => void): FleetSite => {
    const b = new SiteBuilder(code)
    fill(b)
    return { code, input, points: b.points }
  }
  return {
    sites: [
      site('SG-XS', {
        name: '杏山铁矿',
        kind: 'underground',
        regionCode: REGION,
        enterprise: ENTERPRISE,
        status: 'producing',
        approvedHeadcount: 180,
        attributes: { mineral: '铁矿', mining: '地下开采', videoChannels: 12, personnelPositioning: true, levels: '-180m/-240m/-300m/-330m' }
      }, (b) => {
        undergroundGas(b)
        undergroundVentilation(b)
        power(b, [
          { equipment: 'hoist', name: '主井提升机', ratedKw: 2000 },
          { equipment: 'hoist', name: '副井提升机', ratedKw: 1250 },
          { equipment: 'hoist', name: '措施井提升机', ratedKw: 630 },
          { equipment: 'main_fan', name: '东风井 1#主扇', ratedKw: 400 },
          { equipment: 'main_fan', name: '东风井 2#主扇(备)', ratedKw: 400, standby: true },
          { equipment: 'main_fan', name: '西风井 1#主扇', ratedKw: 400 },
          { equipment: 'main_fan', name: '西风井 2#主扇(备)', ratedKw: 400, standby: true },
          { equipment: 'pump', name: '-330m 主水泵房 1#泵', ratedKw: 355 },
          { equipment: 'pump', name: '-330m 主水泵房 2#泵', ratedKw: 355 },
          { equipment: 'pump', name: '-330m 主水泵房 3#泵', ratedKw: 355 },
          { equipment: 'pump', name: '-330m 主水泵房 4#泵(备)', ratedKw: 355, standby: true },
          { equipment: 'crusher', name: '-330m 井下破碎机', ratedKw: 250 },
          { equipment: 'total', name: '全矿总有功', ratedKw: 8000 }
        ], '杏山铁矿')
      }),
      site('SG-SC', {
        name: '水厂铁矿',
        kind: 'open_pit',
        regionCode: REGION,
        enterprise: ENTERPRISE,
        status: 'producing',
        approvedHeadcount: 260,
        attributes: { mineral: '铁矿', mining: '露天开采', videoChannels: 8, slopeHeightM: 210 }
      }, (b) => {
        slopeSystem(b, 1, '东帮边坡', 6)
        slopeSystem(b, 2, '北帮边坡', 6)
        power(b, [
          { equipment: 'crusher', name: '粗破 1#旋回破碎机', ratedKw: 400 },
          { equipment: 'crusher', name: '粗破 2#旋回破碎机', ratedKw: 400 },
          { equipment: 'crusher', name: '中破圆锥破碎机', ratedKw: 315 },
          { equipment: 'pump', name: '采场 1#排水泵', ratedKw: 200 },
          { equipment: 'pump', name: '采场 2#排水泵', ratedKw: 200 },
          { equipment: 'total', name: '全矿总有功', ratedKw: 6000 }
        ], '水厂铁矿')
      }),
      site('SG-DSH', {
        name: '大石河铁矿',
        kind: 'open_pit',
        regionCode: REGION,
        enterprise: ENTERPRISE,
        status: 'producing',
        approvedHeadcount: 150,
        attributes: { mineral: '铁矿', mining: '露天开采', videoChannels: 6, slopeHeightM: 150 }
      }, (b) => {
        slopeSystem(b, 3, '南帮边坡', 6)
        power(b, [
          { equipment: 'crusher', name: '粗破破碎机', ratedKw: 355 },
          { equipment: 'crusher', name: '中破破碎机', ratedKw: 280 },
          { equipment: 'pump', name: '采场 1#排水泵', ratedKw: 160 },
          { equipment: 'pump', name: '采场 2#排水泵', ratedKw: 160 },
          { equipment: 'total', name: '全矿总有功', ratedKw: 4000 }
        ], '大石河铁矿')
      }),
      site('SG-DSH-TP', {
        name: '大石河铁矿尾矿库',
        kind: 'tailings_pond',
        regionCode: REGION,
        enterprise: ENTERPRISE,
        status: 'producing',
        attributes: { grade: 2, damHeightM: 62, videoChannels: 2 }
      }, (b) => {
        tailings(b, { crestM: 185, poolM: 180.6, beachM: 160 })
        power(b, [
          { equipment: 'pump', name: '回水泵站 1#泵', ratedKw: 250 },
          { equipment: 'pump', name: '回水泵站 2#泵', ratedKw: 250 },
          { equipment: 'total', name: '库区总有功', ratedKw: 1000 }
        ], '大石河铁矿尾矿库')
      }),
      site('SG-SC-TP', {
        name: '水厂铁矿尾矿库',
        kind: 'tailings_pond',
        regionCode: REGION,
        enterprise: ENTERPRISE,
        status: 'producing',
        attributes: { grade: 2, damHeightM: 75, videoChannels: 2 }
      }, (b) => {
        tailings(b, { crestM: 212, poolM: 207.2, beachM: 190 })
        power(b, [
          { equipment: 'pump', name: '回水泵站 1#泵', ratedKw: 315 },
          { equipment: 'pump', name: '回水泵站 2#泵', ratedKw: 315 },
          { equipment: 'total', name: '库区总有功', ratedKw: 1200 }
        ], '水厂铁矿尾矿库')
      }),
      site('SG-SC-WD', {
        name: '水厂铁矿排土场',
        kind: 'waste_dump',
        regionCode: REGION,
        enterprise: ENTERPRISE,
        status: 'producing',
        attributes: { dumpHeightM: 120, videoChannels: 2 }
      }, (b) => {
        slopeSystem(b, 4, '排土场边坡', 5)
        rainGauge(b, SLOPE_INTERVAL_S)
      })
    ]
  }
}

/** fleetPoints lists every point of the fleet. */
export function fleetPoints (fleet: Fleet): FleetPoint[] {
  return fleet.sites.flatMap((s) => s.points)
}

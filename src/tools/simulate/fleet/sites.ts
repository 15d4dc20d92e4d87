// The simulated sites: each with its registry record and the point builders that fill it.
import type { SiteInput } from '../../../contract/index.js'
import { SiteBuilder } from './builder.js'
import { BLAST_TIMES, undergroundGas } from './gas.js'
import { power } from './power.js'
import { AREA_LIMITS, UG_POSITIONING } from './personnel.js'
import { SLOPE_INTERVAL_S, slopeSystem } from './slope.js'
import { rainGauge, tailings } from './tailings.js'
import type { Fleet, FleetPoint, FleetSite } from './types.js'
import { mainFanId, undergroundVentilation } from './ventilation.js'
import { channelsOf } from './video.js'

const ENTERPRISE = '首钢矿业公司'
const REGION = '110000'

/** buildFleet returns the simulated fleet; it is the same on every call. */
export function buildFleet (): Fleet {
  const site = (code: string, input: SiteInput, fill: (b: SiteBuilder) => void): FleetSite => {
    const b = new SiteBuilder(code)
    fill(b)
    const channels = channelsOf(code)
    const videoChannels = input.attributes?.videoChannels
    if (videoChannels !== channels.length) throw new Error(`${code}: ${String(videoChannels)} video channels in attributes, ${channels.length} listed`)
    return { code, input, points: b.points, channels, ...(input.attributes?.personnelPositioning === true ? { positioning: UG_POSITIONING } : {}) }
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
        attributes: {
          mineral: '铁矿',
          mining: '地下开采',
          videoChannels: 12,
          personnelPositioning: true,
          levels: '-180m/-240m/-300m/-330m',
          shiftHours: 8,
          blastTimes: BLAST_TIMES,
          ...Object.fromEntries(Object.entries(AREA_LIMITS).map(([area, n]) => [`areaLimit.${area}`, n]))
        }
      }, (b) => {
        undergroundGas(b)
        undergroundVentilation(b)
        power(b, [
          { equipment: 'hoist', name: '主井提升机', ratedKw: 2000 },
          { equipment: 'hoist', name: '副井提升机', ratedKw: 1250 },
          { equipment: 'hoist', name: '措施井提升机', ratedKw: 630 },
          { equipment: 'main_fan', name: '东风井 1#主扇', ratedKw: 400, fan: mainFanId('EF', 1) },
          { equipment: 'main_fan', name: '东风井 2#主扇(备)', ratedKw: 400, standby: true, fan: mainFanId('EF', 2) },
          { equipment: 'main_fan', name: '西风井 1#主扇', ratedKw: 400, fan: mainFanId('WF', 1) },
          { equipment: 'main_fan', name: '西风井 2#主扇(备)', ratedKw: 400, standby: true, fan: mainFanId('WF', 2) },
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
        slopeSystem(b, 1, '东帮边坡', 6, 210)
        slopeSystem(b, 2, '北帮边坡', 6, 210)
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
        slopeSystem(b, 3, '南帮边坡', 6, 150)
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

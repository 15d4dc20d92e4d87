// The simulated fleet: the Shougang Mining (首钢矿业) sites of the Beijing key non-coal mine project
// (shared/seeds/001): 杏山铁矿 underground, 水厂铁矿 and 大石河铁矿 open pits, two tailings ponds and a
// waste dump, with the point definitions of the seed's counts — 52 toxic-gas sensors and 68 ventilation
// sensors underground, 4 slope monitoring systems, 30 other devices (power metering) — plus the
// tailings-pond monitoring. Codes are stable, so a rerun updates the same sites and points.
// The 32 video channels (video.ts) report heartbeats; the underground mine's positioning system
// (personnel.ts) reports who is underground on a three-shift pattern (access standard sections 4-5).
// sites.ts lists the sites; gas.ts, ventilation.ts (over places.ts), slope.ts, tailings.ts and power.ts
// build their points.
export { SEED_COUNTS, TOXIC_GAS, VENTILATION } from './seed.js'
export { buildFleet, fleetPoints } from './sites.js'
export type { Fleet, FleetPoint, FleetSite } from './types.js'
export { AREA_LIMITS, cardOf, peopleAt, PERSONNEL_INTERVAL_S, UG_POSITIONING, type Positioning, type Shift } from './personnel.js'
export { channelNamed, channelsOf, VIDEO_HEARTBEAT_S, type Channel } from './video.js'
export { mainFanId } from './ventilation.js'
export { SLOPE_INSTALLED } from './slope.js'

// The device counts of the seed (shared/seeds/001) the fleet reproduces, and the quantities they count.
import type { Quantity } from '../../../contract/index.js'

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

// Alarm ids: 'A', the creation time in base 36 (9 digits, so ids sort by time as strings until the year
// 5188), and 8 random base-36 characters, so two servers or one busy millisecond never collide in practice.
import { randomBytes } from 'node:crypto'
import type { Clock } from '../lib/clock.js'

/** createIdGenerator returns a function making time-ordered, unique alarm ids from `clock`. */
export function createIdGenerator (clock: Clock): () => string {
  return () => 'A' + Math.trunc(clock.now()).toString(36).toUpperCase().padStart(9, '0') + randomSuffix()
}

/** idTime reads the creation time back from an id made by createIdGenerator, or undefined. */
export function idTime (alarmId: string): number | undefined {
  const m = /^A([0-9A-Z]{9})[0-9A-Z]{8}$/.exec(alarmId)
  return m === null ? undefined : parseInt(m[1] as string, 36)
}

function randomSuffix (): string {
  // 6 random bytes = 48 bits; base 36 needs at most 10 digits for them, 8 are kept (≈ 41 bits).
  return randomBytes(6).readUIntBE(0, 6).toString(36).toUpperCase().padStart(10, '0').slice(-8)
}

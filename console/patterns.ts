// The sound of each alarm level, as data: the console plays it (sound.ts) and the browser test checks that
// what was scheduled is exactly this. No DOM here, so node can import it.
import type { Level } from './types.js'

export interface Tone { hz: number, at: number, len: number }
export interface Pattern { tones: Tone[], every: number, gain: number }

// Times in seconds from the start of one repetition. Distinct by pitch, rhythm and rate, so a level can be
// told by ear: red a fast high two-tone, orange three urgent beeps, yellow two slower ones, blue one soft beep.
export const PATTERNS: Record<Level, Pattern> = {
  red: { tones: [0, 1, 2, 3].map((i) => ({ hz: i % 2 === 0 ? 1400 : 1000, at: i * 0.18, len: 0.16 })), every: 1.2, gain: 0.5 },
  orange: { tones: [0, 1, 2].map((i) => ({ hz: 950, at: i * 0.3, len: 0.2 })), every: 2.5, gain: 0.4 },
  yellow: { tones: [0, 1].map((i) => ({ hz: 740, at: i * 0.5, len: 0.3 })), every: 4, gain: 0.3 },
  blue: { tones: [{ hz: 520, at: 0, len: 0.4 }], every: 8, gain: 0.15 }
}

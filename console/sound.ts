// The alarm sound: one pattern per level (Web Audio oscillators, no audio files), repeated while any
// unacknowledged, unshelved alarm exists and the console is not muted. Browsers start audio only after a user
// gesture, hence enable() behind the "启用声音" button. The loudest level present decides the pattern.
import { signal } from './signal.js'
import type { Level } from './types.js'
import { PATTERNS, type Pattern } from './patterns.js'

/** enabled: the audio context runs; mutedUntil: epoch ms of the end of a mute (0: not muted). */
export const enabled = signal(false)
export const mutedUntil = signal(Number(localStorage.getItem('minewatch.mutedUntil') ?? 0))

let ctx: AudioContext | null = null
let timer: ReturnType<typeof setTimeout> | null = null
let wanted: Level | null = null

/** enable creates (or resumes) the audio context; call it from a click. */
export async function enable (): Promise<void> {
  ctx ??= new AudioContext()
  await ctx.resume()
  enabled.set(ctx.state === 'running')
  loop()
}

export function setMutedUntil (ms: number): void {
  localStorage.setItem('minewatch.mutedUntil', String(ms))
  mutedUntil.set(ms)
  loop()
}

export function muted (): boolean {
  return mutedUntil.get() > Date.now()
}

/** sound sets the level to sound (null: silence); the loop picks it up at its next repetition. */
export function sound (level: Level | null): void {
  const was = wanted
  wanted = level
  if (was !== level) loop()
}

function play (p: Pattern): void {
  if (ctx === null) return
  const t0 = ctx.currentTime + 0.05
  for (const tone of p.tones) {
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.type = 'square'
    osc.frequency.setValueAtTime(tone.hz, t0 + tone.at)
    // short ramps: no click at the edges
    gain.gain.setValueAtTime(0, t0 + tone.at)
    gain.gain.linearRampToValueAtTime(p.gain, t0 + tone.at + 0.01)
    gain.gain.linearRampToValueAtTime(0, t0 + tone.at + tone.len)
    osc.connect(gain).connect(ctx.destination)
    osc.start(t0 + tone.at)
    osc.stop(t0 + tone.at + tone.len + 0.02)
  }
}

// One repetition now, the next after the pattern's period; a change of level restarts at once.
function loop (): void {
  if (timer !== null) clearTimeout(timer)
  timer = null
  if (wanted === null || !enabled.get()) return
  if (muted()) {
    timer = setTimeout(loop, Math.min(mutedUntil.get() - Date.now() + 10, 60_000))
    return
  }
  const p = PATTERNS[wanted]
  play(p)
  timer = setTimeout(loop, p.every * 1000)
}

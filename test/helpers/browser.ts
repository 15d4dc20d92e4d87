// A real headless Chromium for the console's tests (the Debian package `chromium`, driven by playwright-core):
// found on the usual paths or CHROMIUM_PATH, launched once per test file and closed on teardown, with a probe
// on Web Audio that records every tone the page schedules.
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import type { TestLike } from './services.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** OUTPUT is the gitignored folder test runs write screenshots and measurements to. */
export const OUTPUT = join(ROOT, 'test-output')

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/usr/bin/google-chrome', '/snap/bin/chromium']

/** chromiumPath is the browser binary to drive, or undefined when none is installed. */
export function chromiumPath (): string | undefined {
  const env = process.env.CHROMIUM_PATH
  if (env !== undefined && env !== '' && existsSync(env)) return env
  return CANDIDATES.find((p) => existsSync(p))
}

/** launchBrowser starts headless Chromium and closes it on teardown. */
export async function launchBrowser (t: TestLike, executablePath: string): Promise<Browser> {
  // Chromium refuses its sandbox as root (CI runs as root); a test page of our own server needs none.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : []
  const browser = await chromium.launch({ executablePath, headless: true, args })
  t.teardown(async () => await browser.close())
  return browser
}

/** ToneRecord is one oscillator frequency the page scheduled: hz at audio time `at` (s), wall clock `wall` (ms). */
export interface ToneRecord { hz: number, at: number, wall: number }

// Runs in the page before its own scripts: AudioContext is wrapped so that every oscillator frequency set
// through setValueAtTime is recorded in window.__tones; the sound itself still goes through the real Web Audio.
const AUDIO_PROBE = `(() => {
  window.__tones = []
  const Real = window.AudioContext
  if (Real === undefined) return
  window.AudioContext = class extends Real {
    createOscillator () {
      const osc = super.createOscillator()
      const set = osc.frequency.setValueAtTime.bind(osc.frequency)
      osc.frequency.setValueAtTime = (hz, at) => { window.__tones.push({ hz, at, wall: Date.now() }); return set(hz, at) }
      return osc
    }
  }
})()`

/** consoleContext opens a browser context the size of a duty-room wall screen, in Chinese, with the audio probe. */
export async function consoleContext (browser: Browser, baseURL: string, opts: { reducedMotion?: 'reduce' | 'no-preference' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1920, height: 1080 },
    locale: 'zh-CN',
    reducedMotion: opts.reducedMotion ?? 'no-preference'
  })
  await context.addInitScript(AUDIO_PROBE)
  return context
}

/** screenshotPath gives test-output/screenshots/<name>.png, creating the folder. */
export async function screenshotPath (name: string): Promise<string> {
  const dir = join(OUTPUT, 'screenshots')
  await mkdir(dir, { recursive: true })
  return join(dir, `${name}.png`)
}

// QuestDB is picky about Java (9.4+ needs 25) while hosts often default to an older one, so we look at every
// installed JDK instead of trusting whatever `java` is first on PATH.
import { execFile } from 'node:child_process'
import { readdir, realpath } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { EmbeddedStartFailed } from '../../server/errors/catalogue.js'

const execFileP = promisify(execFile)

/** Jdk is one usable Java installation. */
export interface Jdk { javaBin: string, major: number, home: string }

/** FindJavaOptions overrides where findJava looks and whom the error message names. */
export interface FindJavaOptions {
  /** defaults to the JAVA_HOME environment variable (a toolchain locator like PATH, not minewatch config) */
  javaHome?: string
  jvmDir?: string
  /** who needs Java, for the error message, e.g. 'QuestDB 9.3.4' */
  neededBy?: string
}

interface Probe { home: string, jdk?: Jdk, note: string }

/** requiredJavaFor returns the lowest Java major version a QuestDB version runs on. */
export function requiredJavaFor (version: string): number {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  return major > 9 || (major === 9 && minor >= 4) ? 25 : 17
}

/** findJava returns JAVA_HOME's JDK if it is new enough, else the newest JDK in /usr/lib/jvm reaching minMajor. */
export async function findJava (minMajor: number, opts: FindJavaOptions = {}): Promise<Jdk> {
  const javaHome = 'javaHome' in opts ? opts.javaHome : process.env.JAVA_HOME
  const jvmDir = opts.jvmDir ?? '/usr/lib/jvm'
  // An explicit JAVA_HOME is the operator's choice, so it wins over a newer JDK found by scanning.
  const fromEnv = javaHome === undefined || javaHome === '' ? undefined : await probe(javaHome)
  if (fromEnv?.jdk !== undefined && fromEnv.jdk.major >= minMajor) return fromEnv.jdk
  const scanned = await probeDir(jvmDir)
  const best = scanned.find((p) => p.jdk !== undefined && p.jdk.major >= minMajor)
  if (best?.jdk !== undefined) return best.jdk
  const looked = [`JAVA_HOME=${fromEnv === undefined ? '(unset)' : `${fromEnv.home} (${fromEnv.note})`}`]
  looked.push(...(scanned.length === 0 ? [`${jvmDir} (no JDKs)`] : scanned.map((p) => `${p.home} (${p.note})`)))
  const who = opts.neededBy ?? 'QuestDB'
  throw new EmbeddedStartFailed(who.split(' ')[0], `${who} needs Java >= ${minMajor}; looked at ${looked.join(', ')}; ` +
    'install a JDK or set JAVA_HOME')
}

/** parseJavaMajor reads the major version from `java -version` output ("1.8.0_392" is 8, "25.0.3" is 25). */
export function parseJavaMajor (text: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text)
  if (m === null) return undefined
  const first = Number(m[1])
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first
}

// Every entry of the directory, one per real JDK (Debian adds alias symlinks), highest major first.
async function probeDir (dir: string): Promise<Probe[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  const seen = new Set<string>()
  const probes: Probe[] = []
  for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
    const home = join(dir, name)
    const real = await realpath(home).catch(() => home)
    if (seen.has(real)) continue
    seen.add(real)
    probes.push(await probe(home))
  }
  return probes.sort((a, b) => (b.jdk?.major ?? -1) - (a.jdk?.major ?? -1))
}

async function probe (home: string): Promise<Probe> {
  const javaBin = join(home, 'bin', 'java')
  try {
    // `java -version` prints to stderr, by long tradition.
    const { stderr, stdout } = await execFileP(javaBin, ['-version'], { timeout: 10_000 })
    const major = parseJavaMajor(stderr + stdout)
    if (major === undefined) return { home, note: 'unrecognised java -version output' }
    return { home, jdk: { javaBin, major, home }, note: `Java ${major}` }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { home, note: code === 'ENOENT' ? 'no bin/java' : `java -version failed: ${(err as Error).message}` }
  }
}

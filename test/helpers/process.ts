// The project's entry points run as they are run for real: `node --import tsx <script>` as a child process in
// the repository, with a clean environment (only what the test passes, plus PATH and HOME unless overridden).
// Waits are on the child's output and exit, bounded only to catch hangs; a child still running at teardown is
// killed, and so are the service processes it reported starting (the embedded services run detached).
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { TestLike } from './services.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Exit is how a child ended and what it printed. */
export interface Exit { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }

/** Child is a running entry point. */
export interface Child {
  process: ChildProcess
  /** stdout and stderr so far, interleaved */
  output: () => string
  /** resolves with the first match of `re` in the output, or rejects after timeoutMs or when the child exits first */
  waitFor: (re: RegExp, what: string, timeoutMs?: number) => Promise<RegExpMatchArray>
  /** resolves once the child has exited */
  exited: Promise<Exit>
}

/** cleanEnv is PATH and HOME of the test run (unless given) and `env`: not the runner's loaders or settings. */
function cleanEnv (env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }
}

/** Launch is how a child is started: the node arguments, the working directory and the name errors give it. */
export interface Launch { nodeArgs: string[], cwd: string, script: string }

/** start runs `node --import tsx <script> ...args` in the repository; it is killed on teardown if still running. */
export function start (t: TestLike, script: string, args: string[], env: Record<string, string>): Child {
  return launch(t, { nodeArgs: ['--import', 'tsx', script, ...args], cwd: ROOT, script }, env)
}

/** launch starts any node child (a built entry point runs with no loader at all). */
export function launch (t: TestLike, l: Launch, env: Record<string, string>): Child {
  const { script } = l
  const child = spawn(process.execPath, l.nodeArgs, { cwd: l.cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let stdout = ''
  let stderr = ''
  const wakers = new Set<() => void>()
  const wake = (): void => { for (const w of wakers) w() }
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); stdout += d.toString(); wake() })
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); stderr += d.toString(); wake() })
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => { wake(); resolve({ code, signal, stdout, stderr }) }))
  const running = (): boolean => child.exitCode === null && child.signalCode === null
  t.teardown(async () => {
    if (!running()) return
    child.kill('SIGKILL')
    await exited
    // killed, it could not stop the embedded services it started (they run in their own process group)
    for (const m of out.matchAll(/embedded (?:QuestDB|nats-server) started .*?"pid":(\d+)/g)) {
      try { process.kill(Number(m[1]), 'SIGTERM') } catch {}
    }
  })
  const waitFor = async (re: RegExp, what: string, timeoutMs = 120_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const hit = out.match(re)
      if (hit !== null) return hit
      if (!running()) throw new Error(`${script} exited (${String(child.exitCode ?? child.signalCode)}) before ${what}; output: ${out.slice(-3000)}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no ${what} from ${script} within ${timeoutMs} ms; output: ${out.slice(-3000)}`)
      await new Promise<void>((resolve) => {
        const done = (): void => { clearTimeout(timer); wakers.delete(done); resolve() }
        const timer = setTimeout(done, left)
        wakers.add(done)
      })
    }
  }
  return { process: child, output: () => out, waitFor, exited }
}

/** run runs `node --import tsx <script> ...args` to its end (bounded at timeoutMs, which only catches hangs). */
export async function run (t: TestLike, script: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<Exit> {
  return await finish(start(t, script, args, env), `${script} ${args.join(' ')}`, timeoutMs)
}

/** finish waits for a child's end, bounded at timeoutMs (which only catches hangs). */
export async function finish (child: Child, what: string, timeoutMs = 120_000): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { child.process.kill('SIGKILL'); reject(new Error(`${what} still running after ${timeoutMs} ms: ${child.output().slice(-3000)}`)) }, timeoutMs)
  })
  try {
    return await Promise.race([child.exited, hang])
  } finally {
    clearTimeout(timer)
  }
}

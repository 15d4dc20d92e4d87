#!/usr/bin/env node
// `minewatch <command>`: the operator's one entry, run from the built output (dist/), so it works in the Docker
// image where tsx (a dev dependency) is absent. Each command is loaded only when asked for; `--help` after any
// command prints its usage, `minewatch --help` the list. The npm scripts run the same modules through tsx.
import { pathToFileURL } from 'node:url'
import type { Output } from './rules-check.js'

/** Command is one entry: what it does, and how to load it (usage and run come from its own module). */
interface Command { summary: string, load: () => Promise<{ USAGE: string, main?: (argv: string[], io: Output, signal?: AbortSignal) => Promise<number> }> }

const SERVE_USAGE = `usage: minewatch serve
  runs the server, configured by the environment (README "Configuration"): with QDB_HTTP, QDB_PG and NATS_URL unset
  it starts its own QuestDB and NATS under MINEWATCH_DATA_DIR (needs Java and nats-server), else it uses those`

export const COMMANDS: Record<string, Command> = {
  serve: { summary: 'run the server (运行服务)', load: async () => ({ USAGE: SERVE_USAGE }) },
  migrate: { summary: 'apply pending migrations to QDB_PG', load: async () => await import('./migrate.js') },
  'rules check': { summary: 'validate rule files without a server', load: async () => await import('./rules-check.js') },
  'rules test': { summary: 'run the rule tests in virtual time', load: async () => await import('./rules-test.js') },
  backtest: { summary: 'replay stored history through a rule set', load: async () => await import('./backtest.js') },
  simulate: { summary: 'feed a running server with the simulated fleet', load: async () => await import('../simulate/cli.js') },
  users: { summary: 'list and change the people who log in (through the API)', load: async () => await import('./users.js').then((m) => ({ USAGE: m.USAGE, main: m.cli })) },
  'evidence verify': { summary: 'check the evidence ledger\'s hash chain', load: async () => await import('./evidence-verify.js') }
}

function overview (): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length))
  return ['usage: minewatch <command> [options]   (minewatch <command> --help for its options)', '', 'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)].join('\n')
}

/** pick finds the command named by the first one or two words; the rest are its arguments. */
export function pick (argv: readonly string[]): { name: string, command: Command, rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ')
    const command = COMMANDS[name]
    if (argv.length >= words && command !== undefined) return { name, command, rest: argv.slice(words) }
  }
  return undefined
}

/** run executes the command line; undefined: the command keeps the process (serve) and sets its own exit. */
export async function run (argv: readonly string[], io: Output, signal?: AbortSignal): Promise<number | undefined> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview())
    return argv.length === 0 ? 2 : 0
  }
  const found = pick(argv)
  if (found === undefined) { io.err(`unknown command "${argv.slice(0, 2).join(' ')}"\n${overview()}`); return 2 }
  const mod = await found.command.load()
  if (found.rest.includes('--help') || found.rest.includes('-h')) { io.out(mod.USAGE); return 0 }
  if (found.name === 'serve') {
    if (found.rest.length > 0) { io.err(`unexpected argument ${found.rest[0] ?? ''}\n${SERVE_USAGE}`); return 2 }
    await import('../../main.js')
    return undefined
  }
  return await (mod.main as NonNullable<typeof mod.main>)(found.rest, io, signal)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const progress = process.stderr.isTTY ? (l: string) => process.stderr.write(`\r${l}\x1b[K`) : (l: string) => console.error(l)
  const io: Output = { out: (l) => console.log(l), err: (l) => console.error(l), progress }
  const argv = process.argv.slice(2)
  // serve installs its own graceful stop; the others stop what they run (the simulator) on the signal
  const ac = new AbortController()
  if (pick(argv)?.name !== 'serve') for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => ac.abort())
  const code = await run(argv, io, ac.signal)
  if (code !== undefined) {
    // let output drain and the process end by itself; a client left open (a pool, a socket) must not hold it
    process.exitCode = code
    setTimeout(() => process.exit(code), 2000).unref()
  }
}

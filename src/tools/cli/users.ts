// `npm run users -- <command>`: manage people through a running server's API (so every change is validated
// and audited like one made from the console), authenticated by an admin token.
//   list                                  the users, their roles and sites
//   set <username> --role R --sites A,B [--display 名字] [--password-stdin] [--disable|--enable]
// The server is --url (default http://127.0.0.1:$PORT, PORT defaulting to 8080); the token is --token, else
// $MINEWATCH_TOKEN, else the admin token of --tokens-file (default <MINEWATCH_DATA_DIR or data>/tokens.json).
// A password is read from stdin only, never from an argument (arguments show in `ps` and shell history).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { Output } from './rules-check.js'

export const USAGE = `usage: minewatch users list [--url U] [--token T]
       minewatch users set <username> --role viewer|operator|supervisor|admin --sites '*'|A,B [--display NAME] [--password-stdin] [--disable|--enable]`

/** UsersIo is the CLI's world: output, stdin, environment and fetch (tests pass their own). */
export interface UsersIo extends Output {
  stdin: () => Promise<string>
  env: Record<string, string | undefined>
  fetch: typeof fetch
}

/** main runs one command and returns the exit code. */
export async function main (argv: readonly string[], io: UsersIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        'tokens-file': { type: 'string' },
        role: { type: 'string' },
        sites: { type: 'string' },
        display: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        disable: { type: 'boolean' },
        enable: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`)
    return 2
  }
  const { values: v, positionals: [command, username] } = parsed
  if (v.help === true || command === undefined) { io.out(USAGE); return command === undefined && v.help !== true ? 2 : 0 }
  const base = v.url ?? `http://127.0.0.1:${io.env.PORT ?? '8080'}`
  const token = v.token ?? io.env.MINEWATCH_TOKEN ?? await adminToken(v['tokens-file'] ?? join(io.env.MINEWATCH_DATA_DIR ?? 'data', 'tokens.json'))
  if (token === undefined) { io.err('no admin token: pass --token, set MINEWATCH_TOKEN, or point --tokens-file at the tokens file'); return 2 }
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number, json: any }> => {
    const res = await io.fetch(new URL(path, base), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return { status: res.status, json: await res.json().catch(() => ({})) }
  }
  if (command === 'list') {
    const res = await call('GET', '/v1/users')
    if (res.status !== 200) return failed(io, res)
    for (const u of res.json.users) io.out(`${u.username}\t${u.role}\t${u.sites.join(',')}\t${u.displayName}${u.disabled === true ? '\t(disabled)' : ''}${u.locked === true ? '\t(locked)' : ''}`)
    return 0
  }
  if (command === 'set' && username !== undefined) {
    if (v.role === undefined || v.sites === undefined) { io.err(`set needs --role and --sites\n${USAGE}`); return 2 }
    // without --display an existing person keeps the name shown; a new one is shown by the username
    const known = v.display === undefined ? await call('GET', `/v1/users/${encodeURIComponent(username)}`) : undefined
    const displayName = v.display ?? (known?.status === 200 ? String(known.json.displayName) : username)
    const body: Record<string, unknown> = { displayName, role: v.role, sites: v.sites.split(',').map((s) => s.trim()).filter((s) => s !== '') }
    if (v['password-stdin'] === true) body.password = (await io.stdin()).replace(/\r?\n$/, '')
    if (v.disable === true) body.disabled = true
    if (v.enable === true) body.disabled = false
    const res = await call('PUT', `/v1/users/${encodeURIComponent(username)}`, body)
    if (res.status !== 200) return failed(io, res)
    io.out(`${res.json.created === true ? 'created' : 'updated'} ${username} (${String(v.role)}, sites ${String(v.sites)})`)
    return 0
  }
  io.err(USAGE)
  return 2
}

function failed (io: Output, res: { status: number, json: any }): number {
  const details = (res.json.details ?? []).map((d: { path: string, message: string }) => `\n  ${d.path}: ${d.message}`).join('')
  io.err(`server answered ${res.status} ${String(res.json.error ?? '')}: ${String(res.json.message ?? '')}${details}`)
  return 1
}

async function adminToken (file: string): Promise<string | undefined> {
  try {
    const entries = JSON.parse(await readFile(file, 'utf8')) as Array<{ token: string, role: string }>
    return entries.find((e) => e.role === 'admin')?.token
  } catch {
    return undefined
  }
}

async function readStdin (): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** cli runs a command with this process's stdin, environment and fetch. */
export async function cli (argv: readonly string[], io: Output): Promise<number> {
  return await main(argv, { ...io, stdin: readStdin, env: process.env, fetch })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await cli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) })
}

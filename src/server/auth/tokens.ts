// Bearer tokens (section 1): a YAML or JSON list of { token, role, sites }. Without a configured file,
// minewatch creates one with random tokens in its data directory: there is never an open mode.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import { createAjv } from '../../2-validate/ajv.js'
import { InvalidConfig } from '../errors/catalogue.js'

import { ROLE_NAMES, type Role } from './roles.js'

export type { Role }

/** Principal is the authenticated caller of a request. */
export interface Principal {
  role: Role
  /** '*' for every site, else the site codes this token may touch */
  sites: '*' | ReadonlySet<string>
  /** a label for logs and the actor of what it does: the token's `name` (or its role and a short fingerprint), or the username */
  name: string
  /** set for a logged-in person (src/users): the username, and the name shown to others */
  username?: string
  displayName?: string
}

const entrySchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['token', 'role', 'sites'],
    properties: {
      token: { type: 'string', minLength: 16 },
      role: { enum: ROLE_NAMES },
      sites: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
      name: { type: 'string' }
    }
  }
} as const

const validate = createAjv('document').compile(entrySchema)

/** TokenFileEntry is one entry of the tokens file. */
export interface TokenFileEntry { token: string, role: Role, sites: string[], name?: string }

/** parseTokens validates a tokens file's text and indexes it by token. */
export function parseTokens (text: string, source: string): Map<string, Principal> {
  const data: unknown = parse(text)
  if (!validate(data)) {
    const why = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; ')
    throw new InvalidConfig(`tokens file ${source}: ${why}`)
  }
  const map = new Map<string, Principal>()
  for (const e of data as TokenFileEntry[]) {
    const sites = e.sites.includes('*') ? '*' : new Set(e.sites)
    map.set(e.token, { role: e.role, sites, name: e.name ?? `${e.role}:${e.token.slice(0, 4)}…` })
  }
  return map
}

/** loadTokens reads `file`, or creates `<dataDir>/tokens.json` with one random token per role. */
export async function loadTokens (file: string | undefined, dataDir: string): Promise<{ tokens: Map<string, Principal>, file: string, created: boolean }> {
  const path = file ?? join(dataDir, 'tokens.json')
  let created = false
  if (file === undefined && !existsSync(path)) {
    await mkdir(dirname(path), { recursive: true })
    const entries: TokenFileEntry[] = (['admin', 'operator', 'gateway'] as const).map((role) => ({
      token: randomBytes(24).toString('base64url'), role, sites: ['*'], name: `default-${role}`
    }))
    await writeFile(path, JSON.stringify(entries, null, 2) + '\n', { mode: 0o600 })
    await chmod(path, 0o600)
    created = true
  }
  const text = await readFile(path, 'utf8').catch((err: Error) => {
    throw new InvalidConfig(`cannot read tokens file ${path}: ${err.message}`)
  })
  return { tokens: parseTokens(text, path), file: path, created }
}

/** canAccessSite tells whether `principal` may read or write data of `site`. */
export function canAccessSite (principal: Principal, site: string): boolean {
  return principal.sites === '*' || principal.sites.has(site)
}

// People: log in, resolve a session to its person, log out, and manage accounts. Every failed login counts
// against the account; after `maxFailures` in a row it is locked for `lockoutMs`. The counter is updated with
// compare-and-set, so parallel guesses cannot all read the same count and slip past the lock.
import { createHash, randomBytes } from 'node:crypto'
import type { KV } from 'nats'
import type { Clock } from '../lib/clock.js'
import type { PeopleBuckets } from './kv.js'
import { readJson, writeJson } from './kv.js'
import { burnVerify, hashPassword, verifyPassword } from './password.js'
import { InvalidCredentials, LockedOut, userInputError } from './errors.js'
import type { SessionRecord, UserInput, UserRecord, UserView } from './types.js'
import { toIso } from '../lib/time.js'

/** UserServiceOptions: the buckets, the clock and the login policy (config.people). */
export interface UserServiceOptions {
  buckets: PeopleBuckets
  clock: Clock
  sessionTtlMs: number
  maxFailures: number
  lockoutMs: number
}

/** LoginOutcome is what a failed login was, for the audit (never the password). */
export type LoginFailure = 'unknown' | 'password' | 'locked' | 'disabled'

/** Session is a resolved login: the person as stored now, and the login itself. */
export interface Session { user: UserRecord, session: SessionRecord }

/** UserService is what the routes, the auth plugin and the CLI use. */
export interface UserService {
  /** login checks the password and opens a session; throws InvalidCredentials (401) or LockedOut (429) with `failure` */
  login: (username: string, password: string) => Promise<{ token: string, expiresAt: number, user: UserRecord }>
  /** resolve finds the live session of a token, or undefined (expired, logged out, password changed, disabled) */
  resolve: (token: string) => Promise<Session | undefined>
  logout: (token: string) => Promise<void>
  get: (username: string) => Promise<UserRecord | undefined>
  list: () => Promise<UserRecord[]>
  /** put creates or updates a user; returns the stored record and whether it was created */
  put: (username: string, input: UserInput) => Promise<{ user: UserRecord, created: boolean }>
  /** bootstrap creates `admin` with a random password when there is no user at all */
  bootstrap: () => Promise<{ username: string, password: string } | undefined>
}

/** sessionKey is the bucket key of a token: its SHA-256, so a read of the bucket yields no usable token. */
export function sessionKey (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** createUserService builds the service over opened buckets. */
export function createUserService (o: UserServiceOptions): UserService {
  const { users, sessions } = o.buckets
  const get = async (username: string): Promise<UserRecord | undefined> => await readJson<UserRecord>(users, username)

  // Every attempt takes its number before the (slow) password check, so guesses sent in parallel cannot all
  // be checked against the same count: the ones past the limit are refused unchecked. A success gives the
  // numbers back (the count starts again); a failure that reaches the limit locks the account. The count is kept
  // through a lock (attempts still in flight stay over the limit) and starts again with the first attempt after
  // the lock ended. A number that could not be taken (the record contended past every retry) is over the limit.
  const takeAttempt = async (username: string): Promise<number> => {
    const u = await casUpdate(users, username, (x) => {
      const now = o.clock.now()
      if (x.lockedUntil > now) return x
      // a lock that has ended: a fresh count
      if (x.lockedUntil !== 0) return { ...x, failedLogins: 1, lockedUntil: 0 }
      return { ...x, failedLogins: x.failedLogins + 1 }
    })
    return u === undefined || u.lockedUntil > o.clock.now() ? Number.POSITIVE_INFINITY : u.failedLogins
  }
  const onFailure = async (username: string, attempt: number): Promise<boolean> => {
    if (attempt < o.maxFailures) return false
    await casUpdate(users, username, (u) => ({ ...u, lockedUntil: o.clock.now() + o.lockoutMs }))
    return true
  }

  const openSession = async (user: UserRecord): Promise<{ token: string, expiresAt: number }> => {
    const token = randomBytes(32).toString('base64url')
    const now = o.clock.now()
    const record: SessionRecord = { username: user.username, createdAt: now, expiresAt: now + o.sessionTtlMs, epoch: user.sessionEpoch }
    await writeJson(sessions, sessionKey(token), record)
    return { token, expiresAt: record.expiresAt }
  }

  return {
    async login (username, password) {
      const user = await get(username)
      if (user === undefined || user.disabled) {
        await burnVerify(password)
        throw new InvalidCredentials({ failure: user === undefined ? 'unknown' : 'disabled' })
      }
      const now = o.clock.now()
      if (user.lockedUntil > now) throw new LockedOut(user.lockedUntil - now)
      const attempt = await takeAttempt(user.username)
      if (attempt > o.maxFailures) {
        await burnVerify(password)
        throw new LockedOut(o.lockoutMs)
      }
      if (!await verifyPassword(user.passwordHash, password)) {
        const locked = await onFailure(user.username, attempt)
        throw locked ? new LockedOut(o.lockoutMs, true) : new InvalidCredentials({ failure: 'password' })
      }
      await casUpdate(users, user.username, (u) => ({ ...u, failedLogins: 0 }))
      return { ...await openSession(user), user }
    },
    async resolve (token) {
      const session = await readJson<SessionRecord>(sessions, sessionKey(token))
      if (session === undefined || session.expiresAt <= o.clock.now()) return undefined
      const user = await get(session.username)
      if (user === undefined || user.disabled || user.sessionEpoch !== session.epoch) return undefined
      return { user, session }
    },
    async logout (token) {
      await sessions.delete(sessionKey(token))
    },
    get,
    async list () {
      const names: string[] = []
      for await (const k of await users.keys()) names.push(k)
      const all = await Promise.all(names.sort().map(get))
      return all.filter((u): u is UserRecord => u !== undefined)
    },
    async put (username, input) {
      const before = await get(username)
      if (before === undefined && input.password === undefined) throw userInputError('password', 'a new user needs a password')
      if (input.password !== undefined && input.password.toLowerCase().includes(username)) {
        throw userInputError('password', 'must not contain the username')
      }
      const now = o.clock.now()
      const passwordHash = input.password === undefined ? (before as UserRecord).passwordHash : await hashPassword(input.password)
      const disabled = input.disabled ?? before?.disabled ?? false
      // a new password or a disable ends every session of the user
      const voids = input.password !== undefined || (disabled && before?.disabled !== true)
      const user: UserRecord = {
        username,
        displayName: input.displayName,
        role: input.role,
        sites: [...new Set(input.sites)].sort(),
        passwordHash,
        disabled,
        failedLogins: input.password === undefined ? before?.failedLogins ?? 0 : 0,
        lockedUntil: input.password === undefined ? before?.lockedUntil ?? 0 : 0,
        updatedAt: now,
        sessionEpoch: (before?.sessionEpoch ?? 0) + (voids && before !== undefined ? 1 : 0)
      }
      await writeJson(users, username, user)
      return { user, created: before === undefined }
    },
    async bootstrap () {
      for await (const _ of await users.keys()) return undefined // eslint-disable-line no-unreachable-loop
      const password = randomBytes(15).toString('base64url')
      await writeJson(users, 'admin', {
        username: 'admin',
        displayName: '系统管理员',
        role: 'admin',
        sites: ['*'],
        passwordHash: await hashPassword(password),
        disabled: false,
        failedLogins: 0,
        lockedUntil: 0,
        updatedAt: o.clock.now(),
        sessionEpoch: 0
      } satisfies UserRecord)
      return { username: 'admin', password }
    }
  }
}

// Read-modify-write with the entry's revision: a concurrent change makes the update fail, and it is redone.
async function casUpdate (kv: KV, key: string, change: (u: UserRecord) => UserRecord): Promise<UserRecord | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const entry = await kv.get(key)
    if (entry === null || entry.operation !== 'PUT') return undefined
    const next = change(entry.json<UserRecord>())
    try {
      await kv.update(key, JSON.stringify(next), entry.revision)
      return next
    } catch {
      // another login changed it first: read again
    }
  }
  return undefined
}

/** userView is a user as the API answers: no hash, no counters. */
export function userView (u: UserRecord, now: number): UserView {
  return {
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    sites: u.sites,
    disabled: u.disabled,
    locked: u.lockedUntil > now,
    updatedAt: toIso(u.updatedAt)
  }
}

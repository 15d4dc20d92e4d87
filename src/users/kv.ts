// The two JetStream key-value buckets of people: users (with a short history, so a change can be traced) and
// sessions (their entries expire by themselves). KV keys allow [-/_=.A-Za-z0-9]; usernames are restricted to a
// subset of that (USERNAME_PATTERN), and sessions are keyed by a hex digest.
import type { KV, NatsConnection } from 'nats'

/** USERNAME_PATTERN: lower-case letters, digits, '_', '-' and inner '.', 1–64 characters. */
export const USERNAME_PATTERN = '^[a-z0-9_-]([a-z0-9_.-]{0,62}[a-z0-9_-])?$'

/** PeopleBuckets are the opened buckets. */
export interface PeopleBuckets { users: KV, sessions: KV }

/** openBuckets creates or opens both buckets (file storage, so they survive a NATS restart). */
export async function openBuckets (nc: NatsConnection, sessionTtlMs: number): Promise<PeopleBuckets> {
  const js = nc.jetstream()
  const users = await js.views.kv('minewatch_users', { history: 10 })
  const sessions = await js.views.kv('minewatch_sessions', { history: 1, ttl: sessionTtlMs })
  return { users, sessions }
}

/** readJson decodes a KV entry's JSON value; a deleted or missing entry is undefined. */
export async function readJson<T> (kv: KV, key: string): Promise<T | undefined> {
  const entry = await kv.get(key)
  if (entry === null || entry.operation !== 'PUT' || entry.value.length === 0) return undefined
  return entry.json<T>()
}

/** writeJson stores a JSON value under key. */
export async function writeJson (kv: KV, key: string, value: unknown): Promise<void> {
  await kv.put(key, JSON.stringify(value))
}

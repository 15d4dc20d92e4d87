// A JetStream key-value bucket mirrored in memory by a watch: every server of a cluster sees every put and
// delete, its own or another's, and can look entries up synchronously. Listeners hear each change after the
// mirror holds it, with the value it replaced, so a delete still tells what it removed (a KV delete carries
// no value). The one mechanism behind the maintenance windows and the waiting shelve requests.
import type { KV, KvEntry, QueuedIterator } from 'nats'

/** MirrorChange is one put (value set) or delete (value undefined) of a key. */
export interface MirrorChange<T> { key: string, value: T | undefined, previous: T | undefined }

/** KvMirror is the bucket's content as of the last change the watch delivered. */
export interface KvMirror<T> {
  get: (key: string) => T | undefined
  values: () => Iterable<T>
  /** onChange calls back on every later change; the returned function stops it */
  onChange: (fn: (c: MirrorChange<T>) => void) => () => void
  close: () => void
}

/**
 * openKvMirror watches the bucket and resolves once the mirror holds every stored entry. An entry the bucket's
 * TTL removes sends the watch nothing: `stale` tells the mirror which entries to drop (checked on each change).
 */
export async function openKvMirror<T> (kv: KV, stale?: (value: T) => boolean): Promise<KvMirror<T>> {
  const mirror = new Map<string, T>()
  const listeners = new Set<(c: MirrorChange<T>) => void>()
  const apply = (e: KvEntry): void => {
    if (stale !== undefined) for (const [k, v] of mirror) if (stale(v)) mirror.delete(k)
    const previous = mirror.get(e.key)
    const value = e.operation !== 'PUT' || e.value.length === 0 ? undefined : e.json<T>()
    if (value === undefined) mirror.delete(e.key)
    else mirror.set(e.key, value)
    if (value === undefined && previous === undefined) return
    for (const fn of listeners) fn({ key: e.key, value, previous })
  }
  let ready!: () => void
  const initialized = new Promise<void>((resolve) => { ready = resolve })
  // initializedFn runs once the stored entries have been delivered (at once for an empty bucket)
  const watch: QueuedIterator<KvEntry> = await kv.watch({ initializedFn: () => ready() })
  const follow = async (): Promise<void> => {
    for await (const e of watch) apply(e)
  }
  follow().catch(() => {})
  await initialized
  return {
    get: (key) => mirror.get(key),
    values: () => mirror.values(),
    onChange: (fn) => { listeners.add(fn); return () => { listeners.delete(fn) } },
    close: () => { watch.stop() }
  }
}

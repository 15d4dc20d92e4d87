// The alarms the board shows: loaded once from GET /v1/alarms, then kept live by the event stream
// (GET /v1/stream, server-sent events; the browser's EventSource reconnects by itself with Last-Event-ID).
// No polling: after a reconnect the list is read once more, since the gap may be longer than the stream keeps.
import { api } from './api.js'
import { signal } from './signal.js'
import type { Alarm } from './types.js'

export type Feed = 'connecting' | 'live' | 'reconnecting'

/** alarms are the open alarms by id; feed is the stream's state; announced is the last new alarm (live region). */
export const alarms = signal<ReadonlyMap<string, Alarm>>(new Map())
export const feed = signal<Feed>('connecting')
export const announced = signal<Alarm | null>(null)
/** risk holds the latest risk message per site, from the same stream. */
export const risk = signal<ReadonlyMap<string, any>>(new Map())
/**
 * requests and maintenance count the changes of the waiting shelve requests and of the maintenance windows (made
 * here, told by the feed, or possibly missed while reconnecting): their lists read again on each.
 */
export const requests = signal(0)
export const maintenance = signal(0)

let source: EventSource | null = null
let retry: ReturnType<typeof setTimeout> | null = null
let backoffMs = 1000
/** onSignedOut is told when a reconnect finds the session gone (session.ts shows the login again). */
let onSignedOut: () => void = () => {}
export function whenSignedOut (fn: () => void): void { onSignedOut = fn }

/** apply merges one alarm message, newer seq wins; a closed alarm leaves the board. */
export function apply (m: Alarm): void {
  const current = alarms.get()
  const known = current.get(m.alarmId)
  if (known !== undefined && known.seq >= m.seq) return
  const next = new Map(current)
  if (m.state === 'closed') next.delete(m.alarmId)
  else next.set(m.alarmId, { ...known, ...m })
  alarms.set(next)
  if (m.transition === 'raised' && known === undefined) announced.set(m)
}

async function reload (): Promise<void> {
  const { alarms: list } = await api<{ alarms: Alarm[] }>('GET', '/v1/alarms?state=open')
  const next = new Map<string, Alarm>()
  for (const a of list) next.set(a.alarmId, a)
  // messages that arrived while the list was being read are newer: keep them
  for (const [id, a] of alarms.get()) {
    const listed = next.get(id)
    if (listed !== undefined && listed.seq < a.seq) next.set(id, a)
  }
  alarms.set(next)
}

/** connect opens the stream (once) and loads the list. */
export function connect (): void {
  if (source !== null) return
  source = new EventSource('/v1/stream', { withCredentials: true })
  source.addEventListener('ready', () => {
    backoffMs = 1000
    feed.set('live')
    bump(requests)
    bump(maintenance)
    reload().catch(() => feed.set('reconnecting'))
  })
  source.addEventListener('alarm', (e) => apply(JSON.parse((e as MessageEvent<string>).data) as Alarm))
  source.addEventListener('risk', (e) => {
    const m = JSON.parse((e as MessageEvent<string>).data)
    risk.set(new Map(risk.get()).set(m.siteCode, m))
  })
  source.addEventListener('shelve-request', () => bump(requests))
  source.addEventListener('maintenance', () => bump(maintenance))
  source.onerror = () => {
    feed.set('reconnecting')
    // EventSource retries a dropped connection by itself, but not an error answer (401 after the session ended,
    // 503 while NATS is away): then it is closed for good, and a wall screen would go deaf. Ask who we are, and
    // either show the login or open the stream again, waiting longer each time.
    if (source?.readyState === EventSource.CLOSED) reopen()
  }
}

function reopen (): void {
  source?.close()
  source = null
  if (retry !== null) return
  retry = setTimeout(() => {
    retry = null
    fetch('/v1/session', { credentials: 'same-origin' }).then((res) => {
      if (res.status === 401) { onSignedOut(); return }
      connect()
    }, () => reopen())
  }, backoffMs)
  backoffMs = Math.min(backoffMs * 2, 30_000)
}

/** bump counts one change of a list. */
export function bump (counter: typeof requests): void {
  counter.set(counter.get() + 1)
}

/** disconnect closes the stream (logout). */
export function disconnect (): void {
  source?.close()
  source = null
  if (retry !== null) clearTimeout(retry)
  retry = null
  alarms.set(new Map())
  feed.set('connecting')
}

// What the alarm service publishes, seen from the outside: the alarm-message.json schema, a core subscription
// on minewatch.alarm.> (AlarmWatch) and the JetStream stream's contents (readStream, readStreamAt); and, from
// the inside, what the service made (AlarmLedger), so that a test knows when every message has arrived.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'
import { connect, type NatsConnection, type Subscription } from 'nats'
import type { AlarmMessage } from '../../src/contract/index.js'
import type { AlarmTransitionRecord } from '../../src/5-alarm/types.js'
import type { TestLike } from './services.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const STREAM = 'MINEWATCH_ALARMS'

/** alarmSchema validates a payload against schemas/alarm-message.json (with common.json). */
export function alarmSchema (): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true })
  addFormats.default(ajv)
  const load = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, 'schemas', f), 'utf8')) as Record<string, unknown>
  ajv.addSchema(load('common.json'))
  return ajv.compile(load('alarm-message.json'))
}

/** OkTap is the part of a tap Test that alarmCheck asserts with. */
export interface OkTap { ok: (found: unknown, message: string, extra: Record<string, unknown>) => boolean }

/** alarmCheck gives an assertion that a payload matches alarm-message.json, named `${what} matches alarm-message.json`. */
export function alarmCheck (t: OkTap): (m: unknown, what: string) => void {
  const validate = alarmSchema()
  return (m, what) => {
    t.ok(validate(m), `${what} matches alarm-message.json`, { errors: validate.errors })
  }
}

/** Seen is one message AlarmWatch received, with when it arrived. */
export interface Seen { subject: string, msgId: string | undefined, body: AlarmMessage, at: number }

/** AlarmWatch collects every message on minewatch.alarm.> (a core subscription) and waits for them, bounded. */
export class AlarmWatch {
  readonly seen: Seen[] = []
  private readonly wakers = new Set<() => void>()
  private constructor (readonly nc: NatsConnection, private readonly sub: Subscription) {}

  static async open (url: string): Promise<AlarmWatch> {
    const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 200 })
    const w = new AlarmWatch(nc, nc.subscribe('minewatch.alarm.>'))
    w.loop().catch(() => {}) // ends when the connection closes
    await nc.flush()
    return w
  }

  private async loop (): Promise<void> {
    for await (const m of this.sub) {
      this.seen.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), body: m.json<AlarmMessage>(), at: Date.now() })
      for (const wake of this.wakers) wake()
    }
  }

  /** waitFor resolves with the first message matching `pred`, or rejects after timeoutMs (a bound that only catches hangs). */
  async waitFor (pred: (m: Seen) => boolean, what: string, timeoutMs = 60_000): Promise<Seen> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const hit = this.seen.find(pred)
      if (hit !== undefined) return hit
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no alarm message ${what} within ${timeoutMs} ms; seen: ${JSON.stringify(this.seen.map((s) => `${s.subject} ${s.msgId ?? ''} ${s.body.transition}`))}`)
      await new Promise<void>((resolve) => {
        const wake = (): void => { clearTimeout(timer); this.wakers.delete(wake); resolve() }
        const timer = setTimeout(wake, left)
        this.wakers.add(wake)
      })
    }
  }

  /** of lists the messages seen for one alarm. */
  of (alarmId: string): Seen[] { return this.seen.filter((s) => s.body.alarmId === alarmId) }
  /** forSite lists the messages seen for one site. */
  forSite (site: string): Seen[] { return this.seen.filter((s) => s.body.siteCode === site) }
  async close (): Promise<void> { await this.nc.close() }
}

/**
 * AlarmLedger counts, inside the app, what the alarm service was given and what it made: every condition
 * change the engine hands it (app.alarms.onCondition, which the engine plugin looks up on each change, wrapped
 * here to follow the work in progress) and every transition it stored and handed to its outbox
 * (app.alarms.transitions$, operator actions included). settled() waits until the service has applied every
 * change it was given and an AlarmWatch has received every transition it made. From then on the watch holds
 * everything the app published: "nothing else was published" is a fact, not a guess after a pause.
 */
export class AlarmLedger {
  /** the transitions the service stored and enqueued, in order */
  readonly records: AlarmTransitionRecord[] = []
  /** condition changes handed to the service so far */
  changes = 0
  private readonly applying = new Set<Promise<void>>()

  private constructor () {}

  /** attach starts counting on `app` (before anything is fed to it); undone on teardown. */
  static attach (t: TestLike, app: FastifyInstance): AlarmLedger {
    const ledger = new AlarmLedger()
    const service = app.alarms
    const onCondition = service.onCondition
    service.onCondition = (change) => {
      ledger.changes++
      const p = onCondition(change)
      const tracked: Promise<void> = p.then(() => {}, () => {}).finally(() => ledger.applying.delete(tracked))
      ledger.applying.add(tracked)
      return p
    }
    const sub = service.transitions$.subscribe((r) => { ledger.records.push(r) })
    t.teardown(() => { sub.unsubscribe(); service.onCondition = onCondition })
    return ledger
  }

  /** msgIds are the Nats-Msg-Ids of the transitions made so far. */
  msgIds (): string[] { return this.records.map((r) => `${r.alarmId}:${r.seq}`) }

  /**
   * settled resolves once no condition change is being applied and `watch` has received every transition made;
   * it rejects after timeoutMs (a bound that only catches hangs), naming what is missing.
   */
  async settled (watch: AlarmWatch, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (this.applying.size > 0) {
        await bounded(Promise.all([...this.applying]), deadline - Date.now(), () => `${this.applying.size} condition changes still being applied`)
        continue
      }
      const seen = new Set(watch.seen.map((s) => s.msgId))
      const missing = this.msgIds().filter((id) => !seen.has(id))
      if (missing.length === 0) return
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`transitions made but not received within ${timeoutMs} ms: ${missing.join(', ')}`)
      await watch.waitFor((s) => s.msgId === missing[0], `${missing[0] ?? ''} (made by the service)`, left)
    }
  }
}

async function bounded (p: Promise<unknown>, ms: number, what: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`timed out: ${what()}`)), Math.max(0, ms)) })
  try {
    await Promise.race([p, expired])
  } finally {
    clearTimeout(timer)
  }
}

/** Stored is one message read back from the JetStream stream. */
export interface Stored { subject: string, msgId: string | undefined, body: AlarmMessage }

/** readStream returns every message the JetStream stream holds, in stream order. */
export async function readStream (nc: NatsConnection): Promise<Stored[]> {
  const jsm = await nc.jetstreamManager()
  const { state } = await jsm.streams.info(STREAM)
  const out: Stored[] = []
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(STREAM, { seq })
    out.push({ subject: m.subject, msgId: m.header?.get('Nats-Msg-Id'), body: m.json<AlarmMessage>() })
  }
  return out
}

/** readStreamAt is readStream over a fresh connection to `url`, closed again afterwards. */
export async function readStreamAt (url: string): Promise<Stored[]> {
  const nc: NatsConnection = await connect({ servers: url, maxReconnectAttempts: 10, reconnectTimeWait: 200 })
  try {
    return await readStream(nc)
  } finally {
    await nc.close()
  }
}

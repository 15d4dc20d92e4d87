// Ingest → alarm-published latency: a core NATS subscription to every alarm subject, joined with the probes
// the generator reports (whose POST was answered 200). Either side may arrive first: the server can publish
// before it answers the POST, and probe reports travel over IPC.
import { connect, type Msg, type NatsConnection } from 'nats'
import type { ProbeSent } from './protocol.js'
import { percentiles, wallNow, type Percentiles } from './stats.js'

/** AlarmCounts describe everything heard on minewatch.alarm.>, probes or not. */
export interface AlarmCounts { messages: number, raised: number, matched: number, otherRaised: Record<string, number> }

interface AlarmPayload { transition?: string, category?: string, ruleId?: string, siteCode?: string, points?: string[], eventAt?: string, startedAt?: string }

/** AlarmWatch listens to the alarm subjects and matches 'raised' alarms to probes. */
export class AlarmWatch {
  readonly counts: AlarmCounts = { messages: 0, raised: 0, matched: 0, otherRaised: {} }
  private readonly probes = new Map<string, { sentAt: number, phase: string }>()
  private readonly early = new Map<string, number>()
  private readonly latencies = new Map<string, number[]>()
  private readonly sent = new Map<string, number>()

  private constructor (private readonly nc: NatsConnection) {}

  static async start (natsUrl: string): Promise<AlarmWatch> {
    const nc = await connect({ servers: natsUrl, name: 'minewatch-bench' })
    const watch = new AlarmWatch(nc)
    nc.subscribe('minewatch.alarm.>', { callback: (err, msg) => { if (err === null) watch.onMessage(msg, wallNow()) } })
    await nc.flush() // the subscription is registered before any probe is sent
    return watch
  }

  /** addProbe records a probe of `phase`; its alarm may already be here. */
  addProbe (p: ProbeSent, phase: string): void {
    const key = `${p.site}|${p.point}|${p.ts}`
    this.sent.set(phase, (this.sent.get(phase) ?? 0) + 1)
    const receivedAt = this.early.get(key)
    if (receivedAt === undefined) {
      this.probes.set(key, { sentAt: p.sentAt, phase })
      return
    }
    this.early.delete(key)
    this.record(phase, receivedAt - p.sentAt)
  }

  /** latency summarises one phase: probes sent, alarms matched, and percentiles in ms. */
  latency (phase: string): Percentiles & { probes: number } {
    return { probes: this.sent.get(phase) ?? 0, ...percentiles(this.latencies.get(phase) ?? []) }
  }

  /** waiting counts the probes of `phase` whose alarm has not been heard yet. */
  waiting (phase: string): number {
    let n = 0
    for (const p of this.probes.values()) if (p.phase === phase) n++
    return n
  }

  /** unmatched counts probes no alarm answered (yet) and CO raises no probe explains. */
  unmatched (): { probes: number, coAlarms: number } {
    return { probes: this.probes.size, coAlarms: this.early.size }
  }

  async close (): Promise<void> {
    await this.nc.drain().catch(() => this.nc.close())
  }

  private onMessage (msg: Msg, receivedAt: number): void {
    this.counts.messages++
    const a = msg.json<AlarmPayload>()
    if (a.transition !== 'raised') return
    this.counts.raised++
    // eventAt (extension) is the triggering reading's time; startedAt, the contract's, equals it for a raise.
    const at = Date.parse(a.eventAt ?? a.startedAt ?? '')
    const key = `${a.siteCode}|${a.points?.[0]}|${at}`
    const probe = this.probes.get(key)
    if (probe !== undefined) {
      this.probes.delete(key)
      this.record(probe.phase, receivedAt - probe.sentAt)
    } else if (a.category === 'over_limit' && a.points?.[0]?.startsWith('CO-') === true) {
      this.early.set(key, receivedAt)
    } else {
      // Background traffic should raise nothing but the probes: anything else is worth a look.
      const what = `${a.category}/${a.ruleId}`
      this.counts.otherRaised[what] = (this.counts.otherRaised[what] ?? 0) + 1
    }
  }

  private record (phase: string, ms: number): void {
    this.counts.matched++
    const list = this.latencies.get(phase) ?? []
    list.push(ms)
    this.latencies.set(phase, list)
  }
}

// The one outbox on its own: a fake JetStream publish whose every call the test answers by hand, and virtual
// time (backoff sleeps and drain timeouts run on a VirtualTimeScheduler), so no test waits on a real timer.
import t from 'tap'
import { queueScheduler, Subject } from 'rxjs'
import type { PubAck } from 'nats'
import { createOutbox, type OutboxOptions } from '../../../src/6-publish/outbox.js'
import type { PublishFailureReason } from '../../../src/6-publish/failure.js'
import { advanceTo, createReplayScheduler } from '../../../src/lib/virtual-time.js'
import type { Log } from '../../../src/lib/log.js'

/** Call is one publish in flight; the test settles it. */
interface Call { msgID: string, ack: () => void, fail: (code: string) => void }

/** FakeJetStream stores msg ids once each (the duplicate window) and lets the test answer each publish. */
class FakeJetStream {
  readonly sent: string[] = []
  readonly stored: string[] = []
  readonly calls: Call[] = []
  publish = async (_subject: string, _data: Uint8Array, opts: { msgID: string }): Promise<PubAck> => {
    this.sent.push(opts.msgID)
    return await new Promise<PubAck>((resolve, reject) => {
      this.calls.push({
        msgID: opts.msgID,
        ack: () => {
          const duplicate = this.stored.includes(opts.msgID)
          if (!duplicate) this.stored.push(opts.msgID)
          resolve({ stream: 'S', seq: this.stored.length, duplicate } as PubAck)
        },
        fail: (code) => reject(Object.assign(new Error(code), { code }))
      })
    })
  }

  /** answer settles the calls in flight, oldest first, with one fate each */
  async answer (...fates: Array<'ok' | 'ack-lost' | 'TIMEOUT' | 'DISCONNECT' | '503'>): Promise<void> {
    for (const fate of fates) {
      const call = this.calls.shift()
      if (call === undefined) throw new Error(`no publish in flight for ${fate}`)
      if (fate === 'ok') call.ack()
      else if (fate === 'ack-lost') { this.stored.push(call.msgID); call.fail('TIMEOUT') } else call.fail(fate)
    }
    await tick()
  }

  inFlight (): string[] { return this.calls.map((c) => c.msgID) }
}

const tick = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

interface Rec { id: string }
const recs = (...ids: string[]): Rec[] => ids.map((id) => ({ id }))

function setup (t: { teardown: (fn: () => void) => void }, over: Partial<OutboxOptions<Rec>> = {}) {
  const js = new FakeJetStream()
  const scheduler = createReplayScheduler(0)
  const seen = { acked: [] as string[], duplicates: [] as string[], failed: [] as PublishFailureReason[], dropped: [] as string[], pending: [] as number[] }
  const logs: Array<[string, string]> = []
  const log: Log = {
    debug: (_o, msg) => { logs.push(['debug', msg]) },
    info: (_o, msg) => { logs.push(['info', msg]) },
    warn: (_o, msg) => { logs.push(['warn', msg]) },
    error: (_o, msg) => { logs.push(['error', msg]) }
  }
  const outbox = createOutbox<Rec>({
    name: 'test',
    message: (r) => ({ subject: `test.${r.id}`, data: Buffer.from(r.id), msgID: r.id }),
    publish: js.publish,
    ensureStream: async () => {},
    hooks: {
      acknowledged: (r, ack) => { seen.acked.push(r.id); if (ack.duplicate) seen.duplicates.push(r.id) },
      failed: (reason) => { seen.failed.push(reason) },
      dropped: (r) => { seen.dropped.push(r.id) },
      pending: (n) => { seen.pending.push(n) }
    },
    log,
    scheduler,
    retryMinMs: 100,
    retryMaxMs: 400,
    ...over
  })
  t.teardown(() => outbox.close())
  return { js, scheduler, seen, logs, outbox }
}

t.test('outbox - records enqueued together leave together in one window, the rest after the acks', async (t) => {
  const { js, outbox, seen } = setup(t, { window: 3 })
  recs('a', 'b', 'c', 'd', 'e').forEach((r) => outbox.enqueue(r))
  t.same(js.sent, [], 'nothing is sent before the enqueuing code has finished')
  await tick()
  t.same(js.inFlight(), ['a', 'b', 'c'], 'one window in flight')
  await js.answer('ok', 'ok', 'ok')
  t.same(js.inFlight(), ['d', 'e'])
  await js.answer('ok', 'ok')
  t.same(seen.acked, ['a', 'b', 'c', 'd', 'e'], 'acknowledged in order')
  t.equal(outbox.pending(), 0)
  t.equal(seen.pending.at(-1), 0, 'the pending hook follows the queue')
})

t.test('outbox - a window of 1 sends the head at once, one record at a time', async (t) => {
  const { js, outbox } = setup(t, { window: 1 })
  recs('a', 'b').forEach((r) => outbox.enqueue(r))
  t.same(js.inFlight(), ['a'], 'sent within enqueue')
  await js.answer('ok')
  t.same(js.inFlight(), ['b'], 'the next only after the ack')
  await js.answer('ok')
})

t.test('outbox - order is kept across failures: the acknowledged prefix leaves, the rest is resent in order', async (t) => {
  const { js, outbox, seen, scheduler, logs } = setup(t, { window: 4 })
  recs('a', 'b', 'c', 'd').forEach((r) => outbox.enqueue(r))
  await tick()
  // b is stored but its ack is lost; c and d are lost with the connection
  await js.answer('ok', 'ack-lost', 'DISCONNECT', 'DISCONNECT')
  t.same(seen.acked, ['a'])
  t.same(seen.failed, ['timeout'], 'one failure per attempt, named by the first failed record')
  t.equal(outbox.pending(), 3)
  t.same(js.inFlight(), [], 'nothing is sent during the backoff')
  advanceTo(scheduler, 99)
  await tick()
  t.same(js.inFlight(), [], 'still backing off at 99 ms')
  advanceTo(scheduler, 100)
  await tick()
  t.same(js.inFlight(), ['b'], 'after the backoff only the head is sent, as a probe')
  await js.answer('DISCONNECT')
  advanceTo(scheduler, 100 + 199)
  await tick()
  t.same(js.inFlight(), [], 'the backoff doubles')
  advanceTo(scheduler, 100 + 200)
  await tick()
  await js.answer('ok')
  t.same(js.inFlight(), ['c', 'd'], 'once the probe is acknowledged, a full window again')
  await js.answer('ok', 'ok')
  t.same(seen.acked, ['a', 'b', 'c', 'd'], 'acknowledged in order')
  t.same(js.stored, ['a', 'b', 'c', 'd'], 'stored once each, in order')
  t.same(seen.duplicates, ['b'], 'the resent record the server had came back as a duplicate')
  t.same(logs.filter(([, msg]) => msg === 'test publish failed; retrying in order').map(([level]) => level), ['error', 'debug'],
    'the first failure of an outage at error, the retries at debug')
})

t.test('outbox - the backoff is capped, and a wake-up cuts it short', async (t) => {
  const wake$ = new Subject<void>()
  const { js, outbox, scheduler } = setup(t, { window: 1, wake$ })
  outbox.enqueue({ id: 'a' })
  let now = 0
  for (const delay of [100, 200, 400, 400]) {
    await js.answer('DISCONNECT')
    advanceTo(scheduler, now + delay - 1)
    await tick()
    t.same(js.inFlight(), [], `no probe before ${delay} ms`)
    advanceTo(scheduler, now += delay)
    await tick()
    t.same(js.inFlight(), ['a'], `a probe after ${delay} ms`)
  }
  await js.answer('DISCONNECT')
  wake$.next() // the connection is back
  await tick()
  t.same(js.inFlight(), ['a'], 'probed at once, without waiting for virtual time')
  await js.answer('ok')
  t.equal(outbox.pending(), 0)
  t.equal(scheduler.actions.length, 0, 'the cut-short sleep left no timer behind')
})

t.test('outbox - a bound drops the oldest waiting record, never the one in flight', async (t) => {
  const { js, outbox, seen, logs } = setup(t, { window: 1, maxPending: 2 })
  recs('a', 'b', 'c', 'd').forEach((r) => outbox.enqueue(r))
  t.same(seen.dropped, ['b', 'c'], 'a is in flight; b then c were the oldest waiting')
  t.equal(outbox.pending(), 2)
  t.equal(logs.filter(([level, msg]) => level === 'warn' && msg === 'test outbox full: oldest waiting record dropped').length, 2)
  await js.answer('DISCONNECT')
  outbox.enqueue({ id: 'e' })
  t.same(seen.dropped, ['b', 'c', 'd'], 'while a is retried it is kept: it may be stored already')
  t.same(seen.pending.at(-1), 2)
})

t.test('outbox - a bound with a window keeps the whole window in flight', async (t) => {
  const { js, outbox, seen } = setup(t, { window: 2, maxPending: 3 })
  recs('a', 'b').forEach((r) => outbox.enqueue(r))
  await tick()
  t.same(js.inFlight(), ['a', 'b'])
  recs('c', 'd', 'e').forEach((r) => outbox.enqueue(r))
  t.same(seen.dropped, ['c', 'd'], 'the oldest waiting, behind the window in flight')
  await js.answer('ok', 'ok')
  t.same(js.inFlight(), ['e'])
  await js.answer('ok')
  t.same(js.stored, ['a', 'b', 'e'])
})

t.test('outbox - without a bound nothing is dropped', async (t) => {
  const { js, outbox, seen } = setup(t, { window: 1 })
  for (let i = 0; i < 1000; i++) outbox.enqueue({ id: `r${i}` })
  t.equal(outbox.pending(), 1000)
  t.same(seen.dropped, [])
  await js.answer('DISCONNECT')
  outbox.close()
})

t.test('outbox - drain is true once empty, false when its (virtual) timeout passes first', async (t) => {
  const { js, outbox, scheduler } = setup(t, { window: 1 })
  t.equal(await outbox.drain(10), true, 'an empty outbox is drained at once')
  outbox.enqueue({ id: 'a' })
  const late = outbox.drain(1000)
  let settled: boolean | undefined
  late.then((v) => { settled = v }, () => {})
  await js.answer('DISCONNECT')
  advanceTo(scheduler, 999)
  await tick()
  t.equal(settled, undefined, 'still waiting at 999 ms')
  advanceTo(scheduler, 1000)
  t.equal(await late, false, 'timed out at 1000 ms, the record still pending')
  t.equal(outbox.pending(), 1)
  const early = outbox.drain(60_000)
  advanceTo(scheduler, 1000 + 400)
  await tick()
  await js.answer('ok')
  t.equal(await early, true, 'drained before its timeout')
  t.equal(scheduler.actions.length, 0, 'the drain timer is cancelled once drained')
})

t.test('outbox - close stops publishing, cuts the backoff short and stops listening for wake-ups', async (t) => {
  const wake$ = new Subject<void>()
  const { js, outbox, scheduler, seen } = setup(t, { window: 2, wake$ })
  recs('a', 'b', 'c').forEach((r) => outbox.enqueue(r))
  await tick()
  outbox.close()
  t.notOk(wake$.observed, 'no longer listening for reconnects')
  await js.answer('ok', 'ok')
  t.same(seen.acked, ['a', 'b'], 'acknowledgements of what was in flight still count')
  t.same(js.inFlight(), [], 'but nothing more is sent')
  outbox.enqueue({ id: 'd' })
  await tick()
  t.equal(outbox.pending(), 2, 'records stay pending after close')
  t.same(js.sent, ['a', 'b'])
  const drained = outbox.drain(50)
  advanceTo(scheduler, 50)
  t.equal(await drained, false)
  t.equal(scheduler.actions.length, 0)
})

t.test('outbox - close during a backoff ends it at once', async (t) => {
  const { js, outbox, scheduler } = setup(t, { window: 1 })
  outbox.enqueue({ id: 'a' })
  await js.answer('DISCONNECT')
  t.equal(scheduler.actions.length, 1, 'backing off')
  outbox.close()
  await tick()
  t.equal(scheduler.actions.length, 0, 'the sleep was cancelled')
  advanceTo(scheduler, 10_000)
  await tick()
  t.same(js.sent, ['a'], 'no probe after close')
})

t.test('outbox - a deleted stream is put back before the next attempt; a failed re-create is a failure too', async (t) => {
  let ensured = 0
  let ensureFails = 1
  const { js, outbox, seen, scheduler } = setup(t, {
    window: 1,
    ensureStream: async () => {
      ensured++
      if (ensureFails-- > 0) throw Object.assign(new Error('no responders'), { code: '503' })
    }
  })
  outbox.enqueue({ id: 'a' })
  await js.answer('503')
  t.equal(ensured, 0, 'not during the backoff')
  advanceTo(scheduler, 100)
  await tick()
  t.equal(ensured, 1, 'before the next attempt')
  t.same(js.inFlight(), [], 'the re-create failed: no publish')
  t.same(seen.failed, ['no_stream', 'no_stream'])
  advanceTo(scheduler, 300)
  await tick()
  t.equal(ensured, 2)
  t.same(js.inFlight(), ['a'], 'the stream is back: the head is published')
  await js.answer('ok')
  t.same(seen.acked, ['a'])
})

t.test('outbox - a hook that throws is logged, and publishing goes on', async (t) => {
  const { js, outbox, logs } = setup(t, {
    window: 1,
    hooks: { acknowledged: () => { throw new Error('bug in a metric') } }
  })
  recs('a', 'b').forEach((r) => outbox.enqueue(r))
  await js.answer('ok')
  await js.answer('ok')
  t.equal(outbox.pending(), 0)
  t.same(logs.filter(([level]) => level === 'error').map(([, msg]) => msg), ['test outbox hook failed', 'test outbox hook failed'])
})

t.test('outbox - a scheduler that runs zero delays at once (queueScheduler) neither hangs nor leaks', async (t) => {
  const { js, outbox, seen } = setup(t, { window: 1, scheduler: queueScheduler, retryMinMs: 0, retryMaxMs: 0 })
  outbox.enqueue({ id: 'a' })
  t.equal(await outbox.drain(0), false, 'a zero timeout answers at once')
  await js.answer('DISCONNECT')
  t.same(js.inFlight(), ['a'], 'a zero backoff probes again at once')
  await js.answer('ok')
  t.same(seen.acked, ['a'])
  t.equal(await outbox.drain(0), true)
})

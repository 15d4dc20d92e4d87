import t from 'tap'
import { getEventListeners } from 'node:events'
import { asyncScheduler } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { sleep } from '../../../src/lib/sleep.js'
import { advanceTo, createReplayScheduler } from '../../../src/lib/virtual-time.js'

// lets every settled promise run its callbacks (no timers are involved in virtual time)
const settle = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

function watch (p: Promise<void>): { done: () => boolean, error: () => unknown } {
  let done = false
  let error: unknown
  p.then(() => { done = true }, (err: unknown) => { error = err })
  return { done: () => done, error: () => error }
}

t.test('sleep - resolves when virtual time reaches the delay, not before', async (t) => {
  const scheduler = createReplayScheduler(1_000)
  const s = watch(sleep(250, scheduler))
  await settle()
  advanceTo(scheduler, 1_249)
  await settle()
  t.notOk(s.done(), 'still asleep 1 ms before')
  advanceTo(scheduler, 1_250)
  await settle()
  t.ok(s.done(), 'awake at the delay')
})

t.test('sleep - an RxJS TestScheduler drives it too', async (t) => {
  const scheduler = new TestScheduler(() => {})
  const s = watch(sleep(40, scheduler))
  scheduler.flush()
  await settle()
  t.ok(s.done())
  t.equal(scheduler.now(), 40)
})

t.test('sleep - an abort rejects with the reason and drops the scheduled wake-up', async (t) => {
  const scheduler = createReplayScheduler(0)
  const stop = new AbortController()
  const p = sleep(1_000, scheduler, stop.signal)
  t.equal(scheduler.actions.length, 1)
  const reason = new Error('closing')
  stop.abort(reason)
  await t.rejects(p, reason)
  t.equal(scheduler.actions.length, 0, 'nothing left to run in virtual time')
})

t.test('sleep - an already aborted signal rejects at once and schedules nothing', async (t) => {
  const scheduler = createReplayScheduler(0)
  const stop = new AbortController()
  stop.abort()
  await t.rejects(sleep(10, scheduler, stop.signal), { name: 'AbortError' })
  t.equal(scheduler.actions.length, 0)
})

t.test('sleep - waking leaves no listener on the signal', async (t) => {
  const scheduler = createReplayScheduler(0)
  const stop = new AbortController()
  const p = sleep(5, scheduler, stop.signal)
  t.equal(getEventListeners(stop.signal, 'abort').length, 1, 'listening while asleep')
  advanceTo(scheduler, 5)
  await p
  t.equal(getEventListeners(stop.signal, 'abort').length, 0, 'a long-lived signal (a service\'s close) collects no listeners')
})

t.test('sleep - runs in real time on asyncScheduler', async (t) => {
  const started = performance.now()
  await sleep(20, asyncScheduler)
  t.ok(performance.now() - started >= 15, 'waited on the wall clock')
})

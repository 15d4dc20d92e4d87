// kv mirror - a key-value bucket followed by a watch, against a real nats-server: it holds what was stored before
// it opened, hears each put and delete (with the value a delete removed) of any connection, and drops what
// `stale` says has aged out, since a bucket TTL expiry sends the watch nothing.
import t from 'tap'
import { connect } from 'nats'
import { startNatsOnly } from '../helpers/services.js'
import { until } from '../helpers/wait.js'
import { openKvMirror, type MirrorChange } from '../../src/lib/kv-mirror.js'

t.test('kv mirror - against a real nats-server', async (t) => {
  const svc = await startNatsOnly(t)
  const writer = await connect({ servers: svc.nats.url })
  const reader = await connect({ servers: svc.nats.url })
  t.teardown(async () => { await writer.close(); await reader.close() })
  const kv = await writer.jetstream().views.kv('mirror_test', { history: 1 })
  await kv.put('a', JSON.stringify({ n: 1, at: 0 }))

  const mirror = await openKvMirror<{ n: number, at: number }>(await reader.jetstream().views.kv('mirror_test'), (v) => v.at < 0)
  t.teardown(() => mirror.close())
  t.same(mirror.get('a'), { n: 1, at: 0 }, 'an entry stored before it opened is there once it resolves')

  const changes: Array<MirrorChange<{ n: number, at: number }>> = []
  const stop = mirror.onChange((c) => changes.push(c))
  await kv.put('b', JSON.stringify({ n: 2, at: 0 }))
  await kv.put('a', JSON.stringify({ n: 3, at: 0 }))
  await kv.delete('b')
  await until(async () => changes.length === 3 ? true : undefined, 'three changes')
  t.same(changes, [
    { key: 'b', value: { n: 2, at: 0 }, previous: undefined },
    { key: 'a', value: { n: 3, at: 0 }, previous: { n: 1, at: 0 } },
    { key: 'b', value: undefined, previous: { n: 2, at: 0 } }
  ], 'puts and a delete of another connection, each with the value it replaced')
  t.same([...mirror.values()], [{ n: 3, at: 0 }], 'the mirror holds what the bucket holds')

  await kv.put('old', JSON.stringify({ n: 4, at: -1 }))
  await kv.put('c', JSON.stringify({ n: 5, at: 0 }))
  await until(async () => mirror.get('c') !== undefined ? true : undefined, 'c mirrored')
  t.equal(mirror.get('old'), undefined, 'a stale entry is dropped at the next change')

  stop()
  await kv.put('d', JSON.stringify({ n: 6, at: 0 }))
  await until(async () => mirror.get('d') !== undefined ? true : undefined, 'd mirrored')
  t.equal(changes.length, 5, 'a stopped listener hears nothing more (old and c were the last)')
})

// backtest - merging the stored streams into instants: event-time order across tables and pages, an
// instant's readings as one batch before its other inputs, and streams released when the consumer stops.
import t from 'tap'
import { mergeInstants, type Instant, type Pages } from '../../../../src/tools/backtest/index.js'
import type { EngineInput } from '../../../../src/4-evaluate/inputs.js'
import type { ReadingRow } from '../../../../src/contract/rows.js'
import { pagesOf } from './fake-history.js'

const reading = (point: string, ts: number): ReadingRow => ({ site: 'S1', point, ts, value: 1, status: 0, receivedAt: ts })
const sos = (card: string, ts: number): EngineInput => ({ type: 'sos', event: { site: 'S1', type: 'sos', card, ts, receivedAt: ts } })
const beat = (channel: string, ts: number): EngineInput => ({ type: 'video_heartbeat', heartbeat: { site: 'S1', channel, online: true, ts, receivedAt: ts } })

// an instant as a short text: ts, then the readings' points, then the inputs
function shown (i: Instant): string {
  const inputs = i.inputs.map((x) => x.type === 'sos' ? `sos:${x.event.card}` : x.type === 'video_heartbeat' ? `hb:${x.heartbeat.channel}` : x.type)
  return `${i.ts} [${i.readings.map((r) => r.point).join(',')}] [${inputs.join(',')}]`
}

async function all (it: AsyncIterable<Instant>): Promise<string[]> {
  const out: string[] = []
  for await (const i of it) out.push(shown(i))
  return out
}

t.test('backtest - streams merge into instants in event-time order, an instant spanning page boundaries', async (t) => {
  const readings = [reading('A', 10), reading('B', 10), reading('C', 10), reading('A', 30), reading('A', 50)]
  const sosList = [sos('C1', 10), sos('C2', 20), sos('C3', 50)]
  const beats = [beat('V1', 5), beat('V1', 50), beat('V2', 50), beat('V1', 70)]
  const got = await all(mergeInstants({ readings: pagesOf(readings, 2), inputs: [pagesOf(sosList, 1), pagesOf(beats, 3)] }))
  t.same(got, [
    '5 [] [hb:V1]',
    '10 [A,B,C] [sos:C1]',
    '20 [] [sos:C2]',
    '30 [A] []',
    '50 [A] [sos:C3,hb:V1,hb:V2]',
    '70 [] [hb:V1]'
  ], 'one batch per instant (A, B, C of ts 10 came in two pages), inputs after readings in stream order')
})

t.test('backtest - empty streams and empty pages merge to nothing', async (t) => {
  async function * emptyPages (): Pages<ReadingRow> { yield []; yield [] }
  t.same(await all(mergeInstants({ readings: emptyPages(), inputs: [pagesOf<EngineInput>([], 5)] })), [])
  t.same(await all(mergeInstants({ readings: emptyPages(), inputs: [pagesOf([sos('C1', 7)], 5)] })), ['7 [] [sos:C1]'])
})

t.test('backtest - a consumer that stops early releases every stream', async (t) => {
  const released: string[] = []
  async function * tracked<T> (name: string, items: T[]): Pages<T> {
    try {
      for (const item of items) yield [item]
    } finally {
      released.push(name)
    }
  }
  const merged = mergeInstants({ readings: tracked('readings', [reading('A', 1), reading('A', 2)]), inputs: [tracked('sos', [sos('C1', 1), sos('C2', 3)])] })
  const first = await merged.next()
  t.equal(first.done !== true && shown(first.value), '1 [A] [sos:C1]')
  await merged.return(undefined)
  t.same(released.sort(), ['readings', 'sos'], 'both generators were returned')
})

// Encoding rows for QuestDB: a value its column cannot hold is refused before it is written (naming the column),
// and a row that fails half way leaves nothing behind, so the rows before and after it are intact.
import t from 'tap'
import { createBuffer, SenderOptions } from '@questdb/nodejs-client'
import { encodePart, dropLine, lineCount } from '../../../src/3-store/part.js'
import { appendReading, appendRow, INT_MAX } from '../../../src/3-store/ilp-rows.js'
import { outcomeOf } from '../../../src/3-store/refusal.js'
import type { ReadingRow } from '../../../src/contract/rows.js'

const scratch = createBuffer(await SenderOptions.fromConfig('http::addr=127.0.0.1:9;protocol_version=1'))
const T0 = 1_796_000_000_000

function reading (over: Partial<ReadingRow> = {}): ReadingRow {
  return { site: 'S', point: 'P', ts: T0, value: 1.5, status: 0, receivedAt: T0, ...over }
}

const readings = async (rows: ReadingRow[]): ReturnType<typeof encodePart> => await encodePart(scratch, 'readings', 'each', rows, appendReading)

t.test('encode - a reading QuestDB would refuse is refused here, naming the column; its neighbours are whole', async (t) => {
  const cases: Array<[Partial<ReadingRow>, string, RegExp]> = [
    [{ value: Infinity }, 'value', /finite/],
    [{ value: -Infinity }, 'value', /finite/],
    [{ value: NaN }, 'value', /finite/],
    [{ status: Infinity }, 'status', /INT column/],
    [{ status: 2 ** 31 }, 'status', /INT column/],
    [{ status: 0.5 }, 'status', /INT column/],
    [{ ts: -1 }, 'ts', /1970 and 9999/],
    [{ ts: 8.64e15 }, 'ts', /1970 and 9999/],
    [{ receivedAt: NaN }, 'received_at', /1970 and 9999/],
    [{ point: 'P\u0000' }, 'point', /NUL/]
  ]
  for (const [bad, column, why] of cases) {
    const part = await readings([reading({ value: 1 }), reading(bad), reading({ value: 3 })])
    t.match(part.refused, [{ row: 1, column, message: why }], `${JSON.stringify(bad)} is refused at ${column}`)
    t.same(part.rows, [0, 2], 'the rows around it are kept')
    const text = part.data.toString('utf8')
    t.equal(text.split('\n').filter((l) => l !== '').length, 2, 'two whole lines, nothing of the refused one')
    t.match(text, /^readings,site=S,point=P value=1,status=0i,received_at=\d+t \d+\nreadings,site=S,point=P value=3,status=0i,received_at=\d+t \d+\n$/)
  }
})

t.test('encode - the INT range is symmetric: -2^31 is QuestDB\'s NULL', async (t) => {
  t.same((await readings([reading({ status: INT_MAX })])).refused, [])
  t.same((await readings([reading({ status: -INT_MAX })])).refused, [])
  t.equal((await readings([reading({ status: -INT_MAX - 1 })])).refused.length, 1)
})

t.test('encode - a generic row leaves a non-finite number out (NULL), as an alarm with an overflowed value must still be stored', async (t) => {
  const part = await encodePart(scratch, 'alarm_transitions', 'all', [{ symbols: { site: 'S' }, columns: { value: Infinity, limit_value: NaN, seq: 1 }, ints: ['seq'], ts: T0 }],
    (buf, row) => appendRow(buf, 'alarm_transitions', row))
  t.same(part.refused, [])
  t.match(part.data.toString('utf8'), /^alarm_transitions,site=S seq=1i \d+\n$/)
})

t.test('encode - an atomic call with a refused row keeps none of its rows', async (t) => {
  const part = await encodePart(scratch, 'readings', 'all', [reading(), reading({ value: Infinity })], appendReading)
  t.equal(lineCount(part), 0)
  t.equal(part.gaveUp, true)
  t.equal(part.data.length, 0)
})

t.test('encode - dropLine cuts one whole row out and keeps the offsets of the rest', async (t) => {
  const part = await readings([reading({ value: 1 }), reading({ value: 2 }), reading({ value: 3 })])
  dropLine(part, 1, { column: 'value', message: 'no' })
  t.same(part.rows, [0, 2])
  t.same(part.refused, [{ row: 1, column: 'value', message: 'no' }])
  t.same(part.data.toString('utf8').split('\n').filter((l) => l !== '').map((l) => /value=(\d)/.exec(l)?.[1]), ['1', '3'])
  t.equal(part.ends.at(-1), part.data.length, 'the last end is the end of the data')
})

t.test('refusal - QuestDB\'s 400 names the line and the column; anything else is "unavailable"', async (t) => {
  const body = JSON.stringify({ code: 'invalid', message: 'failed to parse line protocol:errors encountered on line(s):\nerror in line 2: table: readings, column: status; line protocol value: 4294967296 is out bounds of column type: INT', line: 2, errorId: 'x-1' })
  t.same(outcomeOf(new Error(`HTTP request failed, statusCode=400, error=${body}`)),
    { kind: 'refused', line: 2, column: 'status', message: 'table: readings, column: status; line protocol value: 4294967296 is out bounds of column type: INT' })
  const field = JSON.stringify({ message: 'error in line 1: Could not parse entire line, field value is invalid. Field: area; value: ', line: 1 })
  t.match(outcomeOf(new Error(`HTTP request failed, statusCode=400, error=${field}`)), { kind: 'refused', line: 1, column: 'area' })
  t.match(outcomeOf(new Error('HTTP request failed, statusCode=400, error=not json')), { kind: 'refused', line: null })
  for (const message of ['HTTP request failed, statusCode=503, error=busy', 'connect ECONNREFUSED 127.0.0.1:9000', 'no answer from QuestDB within 5000 ms', 'HTTP request failed, statusCode=401, error={}']) {
    t.equal(outcomeOf(new Error(message)).kind, 'unavailable', message)
  }
})

t.test('encode - a call of many rows is encoded in slices; another call encoded meanwhile keeps its own rows', async (t) => {
  const many = Array.from({ length: 2500 }, (_, i) => reading({ ts: T0 + i, value: i }))
  const slow = readings(many)
  // runs while the first call waits between its slices: the shared scratch must be empty for it
  const quick = await readings([reading({ point: 'Q', value: 42 })])
  const part = await slow
  t.equal(part.rows.length, 2500)
  t.equal(part.data.toString('utf8').split('\n').filter((l) => l !== '').length, 2500)
  t.notMatch(part.data.toString('utf8'), /point=Q/, 'none of the other call\'s rows')
  t.match(quick.data.toString('utf8'), /^readings,site=S,point=Q value=42,/)
  t.equal(part.ends.at(-1), part.data.length)
})

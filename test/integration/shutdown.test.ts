import t from 'tap'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'

// A keep-alive connection that is busy when close() starts must not hold the shutdown for the keep-alive
// timeout (72 s): its request finishes (the readings are stored and answered), then the connection is closed.
t.test('shutdown - a busy keep-alive connection does not hold close()', async (t) => {
  const services = await startServices(t)
  // a long group-commit delay keeps the POST in flight while close() starts
  const env = { MINEWATCH_FLUSH_INTERVAL_MS: '500' }
  const app = await buildTestApp(t, { qdb: services.qdb, nats: services.nats, env, autoClose: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const agent = new http.Agent({ keepAlive: true })
  t.teardown(() => agent.destroy())
  const send = async (method: string, path: string, body: unknown, role: 'admin' | 'gateway'): Promise<number> =>
    await new Promise((resolve, reject) => {
      const req = http.request({ port, host: '127.0.0.1', path, method, agent, headers: { ...auth(role), 'content-type': 'application/json' } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.end(JSON.stringify(body))
    })
  t.equal(await send('PUT', '/v1/sites/SHUT', { name: 'shutdown', kind: 'underground', status: 'producing' }, 'admin'), 200)
  t.equal(await send('PUT', '/v1/sites/SHUT/points', [{ pointCode: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 60 }], 'admin'), 200)
  const inFlight = send('POST', '/v1/readings', { siteCode: 'SHUT', readings: [{ point: 'CO-1', ts: Date.now(), value: 3 }] }, 'gateway')
  await sleep(100)
  const started = Date.now()
  const closed = app.close()
  t.equal(await inFlight, 200, 'the POST in flight when close started is stored and answered')
  await closed
  t.ok(Date.now() - started < 10_000, `close() finished in ${Date.now() - started} ms, not after the keep-alive timeout`)
})

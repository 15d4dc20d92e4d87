import t from 'tap'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { deferred } from '../../src/lib/deferred.js'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'

// A keep-alive connection that is busy when close() starts must not hold the shutdown for the keep-alive
// timeout (72 s): its request finishes (the readings are stored and answered), then the connection is closed.
// No pause decides what is in flight: a preHandler hook holds the POST until close() has started (its preClose
// hook ran), and the keep-alive timeout is switched off, so close() can only finish by the server closing the
// idle connection itself; if it waited for a timeout instead, it would never finish (the runner's timeout
// catches that hang).
t.test('shutdown - a busy keep-alive connection does not hold close()', async (t) => {
  const services = await startServices(t)
  const inFlight = deferred()
  const closeStarted = deferred()
  const app = await buildTestApp(t, {
    qdb: services.qdb,
    nats: services.nats,
    autoClose: false,
    setup: (app) => {
      app.addHook('preHandler', async (req) => {
        if (req.method !== 'POST' || req.url !== '/v1/readings') return
        inFlight.resolve()
        await closeStarted.promise
      })
      app.addHook('preClose', async () => { closeStarted.resolve() })
    }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  app.server.keepAliveTimeout = 0 // no keep-alive timeout at all: only the server closing idle connections ends one
  const { port } = app.server.address() as AddressInfo
  const agent = new http.Agent({ keepAlive: true })
  t.teardown(() => agent.destroy())
  let lastSocket: Socket | undefined
  const send = async (method: string, path: string, body: unknown, role: 'admin' | 'gateway'): Promise<number> =>
    await new Promise((resolve, reject) => {
      const req = http.request({ port, host: '127.0.0.1', path, method, agent, headers: { ...auth(role), 'content-type': 'application/json' } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('socket', (s) => { lastSocket = s })
      req.on('error', reject)
      req.end(JSON.stringify(body))
    })
  t.equal(await send('PUT', '/v1/sites/SHUT', { name: 'shutdown', kind: 'underground', status: 'producing' }, 'admin'), 200)
  t.equal(await send('PUT', '/v1/sites/SHUT/points', [{ pointCode: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 60 }], 'admin'), 200)
  const post = send('POST', '/v1/readings', { siteCode: 'SHUT', readings: [{ point: 'CO-1', ts: Date.now(), value: 3 }] }, 'gateway')
  await inFlight.promise
  const socket = lastSocket as Socket // the POST's keep-alive connection, busy now
  const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  const closed = app.close()
  t.equal(await post, 200, 'the POST in flight when close started is stored and answered')
  await closed
  await socketClosed
  t.ok(socket.destroyed, 'the server closed the busy connection once it was idle, and close() finished')
})

// A TCP proxy in front of a real service, for tests that need the path to it cut and restored on the same
// address (a QuestDB that stops answering writes while it still answers queries, say). It only forwards bytes.
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { TestLike } from './services.js'

/** Proxy is a cuttable path to `target`: `url` keeps its port across cut() and restore(). */
export interface Proxy { port: number, cut (): Promise<void>, restore (): Promise<void> }

/** startProxy listens on a free port and forwards every connection to 127.0.0.1:targetPort until cut. */
export async function startProxy (t: TestLike, targetPort: number): Promise<Proxy> {
  const sockets = new Set<Socket>()
  let server: Server | null = null
  let port = 0
  const listen = async (): Promise<void> => {
    server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1')
      for (const s of [client, upstream]) {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
        s.on('error', () => { client.destroy(); upstream.destroy() })
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve))
    port = (server?.address() as { port: number }).port
  }
  const cut = async (): Promise<void> => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => { if (server === null) resolve(); else server.close(() => resolve()) })
    server = null
  }
  await listen()
  t.teardown(cut)
  return { port, cut, restore: listen }
}

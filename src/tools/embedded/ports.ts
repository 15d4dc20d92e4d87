// Free ports come from the OS, never from a fixed list: other services (a shared NATS on 4222, a QuestDB on
// 9000, parallel test files) already own the standard ones on this machine and on CI.
import { createServer, connect, type Server } from 'node:net'

const HOST = '127.0.0.1'

/** freePort asks the OS for a TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort (): Promise<number> {
  const [port] = await freePorts(1)
  return port as number
}

/** freePorts asks for n distinct free ports; all are held open together so the OS cannot hand one out twice. */
export async function freePorts (n: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    for (let i = 0; i < n; i++) servers.push(await listenOnAnyPort())
    return servers.map((s) => (s.address() as { port: number }).port)
  } finally {
    await Promise.all(servers.map(closeServer))
  }
}

/** canConnect resolves true when a TCP connection to 127.0.0.1:port is accepted within timeoutMs. */
export async function canConnect (port: number, timeoutMs = 1000): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = connect({ host: HOST, port })
    const done = (ok: boolean) => { socket.destroy(); resolve(ok) }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

function listenOnAnyPort (): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, HOST, () => resolve(server))
  })
}

function closeServer (server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

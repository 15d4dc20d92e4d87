// The console plugin over HTTP (app.inject): a clear 503 until the console is built, then the page for every
// route of the app with its CSP and no-cache, hashed assets cached for good, a 404 for a missing asset and
// nothing outside the console's folder.
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import configPlugin from '../../src/server/plugins/config.js'
import errorsPlugin from '../../src/server/plugins/errors.js'
import consolePlugin, { CONSOLE_CSP } from '../../src/console/plugin.js'
import type { Config } from '../../src/server/config/load.js'
import { tempDir } from '../helpers/rules.js'

const root = await tempDir(t, 'minewatch-console-http-')
const dir = join(root, 'console')
await mkdir(join(dir, 'assets'), { recursive: true })
// a file beside the console's folder that no URL may reach
await writeFile(join(root, 'secret.txt'), 'not for the web')

async function build (): Promise<FastifyInstance> {
  const app = Fastify()
  // the plugin reads only config.console.dir
  await app.register(configPlugin, { config: { console: { dir } } as unknown as Config })
  await app.register(errorsPlugin)
  await app.register(consolePlugin)
  await app.ready()
  t.teardown(async () => await app.close())
  return app
}

const app = await build()

t.test('console - before a build the page is a 503 naming what is missing, with Retry-After', async (t) => {
  const res = await app.inject('/console/')
  t.equal(res.statusCode, 503)
  t.equal(res.json().error, 'MW_ERR_CONSOLE_NOT_BUILT')
  t.match(res.json().message, /index\.html is missing/)
  t.ok(res.headers['retry-after'], 'Retry-After set')
})

t.test('console - once built (no restart) every app route is the page, with the CSP and no-cache', async (t) => {
  await writeFile(join(dir, 'index.html'), '<!doctype html><html lang="zh-CN"><title>值班台</title><div id="app"></div>')
  await writeFile(join(dir, 'assets', 'main-ABC123.js'), 'console.log(1)')
  for (const url of ['/console/', '/console/sites', '/console/sites/S1/gas', '/console/alarms/A01']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200, url)
    t.match(res.body, /值班台/, `${url} is the page`)
    t.equal(res.headers['content-security-policy'], CONSOLE_CSP)
    t.equal(res.headers['cache-control'], 'no-cache', `${url}: a new build reaches the screen`)
    t.equal(res.headers['x-content-type-options'], 'nosniff')
  }
  t.notMatch(CONSOLE_CSP, /script-src[^;]*unsafe-inline/, 'no inline script')
  const bare = await app.inject('/console')
  t.equal(bare.statusCode, 302)
  t.equal(bare.headers.location, '/console/')
})

t.test('console - hashed assets are immutable; a missing one is a 404, not the page', async (t) => {
  const res = await app.inject('/console/assets/main-ABC123.js')
  t.equal(res.statusCode, 200)
  t.match(res.headers['cache-control'], /max-age=31536000/)
  t.match(res.headers['cache-control'], /immutable/)
  t.match(res.headers['content-type'], /javascript/)
  const missing = await app.inject('/console/assets/main-OLD999.js')
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().error, 'MW_ERR_NOT_FOUND')
})

t.test('console - no path reaches outside the console folder', async (t) => {
  for (const url of ['/console/assets/../../secret.txt', '/console/assets/..%2f..%2fsecret.txt', '/console/assets/%2e%2e/%2e%2e/secret.txt', '/console/../secret.txt']) {
    const res = await app.inject(url)
    t.notMatch(res.body, /not for the web/, `${url} answers ${res.statusCode} without the file`)
    t.ok([200, 400, 404].includes(res.statusCode), `${url}: ${res.statusCode}`)
  }
})

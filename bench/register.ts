// Puts the benchmark fleet into the server's registry through the public API (section 2), as an admin would.
import { pointDefinitions, type BenchSite } from './fleet.js'
import { JsonClient } from './http.js'

/** registerFleet creates every site (underground, producing) and its points; any non-2xx answer throws. */
export async function registerFleet (url: string, adminToken: string, fleet: BenchSite[]): Promise<void> {
  const client = new JsonClient(url, adminToken, 4)
  try {
    for (const site of fleet) {
      const path = `/v1/sites/${encodeURIComponent(site.code)}`
      await put(client, path, { name: `Bench mine ${site.code}`, kind: 'underground', status: 'producing' })
      await put(client, `${path}/points`, pointDefinitions(site))
    }
  } finally {
    client.close()
  }
}

async function put (client: JsonClient, path: string, body: unknown): Promise<void> {
  const res = await client.send('PUT', path, JSON.stringify(body))
  if (res.status < 200 || res.status > 299) {
    throw new Error(`PUT ${path} answered ${res.status}: ${res.text.slice(0, 500)}`)
  }
}

// The zip export of an evidence record (docs/evidence.md): bundle.json is the stored canonical body, byte for
// byte, so sha256(prev_sha256 + bundle.json) can be recomputed from the zip alone; the CSVs are for people;
// manifest.json names the chain digests and the sha256 of every file. Entries carry the fixed-at time, so the
// same record always exports the same bytes.
import yazl from 'yazl'
import type { EvidenceRow } from './chain.js'
import { sha256Hex } from './chain.js'
import { readingsCsv, transitionsCsv } from './csv.js'

/** evidenceFiles returns the files of the export, in zip order, manifest last. */
export function evidenceFiles (r: EvidenceRow): Array<{ name: string, data: Buffer }> {
  const body = JSON.parse(r.body) as { readings?: Parameters<typeof readingsCsv>[0], transitions?: Parameters<typeof transitionsCsv>[0] }
  const files = [
    { name: 'bundle.json', data: Buffer.from(r.body, 'utf8') },
    { name: 'readings.csv', data: Buffer.from(readingsCsv(body.readings ?? []), 'utf8') },
    { name: 'transitions.csv', data: Buffer.from(transitionsCsv(body.transitions ?? []), 'utf8') }
  ]
  const manifest = {
    alarmId: r.alarmId,
    site: r.site,
    seq: r.seq,
    fixedAt: new Date(r.fixedAt).toISOString(),
    sha256: r.sha256,
    prevSha256: r.prevSha256,
    digest: 'sha256 = SHA-256(prevSha256 as hex text, then bundle.json as stored); see docs/evidence.md',
    files: Object.fromEntries(files.map((f) => [f.name, sha256Hex(f.data)]))
  }
  return [...files, { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8') }]
}

/** evidenceZip builds the zip in memory (a record is tens to hundreds of kB). */
export async function evidenceZip (r: EvidenceRow): Promise<Buffer> {
  const zip = new yazl.ZipFile()
  const mtime = new Date(r.fixedAt)
  for (const f of evidenceFiles(r)) zip.addBuffer(f.data, f.name, { mtime })
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

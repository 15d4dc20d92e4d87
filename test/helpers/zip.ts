// Reads a zip (an evidence export) into its files, with yauzl: the test opens what a duty room would open.
import yauzl from 'yauzl'

/** unzip returns the entries of a zip in their order, by name. */
export async function unzip (buf: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(buf, { lazyEntries: true }, (err, z) => err === null ? resolve(z) : reject(err)))
  const files = new Map<string, Buffer>()
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      zip.openReadStream(e, (err, s) => {
        if (err !== null) { reject(err); return }
        const chunks: Buffer[] = []
        s.on('data', (c: Buffer) => chunks.push(c))
        s.on('error', reject)
        s.on('end', () => { files.set(e.fileName, Buffer.concat(chunks)); zip.readEntry() })
      })
    })
    zip.on('end', resolve)
    zip.on('error', reject)
    zip.readEntry()
  })
  return files
}

// Builds the duty-room console (console/) into dist/console/: one bundled, minified script and one stylesheet
// with content hashes in their names (served as immutable), and index.html pointing at them. esbuild only, no
// network: `npm run build` (and so `npm start`) and the browser tests run it.
import { build } from 'esbuild'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { projectRoot } from '../src/3-store/paths.js'

/** buildConsole writes the console into `out` (default dist/console) and returns the folder. */
export async function buildConsole (out = join(projectRoot(), 'dist', 'console')): Promise<string> {
  const src = join(projectRoot(), 'console')
  await rm(out, { recursive: true, force: true })
  await mkdir(join(out, 'assets'), { recursive: true })
  const result = await build({
    entryPoints: [join(src, 'main.ts'), join(src, 'styles.css')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome100', 'firefox100', 'safari15'],
    outdir: join(out, 'assets'),
    entryNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning'
  })
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p))
  const script = outputs.find((f) => f.startsWith('main-') && f.endsWith('.js'))
  const style = outputs.find((f) => f.startsWith('styles-') && f.endsWith('.css'))
  if (script === undefined || style === undefined) throw new Error(`console build produced ${outputs.join(', ')}`)
  const html = (await readFile(join(src, 'index.html'), 'utf8'))
    .replace('%SCRIPT%', `/console/assets/${script}`)
    .replace('%STYLE%', `/console/assets/${style}`)
  await writeFile(join(out, 'index.html'), html)
  return out
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await buildConsole()
  console.log(`console built into ${out}`)
}

// Registers every access-standard schema (schemas/*.json) by its $id, so routes can $ref them.
// Boot fails on a schema without $id or with a duplicate one.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fp from 'fastify-plugin'
import { projectRoot } from '../../3-store/paths.js'

/** schemaId gives the $id of a schema file of schemas/, e.g. schemaId('readings.json'). */
export function schemaId (file: string): string {
  return `https://minewatch.example/schemas/v1/${file}`
}

/** loadSchemas reads every schema file with its $id (data files that declare a schema of ours are skipped). */
export function loadSchemas (dir = schemaDir()): Array<Record<string, unknown> & { $id: string }> {
  const out = []
  const seen = new Set<string>()
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    // a data file (quantity-catalogue.json) names its own schema in $schema: it is not a schema itself
    if (typeof schema.$schema === 'string' && !schema.$schema.startsWith('http://json-schema.org/')) continue
    if (typeof schema.$id !== 'string') throw new Error(`schemas/${file} has no $id`)
    if (seen.has(schema.$id)) throw new Error(`schemas/${file} repeats $id ${String(schema.$id)}`)
    seen.add(schema.$id)
    out.push(schema)
  }
  return out
}

/** schemaDir is schemas/ of the project. */
export function schemaDir (): string {
  return join(projectRoot(), 'schemas')
}

/** schemasPlugin adds all schemas to the instance. */
export default fp(async (fastify) => {
  for (const schema of loadSchemas()) fastify.addSchema(schema)
}, { name: 'schemas' })

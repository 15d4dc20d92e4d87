// The one Ajv factory. Every validator of the server (routes, items of a batch, rule files, rule tests, the tokens
// file) comes from one of these option sets, so a rule such as "a number is finite" holds everywhere: JSON.parse
// reads 1e309 as Infinity, and only strictNumbers keeps it out of a `type: number` or `type: integer` field.
import { Ajv, type ErrorObject, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import { loadSchemas } from '../server/plugins/schemas.js'

/**
 * Purpose names an option set:
 * - `body`: JSON bodies and the items of a batch. Types are not coerced (a JSON body says what it means: "120" is
 *   not a number) and validation stops at the first error, because collecting every error of a large body is
 *   what let one request stall the server; batches collect one error per item themselves (./items.ts).
 * - `query`: querystrings and path params, which are always text, coerced to their declared types.
 * - `document`: files a person writes (rule files, rule tests, tokens): every error at once, formats unchecked.
 */
export type Purpose = 'body' | 'query' | 'document'

const BASE: Options = { strict: true, strictNumbers: true, allowUnionTypes: true }

const OPTIONS: Record<Purpose, Options> = {
  body: { ...BASE, allErrors: false, coerceTypes: false, useDefaults: true, removeAdditional: false },
  query: { ...BASE, allErrors: false, coerceTypes: true, useDefaults: true, removeAdditional: false },
  document: { ...BASE, allErrors: true, validateFormats: false }
}

/** createAjv returns a new Ajv of the option set `purpose`, with `schemas` added. */
export function createAjv (purpose: Purpose, schemas: ReadonlyArray<Record<string, unknown>> = []): Ajv {
  const ajv = new Ajv(OPTIONS[purpose])
  if (purpose !== 'document') addFormats.default(ajv)
  for (const schema of schemas) ajv.addSchema(schema)
  return ajv
}

const contract = new Map<Purpose, Ajv>()

/** contractAjv is the shared Ajv of `purpose` that knows every schema of the access standard (schemas/). */
export function contractAjv (purpose: 'body' | 'query'): Ajv {
  let ajv = contract.get(purpose)
  if (ajv === undefined) {
    ajv = createAjv(purpose, loadSchemas())
    contract.set(purpose, ajv)
  }
  return ajv
}

type Validator = ((data: unknown, ctx?: unknown) => boolean) & { errors?: ErrorObject[] | null, schemaEnv?: unknown }

/** firstNonFinite is the JSON pointer of the first number in `data` that is not finite, or null. */
export function firstNonFinite (data: unknown, at = ''): string | null {
  if (typeof data === 'number') return Number.isFinite(data) ? null : (at === '' ? '/' : at)
  if (data === null || typeof data !== 'object') return null
  for (const [key, value] of Object.entries(data)) {
    const found = firstNonFinite(value, `${at}/${key}`)
    if (found !== null) return found
  }
  return null
}

/**
 * compileText compiles a schema for text that Ajv coerces (querystrings, params). Coercion turns "1e309" into
 * Infinity after the type was checked, so strictNumbers cannot see it: the coerced data is checked here instead.
 */
export function compileText (schema: Record<string, unknown>): Validator {
  const validate = contractAjv('query').compile(schema)
  const wrapped: Validator = (data, ctx) => {
    if (!(validate as Validator)(data, ctx)) {
      wrapped.errors = validate.errors ?? null
      return false
    }
    const at = firstNonFinite(data)
    wrapped.errors = at === null ? null : [{ instancePath: at, schemaPath: '#', keyword: 'type', params: { type: 'number' }, message: 'must be a finite number' }]
    return at === null
  }
  // Fastify hands a validator with a schemaEnv its parent, so Ajv may coerce the root value
  wrapped.schemaEnv = validate.schemaEnv
  return wrapped
}

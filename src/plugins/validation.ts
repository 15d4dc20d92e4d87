// Route validation with two ajv instances: bodies are validated strictly (a JSON body says what it means:
// "120" is not a number), while querystrings and params, which are always text, are coerced to their types.
import fp from 'fastify-plugin'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { loadSchemas } from './schemas.js'

function ajvWith (coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: true, allowUnionTypes: true, strict: true })
  addFormats.default(ajv)
  for (const schema of loadSchemas()) ajv.addSchema(schema)
  return ajv
}

/** validationPlugin installs the validator compiler on the instance it is registered in. */
export default fp(async (fastify) => {
  const strict = ajvWith(false)
  const coercing = ajvWith(true)
  fastify.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing
    return ajv.compile(schema)
  })
}, { name: 'validation' })

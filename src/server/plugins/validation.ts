// Route validation through the one Ajv factory: bodies are validated strictly (a JSON body says what it means:
// "120" is not a number), while querystrings and params, which are always text, are coerced to their types.
// Both stop at the first error (src/2-validate/ajv.ts says why); batches validate their items themselves.
import fp from 'fastify-plugin'
import { compileText, contractAjv } from '../../2-validate/ajv.js'

/** validationPlugin installs the validator compiler on the instance it is registered in. */
export default fp(async (fastify) => {
  fastify.setValidatorCompiler(({ schema, httpPart }) => httpPart === 'body'
    ? contractAjv('body').compile(schema)
    : compileText(schema as Record<string, unknown>))
}, { name: 'validation' })

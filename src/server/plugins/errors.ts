// One error policy for every route: the contract's body { error, message, details }, precise 4xx,
// masked 5xx, Retry-After on 503, and logging at error for 5xx and at info for 4xx.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorObject } from 'ajv'
import { RETRY_AFTER_S, type ItemError } from '../errors/catalogue.js'
import { MAX_DETAILS, requestDetails } from '../../2-validate/details.js'

/**
 * withDetails attaches per-item details to an error from the catalogue: the first MAX_DETAILS of them, and
 * `count`, the number of all of them, when that is more.
 */
export function withDetails<E extends Error> (err: E, details: ItemError[], count = details.length): E & { details: ItemError[], detailsCount?: number } {
  const shown = details.slice(0, MAX_DETAILS)
  return Object.assign(err, { details: shown }, count > shown.length ? { detailsCount: count } : {})
}

function codeFor (err: FastifyError): { status: number, code: string, message: string } {
  if (err.validation !== undefined) {
    // docs/errors.md: a bad query parameter is MW_ERR_INVALID_QUERY, whether a handler or the schema finds it.
    const code = err.validationContext === 'querystring' ? 'MW_ERR_INVALID_QUERY' : 'MW_ERR_INVALID_BODY'
    return { status: 400, code, message: `request ${err.validationContext ?? 'body'} is invalid` }
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, code: 'MW_ERR_BODY_TOO_LARGE', message: err.message }
  // The contract: a body that is not JSON → 400. A body of another media type is not JSON.
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 400, code: 'MW_ERR_INVALID_BODY', message: `body must be application/json: ${err.message}` }
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return { status: 400, code: 'MW_ERR_INVALID_BODY', message: 'body is empty' }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return { status: 400, code: 'MW_ERR_INVALID_BODY', message: `body is not valid JSON: ${err.message}` }
  const status = err.statusCode ?? 500
  if (status >= 500) {
    if (err.code?.startsWith('MW_ERR_') === true && status === 503) return { status, code: err.code, message: err.message }
    return { status, code: 'MW_ERR_INTERNAL', message: 'internal error' }
  }
  return { status, code: err.code?.startsWith('MW_ERR_') === true ? err.code : 'MW_ERR_REQUEST', message: err.message }
}

/**
 * frameworkErrors answers what Fastify refuses before routing (a path with a broken percent escape, say) in the
 * contract's error body like every other 4xx; it is given to Fastify's constructor (src/app.ts).
 */
export function frameworkErrors (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  request.log.info({ code: err.code }, 'request rejected before routing')
  return reply.code(400).send({ error: 'MW_ERR_BAD_URL', message: `the URL is not valid: ${err.message}`, details: [{ path: '/url', message: 'is not a valid URL (check its percent escapes)' }] })
}

/** errorsPlugin installs the error and not-found handlers. */
export default fp(async (fastify) => {
  fastify.setErrorHandler(async (err: FastifyError & { details?: ItemError[], detailsCount?: number, retryAfterS?: number }, request: FastifyRequest, reply: FastifyReply) => {
    const { status, code, message } = codeFor(err)
    if (status >= 500) request.log.error({ err }, 'request failed')
    else request.log.info({ code, message }, 'request rejected')
    if (status === 503) reply.header('Retry-After', String(RETRY_AFTER_S))
    if ((status === 429 || status === 409) && typeof err.retryAfterS === 'number') reply.header('Retry-After', String(err.retryAfterS))
    const details = err.validation !== undefined
      ? requestDetails(err.validation as ErrorObject[], err.validationContext)
      : err.details
    const count = err.validation === undefined ? err.detailsCount : undefined
    return await reply.code(status).send({ error: code, message, ...(details === undefined ? {} : { details }), ...(count === undefined ? {} : { detailsCount: count }) })
  })
  fastify.setNotFoundHandler(async (request, reply) => {
    return await reply.code(404).send({ error: 'MW_ERR_NOT_FOUND', message: `no route ${request.method} ${request.url}` })
  })
}, { name: 'errors' })

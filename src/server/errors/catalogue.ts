// The one catalogue of error codes. A code, once published, keeps its meaning forever: retire it, never reuse it.
// Each entry maps to the contract's error body { error, message, details } (section 1).
import createError from '@fastify/error'

// -- authentication and authorisation
export const Unauthorized = createError('MW_ERR_UNAUTHORIZED', 'missing or invalid bearer token or session', 401)
export const Forbidden = createError('MW_ERR_FORBIDDEN', '%s', 403)
// one answer for an unknown user, a disabled one and a wrong password: the answer tells no names
export const LoginRefused = createError('MW_ERR_LOGIN_REFUSED', 'wrong username or password', 401)
export const LoginLocked = createError('MW_ERR_LOCKED_OUT', 'too many failed logins: this account is locked for %d more minute(s)', 429)

// -- request shape and limits
export const InvalidBody = createError('MW_ERR_INVALID_BODY', '%s', 400)
export const InvalidQuery = createError('MW_ERR_INVALID_QUERY', '%s', 400)
// a request header the route reads is malformed (e.g. Last-Event-ID of GET /v1/stream); details name the header
export const InvalidHeader = createError('MW_ERR_INVALID_HEADER', '%s', 400)
// one caller holds at most MINEWATCH_STREAM_MAX_PER_CALLER live feeds: each holds two JetStream consumers
export const TooManyStreams = createError('MW_ERR_TOO_MANY_STREAMS', '%s', 429)
export const BadUrl = createError('MW_ERR_BAD_URL', 'the URL is not valid: %s', 400)
export const BatchTooLarge = createError('MW_ERR_BATCH_TOO_LARGE', 'batch has %d items; at most %d are accepted', 413)
export const BodyTooLarge = createError('MW_ERR_BODY_TOO_LARGE', 'request body is larger than %d bytes', 413)
export const NotFound = createError('MW_ERR_NOT_FOUND', '%s', 404)
export const UnknownSite = createError('MW_ERR_UNKNOWN_SITE', 'site "%s" is not registered', 404)
export const Conflict = createError('MW_ERR_CONFLICT', '%s', 409)
// the alarm exists but its evidence record is fixed only once the window and the settle delay have passed;
// the answer carries Retry-After (set retryAfterS on the error)
export const EvidencePending = createError('MW_ERR_EVIDENCE_PENDING', 'the evidence of alarm %s is not fixed yet; it will be at %s', 409)
// Valid by the contract, but the storage will never take it (e.g. a value out of its column's range): resending
// cannot help, so this is not a 503.
// A notification channel the request names is not configured on this server (e.g. e-mail without MINEWATCH_SMTP_URL).
export const ChannelUnavailable = createError('MW_ERR_CHANNEL_UNAVAILABLE', 'channel not available: %s', 422)
export const StorageRefused = createError('MW_ERR_STORAGE_REFUSED', 'storage refused the data: %s', 422)

// -- dependencies
export const StorageUnavailable = createError('MW_ERR_STORAGE_UNAVAILABLE', 'storage is unavailable, retry later: %s', 503)
// the console's files were not built (npm run build): the API works, the page cannot be served
export const ConsoleNotBuilt = createError('MW_ERR_CONSOLE_NOT_BUILT', 'the console is not built (run npm run build): %s is missing', 503)
export const Overloaded = createError('MW_ERR_OVERLOADED', 'server is overloaded, retry later', 503)
export const MessagingUnavailable = createError('MW_ERR_MESSAGING_UNAVAILABLE', 'messaging (NATS) is unavailable, retry later: %s', 503)

// -- start-up and configuration (not HTTP answers, but coded the same way)
export const InvalidConfig = createError('MW_ERR_INVALID_CONFIG', 'invalid configuration: %s', 500)
export const EmbeddedStartFailed = createError('MW_ERR_EMBEDDED_START', 'could not start embedded %s: %s', 500)
export const MigrationFailed = createError('MW_ERR_MIGRATION', 'migration %s failed: %s', 500)
export const RuleFileInvalid = createError('MW_ERR_RULE_FILE', 'rule files have %d error(s)', 500)

/** ItemError names one offending item of a request body and what is wrong with it. */
export interface ItemError {
  index?: number
  path: string
  message: string
}

/** RETRY_AFTER_S is the Retry-After value sent with every 503. */
export const RETRY_AFTER_S = 5

// The API as the console calls it: same origin, the session cookie (HttpOnly, so the page never holds the
// token), JSON in and out. An error answer becomes an ApiError carrying the catalogue code and message.
export class ApiError extends Error {
  constructor (readonly status: number, readonly code: string, message: string, readonly details: Array<{ path?: string, message?: string }> = []) { super(message) }

  /** explain is the message with each field the server named: "request body is invalid: /shifts/0/… must match …" */
  explain (): string {
    const fields = this.details.filter((d) => d.path !== undefined || d.message !== undefined).map((d) => `${d.path ?? ''} ${d.message ?? ''}`.trim())
    return fields.length === 0 ? this.message : `${this.message}: ${fields.join('; ')}`
  }
}

export async function api<T = any> (method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} }
  if (body !== undefined) {
    init.body = JSON.stringify(body)
    init.headers = { 'content-type': 'application/json' }
  }
  const res = await fetch(path, init)
  if (res.status === 204) return undefined as T
  const text = await res.text()
  const json = text === '' ? {} : JSON.parse(text)
  if (!res.ok) throw new ApiError(res.status, json.error ?? 'MW_ERR_REQUEST', json.message ?? res.statusText, Array.isArray(json.details) ? json.details : [])
  return json as T
}

/** apiOrNull answers null for a 404 (e.g. a site that sent no personnel snapshot yet). */
export async function apiOrNull<T = any> (path: string): Promise<T | null> {
  try {
    return await api<T>('GET', path)
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return null
    throw err
  }
}

/** fire runs an action from an event handler: a failure is logged, never an unhandled rejection. */
export function fire (p: Promise<unknown>): void {
  p.catch((err: unknown) => { console.error(err) })
}

// Typed LLM failures: one snake_case code per cause, the upstream status, and whether a retry may help.
import type { LlmErrorInfo } from './types.ts'

export type LlmErrorCode =
  | 'llm_unauthorized'
  | 'llm_payment_required'
  | 'llm_moderation'
  | 'llm_timeout'
  | 'llm_rate_limited'
  | 'llm_upstream_error'
  | 'llm_bad_request'
  | 'llm_stream_error'
  | 'llm_truncated'
  | 'llm_aborted'
  | 'llm_network_error'

const MAX_MESSAGE = 500
const RETRYABLE_STATUS = new Set([429, 502, 503])
const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  'ENOTFOUND', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
])
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** What the upstream said about its own failure (already sanitized and trimmed). */
export interface UpstreamDetails { upstreamRaw?: string, upstreamProvider?: string }

export class LlmError extends Error {
  readonly code: LlmErrorCode
  readonly status: number | null
  readonly retryable: boolean
  readonly retryAfterMs: number | undefined
  readonly upstream: UpstreamDetails

  constructor (code: LlmErrorCode, message: string, opts: { status?: number | null, retryable?: boolean, retryAfterMs?: number } & UpstreamDetails = {}) {
    super(message)
    this.name = 'LlmError'
    this.code = code
    this.status = opts.status ?? null
    this.retryable = opts.retryable ?? false
    this.retryAfterMs = opts.retryAfterMs
    this.upstream = { upstreamRaw: opts.upstreamRaw, upstreamProvider: opts.upstreamProvider }
  }

  toInfo (): LlmErrorInfo {
    const info: LlmErrorInfo = { code: this.code, message: this.message, status: this.status, retryable: this.retryable }
    if (this.retryAfterMs !== undefined) info.retryAfterMs = this.retryAfterMs
    if (this.upstream.upstreamRaw !== undefined) info.upstreamRaw = this.upstream.upstreamRaw
    if (this.upstream.upstreamProvider !== undefined) info.upstreamProvider = this.upstream.upstreamProvider
    return info
  }
}

/** Trims an upstream message and removes anything that looks like a credential. */
export function cleanMessage (message: string, secrets: string[] = []): string {
  let text = message
  for (const secret of secrets) {
    if (secret !== '') text = text.split(secret).join('[redacted]')
  }
  text = text.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]').replace(/sk-or-[\w-]+/g, '[redacted]').trim()
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter (value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  if (text === undefined || text === '') return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function codeForStatus (status: number): LlmErrorCode {
  switch (status) {
    case 400: return 'llm_bad_request'
    case 401: return 'llm_unauthorized'
    case 402: return 'llm_payment_required'
    case 403: return 'llm_moderation'
    case 408: return 'llm_timeout'
    case 429: return 'llm_rate_limited'
    default: return status >= 500 ? 'llm_upstream_error' : 'llm_bad_request'
  }
}

/** An HTTP error answered before the stream started. */
export function httpError (status: number, message: string, retryAfterMs?: number, upstream: UpstreamDetails = {}): LlmError {
  const code = codeForStatus(status)
  const opts = { status, retryable: RETRYABLE_STATUS.has(status), retryAfterMs: code === 'llm_rate_limited' || status === 503 ? retryAfterMs : undefined, ...upstream }
  return new LlmError(code, message || `upstream answered HTTP ${status}`, opts)
}

/** An `error` object arriving inside a 200 stream; its `code` may be a number or a string. */
export function streamError (code: unknown, message: string, upstream: UpstreamDetails = {}): LlmError {
  const status = typeof code === 'number' ? code : /^\d{3}$/.test(String(code)) ? Number(code) : null
  const label = typeof code === 'string' && status === null ? `${code}: ` : ''
  return new LlmError('llm_stream_error', `${label}${message || 'upstream stream error'}`, {
    status,
    retryable: status !== null && RETRYABLE_STATUS.has(status),
    ...upstream
  })
}

/** Maps whatever undici or the socket threw to an LlmError. */
export function toLlmError (err: unknown, secrets: string[] = []): LlmError {
  if (err instanceof LlmError) return err
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : ''
  const message = cleanMessage(err instanceof Error ? err.message : String(err), secrets)
  if (TIMEOUT_CODES.has(code)) return new LlmError('llm_timeout', message)
  if (NETWORK_CODES.has(code)) return new LlmError('llm_network_error', message, { retryable: true })
  return new LlmError('llm_network_error', message || 'network error', { retryable: false })
}

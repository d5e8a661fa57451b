// Typed fetch helpers for the same-origin JSON API. The session rides on an httpOnly cookie.
import type {
  ApiErrorBody, ChatMessage, ChatReply, ClientConfig, MessagesPage, Profile, SessionInfo, UiConfig, UsageSummary
} from './types.ts'

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  /** Seconds to wait, from a Retry-After header (or an SSE error payload). */
  readonly retryAfter: number | null

  constructor (status: number, code: string, message: string, retryAfter: number | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.retryAfter = retryAfter
  }
}

export function isAbortError (err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError'
}

export function parseRetryAfter (value: string | null, now = Date.now()): number | null {
  if (value == null || value.trim() === '') return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return null
  return Math.max(0, Math.ceil((at - now) / 1000))
}

async function toApiError (res: Response): Promise<ApiError> {
  let code = `http_${res.status}`
  let message = res.statusText || 'Request failed'
  try {
    const body = await res.json() as ApiErrorBody
    if (typeof body.error?.code === 'string') code = body.error.code
    if (typeof body.error?.message === 'string') message = body.error.message
  } catch {
    // Not JSON (a proxy's error page, say): keep the status-based code.
  }
  return new ApiError(res.status, code, message, parseRetryAfter(res.headers.get('Retry-After')))
}

async function request<T> (path: string, init: RequestInit = {}): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      ...init,
      headers: { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) }
    })
  } catch (err) {
    if (isAbortError(err)) throw err
    throw new ApiError(0, 'network_error', 'Could not reach the server.')
  }
  if (!res.ok) throw await toApiError(res)
  return await res.json() as T
}

const defaultUi: UiConfig = {
  sse_enabled: true,
  allow_basic_html: true,
  dev_diagnostics: false,
  submit_shortcut: 'enter',
  enter_inserts_newline: false
}

export async function getClientConfig (): Promise<ClientConfig> {
  const raw = await request<Partial<ClientConfig>>('/api/client-config')
  const ui: Partial<UiConfig> = raw.ui ?? {}
  return {
    app_name: typeof raw.app_name === 'string' ? raw.app_name.trim() : '',
    ui: {
      sse_enabled: ui.sse_enabled ?? defaultUi.sse_enabled,
      allow_basic_html: ui.allow_basic_html ?? defaultUi.allow_basic_html,
      dev_diagnostics: ui.dev_diagnostics ?? defaultUi.dev_diagnostics,
      submit_shortcut: ui.submit_shortcut === 'mod+enter' ? 'mod+enter' : 'enter',
      enter_inserts_newline: ui.enter_inserts_newline ?? defaultUi.enter_inserts_newline
    }
  }
}

export async function getSession (): Promise<SessionInfo> {
  return await request<SessionInfo>('/api/session')
}

export async function getMessages (before?: string, limit = 50): Promise<MessagesPage> {
  const query = new URLSearchParams({ limit: String(limit) })
  if (before !== undefined) query.set('before', before)
  const page = await request<Partial<MessagesPage>>(`/api/session/messages?${query.toString()}`)
  const messages: ChatMessage[] = Array.isArray(page.messages) ? page.messages : []
  return { messages, has_more: page.has_more === true }
}

export async function postChat (message: string, clientMessageId: string, signal: AbortSignal): Promise<ChatReply> {
  return await request<ChatReply>('/chat', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message, client_message_id: clientMessageId }),
    signal
  })
}

export async function getUsage (sessionId: string): Promise<UsageSummary> {
  return await request<UsageSummary>(`/api/session/${encodeURIComponent(sessionId)}/usage`)
}

export function usageExportUrl (sessionId: string): string {
  return `/api/session/${encodeURIComponent(sessionId)}/usage?export=1`
}

export async function getProfile (): Promise<Profile> {
  return await request<Profile>('/api/session/profile')
}

/** SPEC §10: sends a code to the session's email (or `email`); answers the masked address it went to. */
export async function requestVerificationCode (email?: string): Promise<{ sent: true, email_hint: string }> {
  return await request('/api/session/verify-email', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(email === undefined ? {} : { email })
  })
}

/** SPEC §10: the emailed code; on success the session sees the customer's whole conversation. */
export async function confirmVerificationCode (code: string): Promise<{ customer_id: string, identity: 'verified' }> {
  return await request('/api/session/verify-email/confirm', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code })
  })
}

/** Sets profile fields the visitor edits by hand; answers the profile as it now is. */
export async function patchProfile (values: Record<string, string | string[]>): Promise<Profile> {
  return await request<Profile>('/api/session/profile', {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(values)
  })
}

async function requestNoContent (path: string, init: RequestInit): Promise<void> {
  let res: Response
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init, headers: { Accept: 'application/json' } })
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach the server.')
  }
  if (!res.ok) throw await toApiError(res)
}

/** Forgets one field (SPEC §11): it becomes empty and its earlier values are scrubbed. */
export async function forgetField (field: string): Promise<void> {
  await requestNoContent(`/api/session/profile/${encodeURIComponent(field)}`, { method: 'DELETE' })
}

/**
 * Erases everything: the customer and all their sessions when this visitor is verified (DELETE /api/customer),
 * else the session (DELETE /api/customer answers 404 for an anonymous session).
 */
export async function eraseEverything (): Promise<void> {
  try {
    await requestNoContent('/api/customer', { method: 'DELETE' })
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err
    await requestNoContent('/api/session', { method: 'DELETE' })
  }
}

// The console's calls to the admin API (same origin; the salient_admin cookie rides along). Shapes are the server's
// own schema types, imported, never copied.
import type { CollisionReview, CostsDaily, CostsSummary, LeadPage, Transcript } from '../../src/routes/schemas/admin.ts'
import type { IdentityLinkList, OutboxList } from '../../src/routes/schemas/identity.ts'
import { ApiError } from '../src/api.ts'

export { ApiError }

async function toApiError (res: Response): Promise<ApiError> {
  let code = `http_${res.status}`
  let message = res.statusText || 'Request failed'
  try {
    const body = await res.json() as { error?: { code?: unknown, message?: unknown } }
    if (typeof body.error?.code === 'string') code = body.error.code
    if (typeof body.error?.message === 'string') message = body.error.message
  } catch {
    // Not JSON: keep the status-based code.
  }
  return new ApiError(res.status, code, message)
}

async function call (path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init, headers: { Accept: 'application/json', ...init.headers as Record<string, string> | undefined } })
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach the server.')
  }
  if (!res.ok) throw await toApiError(res)
  return res
}

async function getJson<T> (path: string): Promise<T> {
  return await (await call(path)).json() as T
}

async function postJson<T> (path: string, body?: unknown): Promise<T | null> {
  const res = await call(path, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  })
  return res.status === 204 ? null : await res.json() as T
}

const query = (params: Record<string, string | undefined>) => {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value)
  const text = search.toString()
  return text ? `?${text}` : ''
}

export type IdentityLink = IdentityLinkList['links'][number]
export type OutboxEmail = OutboxList['emails'][number]

export const api = {
  async signedIn (): Promise<boolean> {
    try {
      await call('/api/admin/me')
      return true
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return false
      throw err
    }
  },
  login: async (token: string) => { await postJson('/api/admin/login', { token }) },
  logout: async () => { await postJson('/api/admin/logout') },
  leads: async (params: Record<string, string | undefined>) => await getJson<LeadPage>(`/api/admin/leads${query(params)}`),
  leadsCsvUrl: (params: Record<string, string | undefined>) => `/api/admin/leads.csv${query(params)}`,
  transcript: async (sessionId: string, after?: string) =>
    await getJson<Transcript>(`/api/admin/conversations/${encodeURIComponent(sessionId)}${query({ after })}`),
  collisions: async () => await getJson<CollisionReview>('/api/admin/collisions?status=open'),
  merge: async (id: string) => await postJson<unknown>(`/api/admin/email-collisions/${encodeURIComponent(id)}/merge`),
  dismiss: async (id: string) => await postJson<unknown>(`/api/admin/email-collisions/${encodeURIComponent(id)}/dismiss`),
  identityLinks: async () => await getJson<IdentityLinkList>('/api/admin/identity-links'),
  undoLink: async (id: string) => await postJson<unknown>(`/api/admin/identity-links/${encodeURIComponent(id)}/undo`),
  costsDaily: async (from?: string, to?: string) => await getJson<CostsDaily>(`/api/admin/costs/daily${query({ from, to })}`),
  costsSummary: async (from?: string, to?: string) => await getJson<CostsSummary>(`/api/admin/costs/summary${query({ from, to })}`),
  outbox: async () => await getJson<OutboxList>('/api/admin/outbox')
}

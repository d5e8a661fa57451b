// The app wired to a fake OpenRouter on loopback, plus a visitor helper that keeps its cookie like a browser.
import type { InjectOptions } from 'fastify'
import { startFakeOpenRouter, type FakeOpenRouterOptions } from './fake-openrouter.ts'
import { buildTestApp, cookieFrom, type TestAppOptions } from './app.ts'
import { deepMerge } from '../../plugins/infrastructure/config/deep-merge.ts'
import { streamOutcome } from './sse.ts'

interface Teardown { teardown: (fn: () => unknown) => void }

export const TEST_API_KEY = 'sk-or-v1-test-secret-0123456789abcdef'

export async function buildChatApp (t: Teardown, options: TestAppOptions & { fake?: FakeOpenRouterOptions } = {}) {
  const fake = await startFakeOpenRouter(options.fake)
  t.teardown(() => fake.close())
  const config = deepMerge({
    llm: { provider: 'openrouter', api_key: TEST_API_KEY, base_url: fake.url, reconcile_delays_ms: [10, 20, 40], max_retries: 1 },
    chat: { rate_limit: { per_session_per_minute: 10000, per_ip_per_minute: 100000 } }
  }, options.config ?? {})
  const built = await buildTestApp(t, { ...options, config })
  return { ...built, fake }
}

type App = Awaited<ReturnType<typeof buildTestApp>>['app']

/** A browser-like visitor: remembers its cookie between requests. */
export function visitor (app: App) {
  let cookie: string | undefined
  async function request (options: InjectOptions) {
    const res = await app.inject({ ...options, headers: { ...(cookie ? { cookie } : {}), ...options.headers } })
    if (res.headers['set-cookie']) cookie = cookieFrom(res.headers['set-cookie'])
    return res
  }
  return {
    get cookie () { return cookie },
    request,
    async session () { return (await request({ url: '/api/session' })).json() },
    async stream (message: string, clientMessageId?: string) {
      const query = new URLSearchParams({ message, ...(clientMessageId ? { client_message_id: clientMessageId } : {}) })
      const res = await request({ url: `/events/stream?${query}` })
      return { res, ...streamOutcome(res.body) }
    },
    async post (message: string, extra: Record<string, unknown> = {}, accept = 'application/json') {
      return await request({ method: 'POST', url: '/chat', headers: { accept }, payload: { message, ...extra } })
    },
    async history (query = '') { return (await request({ url: `/api/session/messages${query}` })).json() }
  }
}

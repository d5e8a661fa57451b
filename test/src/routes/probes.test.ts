// /livez, /readyz (503 while draining and while Postgres is down), /metrics (admin token or metrics.port; anyone else
// gets the 404 of an unknown route) with the series of SPEC §14, and /openapi.json describing every route.
import t from 'tap'
import type { RouteOptions } from 'fastify'
import { buildTestApp } from '../../helpers/app.ts'
import { buildChatApp, visitor } from '../../helpers/chat-app.ts'
import { startOwnPostgres } from '../../helpers/own-postgres.ts'
import { migrateDatabase } from '../../helpers/db.ts'
import { freePort } from '../../helpers/free-port.ts'
import { openApiProblems } from '../../helpers/openapi-structure.ts'

const ADMIN_TOKEN = 'metrics-test-admin-token-0123456789'
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }

/** `name{labels} value` lines of a Prometheus text body, as name{labels} → value. */
function samples (text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    out.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return out
}

function sample (all: Map<string, number>, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  for (const [key, value] of all) {
    if (key.startsWith(`${name}{`) && wanted.every((pair) => key.includes(pair))) return value
  }
  return undefined
}

t.test('/livez and /readyz answer without a session or a token', async (t) => {
  const { app } = await buildTestApp(t)
  const live = await app.inject({ url: '/livez' })
  t.equal(live.statusCode, 200)
  t.same(live.json(), { status: 'ok' })
  t.notOk(live.headers['set-cookie'], 'no session is made')
  const ready = await app.inject({ url: '/readyz' })
  t.equal(ready.statusCode, 200)
  t.match(ready.json(), { status: 'ready', database: { ok: true } })
})

t.test('/readyz is 503 once a close has begun, while open turns drain', async (t) => {
  const { app, fake } = await buildChatApp(t, { fake: { defaults: { firstTokenDelayMs: 20, deltas: 30, interChunkDelayMs: 100 } }, config: { server: { shutdown_grace_ms: 2000 } } })
  const v = visitor(app)
  await v.session()
  const streaming = v.stream('a long reply')
  await fake.waitFor(() => fake.stats.streamsStarted === 1, 10_000)
  t.equal(app.lifecycle.draining, false)
  const closing = app.close()
  const ready = await app.inject({ url: '/readyz' })
  t.equal(ready.statusCode, 503, 'a balancer stops sending visitors here')
  t.equal(app.lifecycle.draining, true, 'draining while the turn is still open')
  t.equal(app.chat.liveTurns, 1)
  await closing
  t.match((await streaming).end, { status: 'partial' }, 'the open turn was saved as it drained')
})

t.test('/readyz is 503 while Postgres is down, and /livez stays 200', async (t) => {
  const postgres = await startOwnPostgres(t)
  await migrateDatabase(postgres.url)
  const { app } = await buildTestApp(t, { databaseUrl: postgres.url })
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 200)
  await postgres.stop()
  const down = await app.inject({ url: '/readyz' })
  t.equal(down.statusCode, 503)
  t.match(down.json(), { status: 'database_unavailable', database: { ok: false } })
  t.equal((await app.inject({ url: '/livez' })).statusCode, 200, 'the process itself is fine: no restart')
  await postgres.start()
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 200, 'ready again once Postgres is back')
})

t.test('/metrics without the admin token is the 404 of a route that does not exist', async (t) => {
  const { app } = await buildTestApp(t, { config: { admin: { token: ADMIN_TOKEN } } })
  const unknown = await app.inject({ url: '/metrics-nope' })
  for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: ADMIN_TOKEN }]) {
    const res = await app.inject({ url: '/metrics', headers })
    t.equal(res.statusCode, 404)
    t.same(res.json(), { error: { code: unknown.json().error.code, message: 'No route for GET /metrics' } }, 'the same shape and words as any unknown route')
    t.notMatch(res.body, /salient_|http_request/)
  }
  const { app: tokenless } = await buildTestApp(t)
  t.equal((await tokenless.inject({ url: '/metrics', headers: admin })).statusCode, 404, 'with no admin token configured, nobody gets it')
})

t.test('/metrics to the admin token: the series of SPEC §14, moved by a real visit', async (t) => {
  const { app } = await buildChatApp(t, { config: { admin: { token: ADMIN_TOKEN }, profile: { extractor: 'both' } } })
  app.metrics.verification('verified') // the identity feature's counter: its plugin calls this
  const v = visitor(app)
  await v.session()
  await v.stream('Hello there')
  await v.post('My name is Dana Reyes. Details: {"customer_name": "Dana Reyes"}')
  // The LLM extraction runs in the background after each human message (two here): wait until both calls are counted.
  let all = new Map<string, number>()
  for (let i = 0; i < 100; i++) {
    const res = await app.inject({ url: '/metrics', headers: admin })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
    all = samples(res.body)
    if ((sample(all, 'salient_llm_request_duration_seconds_count', { model: 'openai/gpt-oss-20b', status: 'complete' }) ?? 0) >= 4) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const model = 'openai/gpt-oss-20b'
  t.equal(sample(all, 'http_request_duration_seconds_count', { route: '/chat', method: 'POST', status_code: '200' }), 1, 'HTTP duration by route and status')
  t.equal(sample(all, 'http_request_duration_seconds_count', { route: '/events/stream', status_code: '200' }), 1)
  t.equal(sample(all, 'salient_llm_time_to_first_token_seconds_count', { model }), 4, 'time to first token by model (two turns, two extractions)')
  t.equal(sample(all, 'salient_llm_request_duration_seconds_count', { model, status: 'complete' }), 4, 'LLM duration by model')
  t.ok((sample(all, 'salient_llm_tokens_total', { model, purpose: 'chat', kind: 'completion' }) ?? 0) > 0, 'tokens by model and purpose')
  t.ok((sample(all, 'salient_llm_tokens_total', { model, purpose: 'profile_extraction', kind: 'prompt' }) ?? 0) > 0)
  t.ok((sample(all, 'salient_llm_cost_usd_total', { model, purpose: 'chat' }) ?? 0) > 0, 'cost by model and purpose')
  t.ok((sample(all, 'salient_profile_facts_applied_total', { field: 'customer_name' }) ?? 0) >= 1, 'profile facts applied by field')
  t.equal(sample(all, 'salient_verifications_total', { outcome: 'verified' }), 1, 'verifications')
  t.ok((sample(all, 'salient_db_pool_connections', { state: 'total' }) ?? 0) >= 1, 'pool connections: total')
  t.ok(all.has('salient_db_pool_connections{state="idle"}') && all.has('salient_db_pool_connections{state="waiting"}'), 'idle and waiting')
  t.equal(all.get('salient_open_streams'), 0, 'open streams (none now)')
  t.ok(all.has('salient_db_retries_total'), 'database retries')
  t.notOk([...all.keys()].some((key) => /session_id|[0-9a-f]{8}-[0-9a-f]{4}-/.test(key)), 'no per-session label')
})

t.test('metrics.port: the same text without a token, on 127.0.0.1 only', async (t) => {
  const port = await freePort()
  const { app } = await buildTestApp(t, { config: { metrics: { port } } })
  await app.inject({ url: '/livez' })
  const res = await fetch(`http://127.0.0.1:${port}/metrics`)
  t.equal(res.status, 200)
  t.match(await res.text(), /http_request_duration_seconds_count\{method="GET",route="\/livez",status_code="200"\} 1/)
  t.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404)
  t.equal((await app.inject({ url: '/metrics' })).statusCode, 404, 'the main port still wants the token')
  await app.close()
  t.equal(await fetch(`http://127.0.0.1:${port}/metrics`).then(() => 'open', () => 'closed'), 'closed', 'closed with the app')
})

t.test('/openapi.json: a valid OpenAPI 3 document with every registered route in it', async (t) => {
  const routes: Array<{ method: string, url: string }> = []
  const onRoute = (route: RouteOptions) => {
    for (const method of [route.method].flat()) routes.push({ method: method.toLowerCase(), url: route.url })
  }
  const { app } = await buildTestApp(t, { onRoute })
  const res = await app.inject({ url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  const document = res.json()
  t.same(openApiProblems(document), [], 'it holds together as OpenAPI 3.0')
  t.ok(routes.length > 10, `${routes.length} routes registered`)
  // OpenAPI writes :param as {param} and a trailing wildcard as {*}.
  const template = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{*}')
  const missing = routes.filter(({ method, url }) => !document.paths[template(url)]?.[method])
  t.same(missing, [], 'no route is left out')
  t.ok(document.paths['/api/session/{session_id}/usage'].get.parameters.some((p: { name: string, in: string }) => p.name === 'session_id' && p.in === 'path'))
  t.ok(document.paths['/metrics'].get.security, 'the metrics route says it wants the admin token')
})

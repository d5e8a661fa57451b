// Owns app.metrics: the Prometheus series of SPEC §14 in a registry of this app's own (prom-client), small methods the
// rest of the app calls at the moment something happens, and the HTTP duration of every request. GET /metrics is a
// route (src/routes/probes.ts); when metrics.port is set, the same text is also served on 127.0.0.1:<port>.
import { createServer, type Server } from 'node:http'
import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

declare module 'fastify' {
  interface FastifyInstance { metrics: Metrics }
}

/** What a finished LLM call tells the metrics (an LlmOutcome has these fields). */
interface LlmCallObservation {
  model: string
  status: string
  ttftMs: number | null
  latencyMs: number
  usage: { prompt_tokens: number, completion_tokens: number }
  cost: string | null
}

export type LlmPurpose = 'chat' | 'profile_extraction' | (string & {})

/** The counts a pg.Pool exposes. */
interface PoolCounts { totalCount: number, idleCount: number, waitingCount: number }

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

function createMetrics () {
  const registry = new Registry()
  const registers = [registry]
  collectDefaultMetrics({ register: registry })
  let openStreams: () => number = () => 0
  let pool: PoolCounts | null = null

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route and status (a stream counts until it ends)',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: SECONDS,
    registers
  })
  // Gauges computed when scraped, from whoever knows the number.
  registry.registerMetric(new Gauge({
    name: 'salient_open_streams',
    help: 'Chat turns streaming or being saved',
    registers: [],
    collect () { this.set(openStreams()) }
  }))
  registry.registerMetric(new Gauge({
    name: 'salient_db_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting clients)',
    labelNames: ['state'] as const,
    registers: [],
    collect () {
      if (!pool) return
      this.set({ state: 'total' }, pool.totalCount)
      this.set({ state: 'idle' }, pool.idleCount)
      this.set({ state: 'waiting' }, pool.waitingCount)
    }
  }))
  const ttft = new Histogram({ name: 'salient_llm_time_to_first_token_seconds', help: 'LLM time to the first token, by model', labelNames: ['model'] as const, buckets: SECONDS, registers })
  const llmDuration = new Histogram({
    name: 'salient_llm_request_duration_seconds', help: 'LLM calls from request to last token, by model and outcome', labelNames: ['model', 'status'] as const, buckets: SECONDS, registers
  })
  const tokens = new Counter({ name: 'salient_llm_tokens_total', help: 'LLM tokens by model, purpose and kind (prompt, completion)', labelNames: ['model', 'purpose', 'kind'] as const, registers })
  const cost = new Counter({ name: 'salient_llm_cost_usd_total', help: 'LLM cost in USD by model and purpose (calls of unknown cost add nothing)', labelNames: ['model', 'purpose'] as const, registers })
  const retries = new Counter({ name: 'salient_db_retries_total', help: 'Database statements retried after a transient error', registers })
  const facts = new Counter({ name: 'salient_profile_facts_applied_total', help: 'Profile fields changed by a fact, by field', labelNames: ['field'] as const, registers })
  const verifications = new Counter({ name: 'salient_verifications_total', help: 'Identity verifications by outcome', labelNames: ['outcome'] as const, registers })

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),

    httpRequest (method: string, route: string, statusCode: number, seconds: number): void {
      httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds)
    },

    /** One LLM call, once its llm_requests row is written. */
    llmCall (call: LlmCallObservation, purpose: LlmPurpose): void {
      if (call.ttftMs !== null) ttft.observe({ model: call.model }, call.ttftMs / 1000)
      llmDuration.observe({ model: call.model, status: call.status }, call.latencyMs / 1000)
      tokens.inc({ model: call.model, purpose, kind: 'prompt' }, call.usage.prompt_tokens)
      tokens.inc({ model: call.model, purpose, kind: 'completion' }, call.usage.completion_tokens)
      // A decimal string from the ledger; a float is fine for a dashboard's running total.
      if (call.cost !== null) cost.inc({ model: call.model, purpose }, Number(call.cost))
    },

    databaseRetried (): void {
      retries.inc()
    },

    profileFactsApplied (fields: readonly string[]): void {
      for (const field of fields) facts.inc({ field })
    },

    /** An identity verification ended: e.g. 'sent', 'verified', 'wrong_code', 'expired', 'too_many'. */
    verification (outcome: string): void {
      verifications.inc({ outcome })
    },

    countOpenStreams (count: () => number): void {
      openStreams = count
    },

    watchPool (counts: PoolCounts): void {
      pool = counts
    }
  }
}

export type Metrics = ReturnType<typeof createMetrics>

export default fp(async (app) => {
  const metrics = createMetrics()
  app.decorate('metrics', metrics)
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, never the raw URL (ids would make a series per session); 404s share one label.
    metrics.httpRequest(request.method, request.routeOptions.url ?? '(unmatched)', reply.statusCode, reply.elapsedTime / 1000)
  })

  const port = app.config.metrics.port
  if (port === null) return
  const server = await listenForScrapes(metrics, port)
  app.log.info({ event: 'metrics.listening', port }, `metrics on http://127.0.0.1:${port}/metrics`)
  app.addHook('onClose', () => new Promise<void>((resolve) => server.close(() => resolve())))
}, { name: 'metrics', dependencies: ['config'] })

// Loopback only: whoever can reach it is on this machine, so no token is asked for.
async function listenForScrapes (metrics: Metrics, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: { code: 'not_found', message: 'Not found' } }))
      return
    }
    metrics.render().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      () => res.writeHead(500).end()
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return server
}

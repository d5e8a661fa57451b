// A real loopback HTTP server that speaks OpenRouter's streaming protocol (see OPENROUTER.md), scriptable per
// request, for tests, the browser and benchmarks. Standalone:
//   node --import tsx test/helpers/fake-openrouter.ts [--port N] [--first-token-delay-ms N] [--inter-chunk-delay-ms N] [--deltas N]
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setImmediate, setTimeout as sleep } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { costNumberToDecimal } from '../../plugins/app/llm/money.ts'

/** What the upstream provider said, as OpenRouter forwards it in `error.metadata`. */
export interface UpstreamMetadata { raw?: unknown, provider_name?: string }
export interface FailBefore { status: number, message?: string, retryAfter?: number | string, metadata?: UpstreamMetadata }
export interface FailMidStream {
  afterDeltas: number
  code: number | string
  message?: string
  metadata?: UpstreamMetadata
  /** The error object inside `choices[0]` (as OpenRouter sends "Error processing stream"), not at the top level. */
  inChoice?: boolean
}

export interface Scenario {
  /** Exact reply text (split into word deltas), or the exact list of deltas. Default: `Echo: <last user message>`. */
  reply?: string | string[]
  /** Exactly this many deltas: the reply's words are padded with filler words or grouped. */
  deltas?: number
  firstTokenDelayMs?: number
  interChunkDelayMs?: number
  /** Write every event in byte slices (of this size; `true` = 3 bytes), splitting multi-byte characters. */
  splitPackets?: boolean | number
  /** `: OPENROUTER PROCESSING` comments before the first chunk and between chunks. */
  keepAlive?: boolean
  failBefore?: FailBefore
  /** With a directive: fail (failBefore) only the first N requests carrying the same directive. */
  failTimes?: number
  failMidStream?: FailMidStream
  omitUsage?: boolean
  /** Usage without its `cost` field (as some routes and older deployments send it). */
  omitCost?: boolean
  /** Cut stream: no finish_reason, no usage, no [DONE]. */
  omitFinishReason?: boolean
  /** Send the headers, then nothing. */
  hang?: boolean
  /** Destroy the socket after this many deltas. */
  dropConnection?: number
  /** The usage cost to report (a JSON number). */
  cost?: number
  /** The model id to report. */
  model?: string
  finishReason?: string
  /** How many times GET /generation answers 404 for this call before the record appears. */
  generationNotFound?: number
}

export interface FakeOpenRouterOptions {
  port?: number
  host?: string
  /** Path prefix the API is served under. */
  prefix?: string
  /** When set, only this key is accepted; otherwise any `Bearer` token is (a missing one is a 401). */
  apiKey?: string
  /** USD per token (prompt and completion) used for the reported cost. */
  pricePerToken?: number
  defaults?: Scenario
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  body: unknown
  time: number
}

export interface GenerationRecord extends Record<string, unknown> {
  id: string
  total_cost: number
  tokens_prompt: number
  tokens_completion: number
  native_tokens_prompt: number
  native_tokens_completion: number
  cancelled: boolean
  finish_reason: string | null
}

export interface FakeStats {
  connectionsOpened: number
  connectionsClosed: number
  readonly openConnections: number
  streamsStarted: number
  streamsCompleted: number
  /** Streams whose client went away before the fake finished writing. */
  streamsAborted: number
}

export interface FakeOpenRouter {
  /** API base, e.g. `http://127.0.0.1:PORT/api/v1`. */
  readonly url: string
  readonly port: number
  readonly requests: RecordedRequest[]
  readonly stats: FakeStats
  readonly generations: Map<string, GenerationRecord>
  /** Scenarios for the next chat completion requests, one each, in order. */
  enqueue (...scenarios: Scenario[]): void
  setDefault (scenario: Scenario): void
  /** Chat completion requests only. */
  completions (): RecordedRequest[]
  waitFor (predicate: () => boolean, timeoutMs?: number): Promise<void>
  close (): Promise<void>
}

type ChatBody = { model?: unknown, messages?: unknown }

const DIRECTIVE = /\[\[fake:([^\]]*)\]\]/

function words (text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\s)(?=\S)/)
}

function exactly (parts: string[], n: number): string[] {
  const out = [...parts]
  for (let i = out.length; i < n; i++) out.push(i === 0 ? 'filler' : ' filler')
  if (out.length <= n) return out
  const size = Math.ceil(out.length / n)
  return Array.from({ length: n }, (_, i) => out.slice(i * size, (i + 1) * size).join('')).filter((p) => p !== '')
}

function lastUserMessage (body: ChatBody): string {
  const messages = Array.isArray(body.messages) ? body.messages as Array<{ role?: unknown, content?: unknown }> : []
  const last = messages.findLast((m) => m.role === 'user')
  return typeof last?.content === 'string' ? last.content : ''
}

function bool (value: string): boolean {
  return value !== 'false' && value !== '0'
}

function codeValue (value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value
}

/**
 * `[[fake:key=value,key=value]]` in the last user message → a scenario (a bare key means `true`; keys ignore case,
 * `_` and `-`). Keys: reply (text, no commas), parts (deltas joined by `|`), deltas, first_token_delay_ms (ttft),
 * inter_chunk_delay_ms (delay), split_packets (true or bytes), keep_alive, status (fail_status) with fail_message,
 * retry_after and fail_times (fail only the first N requests bearing this exact directive), error_after
 * (fail_after_deltas) with error_code and error_message, omit_usage, omit_finish_reason, hang, drop_after,
 * cost, model, finish_reason, generation_404s. The directive is not echoed back.
 */
export function parseDirective (text: string): Scenario | null {
  const m = DIRECTIVE.exec(text)
  if (m === null) return null
  const s: Scenario = {}
  const failBefore: Partial<FailBefore> = {}
  const failMid: Partial<FailMidStream> = {}
  for (const pair of (m[1] ?? '').split(',')) {
    const eq = pair.indexOf('=')
    const key = (eq === -1 ? pair : pair.slice(0, eq)).trim().toLowerCase().replace(/[_-]/g, '')
    const value = eq === -1 ? 'true' : pair.slice(eq + 1).trim()
    switch (key) {
      case 'reply': s.reply = value; break
      case 'parts': s.reply = value.split('|'); break
      case 'deltas': s.deltas = Number(value); break
      case 'firsttokendelayms': case 'ttft': s.firstTokenDelayMs = Number(value); break
      case 'interchunkdelayms': case 'delay': s.interChunkDelayMs = Number(value); break
      case 'splitpackets': s.splitPackets = /^\d+$/.test(value) ? Number(value) : bool(value); break
      case 'keepalive': s.keepAlive = bool(value); break
      case 'failstatus': case 'status': failBefore.status = Number(value); break
      case 'failmessage': failBefore.message = value; break
      case 'retryafter': failBefore.retryAfter = value; break
      case 'failtimes': s.failTimes = Number(value); break
      case 'failafterdeltas': case 'errorafter': failMid.afterDeltas = Number(value); break
      case 'errorcode': failMid.code = codeValue(value); break
      case 'errormessage': failMid.message = value; break
      case 'omitusage': s.omitUsage = bool(value); break
      case 'omitcost': s.omitCost = bool(value); break
      case 'omitfinishreason': s.omitFinishReason = bool(value); break
      case 'hang': s.hang = bool(value); break
      case 'dropafter': case 'dropconnection': s.dropConnection = Number(value); break
      case 'cost': s.cost = Number(value); break
      case 'model': s.model = value; break
      case 'finishreason': s.finishReason = value; break
      case 'generation404s': case 'generationnotfound': s.generationNotFound = Number(value); break
    }
  }
  if (failBefore.status !== undefined) s.failBefore = { ...failBefore, status: failBefore.status }
  if (failMid.afterDeltas !== undefined || failMid.code !== undefined) {
    s.failMidStream = { afterDeltas: failMid.afterDeltas ?? 0, code: failMid.code ?? 502, message: failMid.message }
  }
  return s
}

function replyDeltas (scenario: Scenario, userText: string): string[] {
  const base = Array.isArray(scenario.reply)
    ? scenario.reply
    : words(scenario.reply ?? `Echo: ${userText.replace(DIRECTIVE, '').trim()}`)
  return scenario.deltas !== undefined && scenario.deltas > 0 ? exactly(base, scenario.deltas) : base
}

function readBody (req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sendJson (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

function errorBody (status: number, message: string, metadata: UpstreamMetadata = {}): unknown {
  return { error: { code: status, message, metadata } }
}

export async function startFakeOpenRouter (opts: FakeOpenRouterOptions = {}): Promise<FakeOpenRouter> {
  const prefix = (opts.prefix ?? '/api/v1').replace(/\/+$/, '')
  const pricePerToken = opts.pricePerToken ?? 0.000001
  const requests: RecordedRequest[] = []
  const generations = new Map<string, GenerationRecord>()
  const notFoundLeft = new Map<string, number>()
  const directiveFailures = new Map<string, number>()
  const queue: Scenario[] = []
  const sockets = new Set<Socket>()
  let defaults: Scenario = opts.defaults ?? {}
  const stats: FakeStats = {
    connectionsOpened: 0,
    connectionsClosed: 0,
    get openConnections () { return sockets.size },
    streamsStarted: 0,
    streamsCompleted: 0,
    streamsAborted: 0
  }

  function authorized (headers: IncomingHttpHeaders): boolean {
    const auth = headers.authorization ?? ''
    if (!auth.startsWith('Bearer ') || auth.length <= 7) return false
    return opts.apiKey === undefined || auth === `Bearer ${opts.apiKey}`
  }

  function scenarioFor (body: ChatBody): Scenario {
    const userText = lastUserMessage(body)
    const directive = parseDirective(userText)
    const s: Scenario = { ...defaults, ...queue.shift(), ...directive }
    const raw = DIRECTIVE.exec(userText)?.[0]
    if (directive?.failTimes !== undefined && raw !== undefined && s.failBefore !== undefined) {
      const failed = directiveFailures.get(raw) ?? 0
      directiveFailures.set(raw, failed + 1)
      if (failed >= directive.failTimes) delete s.failBefore
    }
    return s
  }

  async function streamCompletion (req: IncomingMessage, res: ServerResponse, body: ChatBody, s: Scenario): Promise<void> {
    const id = `gen-${Date.now()}-${randomBytes(8).toString('hex')}`
    const model = s.model ?? (typeof body.model === 'string' ? body.model : 'fake/echo')
    const created = Math.floor(Date.now() / 1000)
    const deltas = replyDeltas(s, lastUserMessage(body))
    const promptTokens = Math.max(1, Math.ceil(JSON.stringify(body.messages ?? []).length / 4))
    let sentText = ''
    let closed = false
    let dropped = false
    res.on('close', () => {
      closed = true
      if (!res.writableFinished && !dropped) stats.streamsAborted++
    })
    const record = (finishReason: string | null, cancelled: boolean): void => {
      const completionTokens = Math.max(cancelled && sentText === '' ? 0 : 1, Math.ceil(sentText.length / 4))
      generations.set(id, {
        id,
        model,
        provider_name: 'Fake',
        total_cost: costOf(promptTokens + completionTokens),
        tokens_prompt: promptTokens,
        tokens_completion: completionTokens,
        native_tokens_prompt: promptTokens,
        native_tokens_completion: completionTokens,
        native_tokens_reasoning: 0,
        finish_reason: finishReason,
        native_finish_reason: finishReason,
        cancelled,
        streamed: true,
        latency: Date.now() - created * 1000,
        created_at: new Date(created * 1000).toISOString()
      })
      notFoundLeft.set(id, s.generationNotFound ?? 0)
    }
    const costOf = (tokens: number): number => s.cost ?? Number((tokens * pricePerToken).toPrecision(12))
    const slice = s.splitPackets === true ? 3 : typeof s.splitPackets === 'number' && s.splitPackets > 0 ? s.splitPackets : 0
    // Waits until each piece is handed to the socket, so a later drop or delay cannot swallow it.
    const gone = new Promise<void>((resolve) => res.once('close', resolve))
    const flush = (piece: string | Buffer): Promise<void> => closed
      ? Promise.resolve()
      : Promise.race([gone, new Promise<void>((resolve) => res.write(piece, () => resolve()))])
    const write = async (text: string): Promise<void> => {
      if (slice === 0) return await flush(text)
      const bytes = Buffer.from(text, 'utf8')
      for (let i = 0; i < bytes.length; i += slice) {
        if (closed) return
        await flush(bytes.subarray(i, i + slice))
        await setImmediate()
      }
    }
    const event = (data: unknown): Promise<void> => write(`data: ${JSON.stringify(data)}\n\n`)
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> =>
      ({ id, provider: 'Fake', model, object: 'chat.completion.chunk', created, choices, ...extra })
    const keepAlive = (): Promise<void> => s.keepAlive === true ? write(': OPENROUTER PROCESSING\n\n') : Promise.resolve()

    stats.streamsStarted++
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-generation-id': id })
    res.flushHeaders()
    if (s.hang === true) return
    await keepAlive()
    if (s.firstTokenDelayMs !== undefined && s.firstTokenDelayMs > 0) await sleep(s.firstTokenDelayMs)
    const finishReason = s.finishReason ?? 'stop'
    for (let i = 0; i <= deltas.length; i++) {
      if (closed) return record(null, true)
      if (s.failMidStream !== undefined && i === Math.min(s.failMidStream.afterDeltas, deltas.length)) {
        const { code, message, metadata, inChoice } = s.failMidStream
        const error = { code, message: message ?? 'Provider disconnected unexpectedly', ...(metadata ? { metadata } : {}) }
        const choice = { index: 0, delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' }
        await event(inChoice === true ? chunk([{ ...choice, error }]) : chunk([choice], { error }))
        res.end()
        return record('error', false)
      }
      if (s.dropConnection !== undefined && i === s.dropConnection) {
        dropped = true
        req.socket.destroy()
        return record(null, true)
      }
      const content = deltas[i]
      if (content === undefined) break
      const errorAtEnd = s.failMidStream !== undefined && s.failMidStream.afterDeltas >= deltas.length
      const last = i === deltas.length - 1 && s.omitFinishReason !== true && !errorAtEnd
      if (i > 0) {
        if (s.interChunkDelayMs !== undefined && s.interChunkDelayMs > 0) await sleep(s.interChunkDelayMs)
        await keepAlive()
      }
      await event(chunk([{ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: last ? finishReason : null, native_finish_reason: last ? finishReason : null, logprobs: null }]))
      sentText += content
    }
    if (closed) return record(null, true)
    if (deltas.length === 0 && s.omitFinishReason !== true) {
      await event(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: finishReason, native_finish_reason: finishReason, logprobs: null }]))
    }
    if (s.omitFinishReason === true) {
      res.end()
      return record(null, false)
    }
    const completionTokens = Math.max(1, Math.ceil(sentText.length / 4))
    if (s.omitUsage !== true) {
      await event(chunk([], {
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
          ...(s.omitCost === true ? {} : { cost: costOf(promptTokens + completionTokens) }),
          is_byok: false,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0 },
          cost_details: { upstream_inference_cost: null }
        }
      }))
    }
    await write('data: [DONE]\n\n')
    res.end()
    if (!closed || res.writableFinished) stats.streamsCompleted++
    record(finishReason, false)
  }

  async function chatCompletions (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest): Promise<void> {
    if (!authorized(req.headers)) return sendJson(res, 401, errorBody(401, 'No auth credentials found'))
    const body = rec.body
    if (typeof body !== 'object' || body === null || !Array.isArray((body as ChatBody).messages)) {
      return sendJson(res, 400, errorBody(400, 'Invalid request: messages is required'))
    }
    const s = scenarioFor(body as ChatBody)
    if (s.failBefore !== undefined) {
      const { status, message, retryAfter, metadata } = s.failBefore
      const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }
      return sendJson(res, status, errorBody(status, message ?? `fake error ${status}`, metadata), headers)
    }
    await streamCompletion(req, res, body as ChatBody, s)
  }

  function generation (req: IncomingMessage, res: ServerResponse, query: Record<string, string>): void {
    if (!authorized(req.headers)) return sendJson(res, 401, errorBody(401, 'No auth credentials found'))
    const id = query.id ?? ''
    const record = generations.get(id)
    const left = notFoundLeft.get(id) ?? 0
    if (record === undefined || left > 0) {
      if (record !== undefined) notFoundLeft.set(id, left - 1)
      return sendJson(res, 404, errorBody(404, `Generation ${id} not found`))
    }
    sendJson(res, 200, { data: record })
  }

  function models (res: ServerResponse): void {
    const price = costNumberToDecimal(pricePerToken)
    const ids = ['openai/gpt-oss-20b', 'fake/echo']
    sendJson(res, 200, {
      data: ids.map((id) => ({
        id,
        name: id,
        created: 1700000000,
        context_length: 131072,
        pricing: { prompt: price, completion: price, request: '0', image: '0', internal_reasoning: '0', input_cache_read: '0' }
      }))
    })
  }

  async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const text = await readBody(req)
    let body: unknown = null
    try { body = text === '' ? null : JSON.parse(text) } catch { body = text }
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname
    const query = Object.fromEntries(url.searchParams)
    const rec: RecordedRequest = { method: req.method ?? 'GET', path, query, headers: req.headers, body, time: Date.now() }
    requests.push(rec)
    if (!url.pathname.startsWith(`${prefix}/`)) return sendJson(res, 404, errorBody(404, 'Not found'))
    if (req.method === 'POST' && path === '/chat/completions') return await chatCompletions(req, res, rec)
    if (req.method === 'GET' && path === '/generation') return generation(req, res, query)
    if (req.method === 'GET' && path === '/models') return models(res)
    sendJson(res, 404, errorBody(404, 'Not found'))
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => { if (!res.headersSent) sendJson(res, 500, errorBody(500, 'fake failed')) })
  })
  server.on('connection', (socket: Socket) => {
    stats.connectionsOpened++
    sockets.add(socket)
    socket.on('close', () => {
      stats.connectionsClosed++
      sockets.delete(socket)
    })
  })
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}${prefix}`,
    port,
    requests,
    stats,
    generations,
    enqueue (...scenarios) { queue.push(...scenarios) },
    setDefault (scenario) { defaults = scenario },
    completions () { return requests.filter((r) => r.path === '/chat/completions') },
    async waitFor (predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('fake-openrouter: condition not met in time')
        await sleep(5)
      }
    },
    close () {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      'first-token-delay-ms': { type: 'string' },
      'inter-chunk-delay-ms': { type: 'string' },
      deltas: { type: 'string' }
    }
  })
  const num = (v: string | undefined): number | undefined => v === undefined ? undefined : Number(v)
  const fake = await startFakeOpenRouter({
    port: num(values.port),
    host: values.host,
    apiKey: values['api-key'],
    defaults: {
      firstTokenDelayMs: num(values['first-token-delay-ms']),
      interChunkDelayMs: num(values['inter-chunk-delay-ms']),
      deltas: num(values.deltas)
    }
  })
  process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`)
  const stop = (): void => { fake.close().then(() => process.exit(0), () => process.exit(1)) }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}

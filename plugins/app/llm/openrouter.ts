// The OpenRouter client's I/O: one streamed chat completion per call over an undici Agent it owns, retried only while
// no token has been produced, and always ending in exactly one outcome. What a chunk means is chunk.ts; the outcome
// built from the call is outcome.ts (both pure).
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request, type Dispatcher } from 'undici'
import type { Pricing } from '../../infrastructure/config/schema.ts'
import { applyChunk, httpErrorBody, newState } from './chunk.ts'
import { createDeltaStream, type DeltaProducer, type DeltaSink } from './delta-stream.ts'
import { LlmError, httpError, parseRetryAfter, toLlmError } from './errors.ts'
import { buildOutcome, type CallInfo } from './outcome.ts'
import { reconcileGeneration } from './reconcile.ts'
import { createSseParser, type SseEvent } from './sse-parser.ts'
import type { LlmClient, LlmLogger, LlmOutcome, LlmRequest } from './types.ts'

export interface OpenRouterOptions {
  baseUrl: string
  apiKey: string
  model: string
  temperature: number
  maxTokens: number
  /** Whole call, retries included; also the Agent's headers and body (idle) timeouts. */
  timeoutMs: number
  connectTimeoutMs: number
  /** Retries of a failed call that has not produced a token yet. */
  maxRetries: number
  pricing?: Pricing
  appName: string
  appUrl: string
  /** When given, used instead of an owned Agent (and not closed by `close()`). */
  dispatcher?: Dispatcher
  log?: LlmLogger
  /** First backoff step, doubled each retry. */
  retryBaseDelayMs?: number
  /** Longest wait before a retry: a `Retry-After` beyond it is not waited for (the error is returned). */
  retryMaxDelayMs?: number
}

const MAX_ERROR_BODY = 16 * 1024

function header (value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined || first === '' ? null : first
}

function headerSafe (value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?')
}

async function readCapped (body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    chunks.push(chunk as Buffer)
    size += (chunk as Buffer).length
    if (size >= MAX_ERROR_BODY) break
  }
  return Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY).toString('utf8')
}

/** Reads one attempt's body. */
class BodyReader {
  readonly parser = createSseParser()
  private terminal = false
  private settled = false

  constructor (
    private readonly call: OpenRouterCall,
    private readonly resolve: () => void,
    private readonly reject: (err: unknown) => void,
    private readonly graceMs: number
  ) {}

  feed (events: SseEvent[]): void {
    for (const event of events) {
      if (this.terminal) return
      if (this.call.apply(event)) {
        this.terminal = true
        setTimeout(settleReader, this.graceMs, this).unref()
      }
    }
  }

  settle (err?: unknown): void {
    if (this.settled) return
    this.settled = true
    if (err === undefined || this.terminal) this.resolve()
    else this.reject(err)
  }
}

function settleReader (reader: BodyReader): void {
  reader.settle()
}

/** What every call of one client shares. */
interface ClientContext {
  options: OpenRouterOptions
  url: string
  dispatcher: Dispatcher
  headers: Record<string, string>
  secrets: string[]
  retryBase: number
  retryCap: number
}

function payloadFor (options: OpenRouterOptions, req: LlmRequest): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    model: req.model ?? options.model,
    messages: req.messages.map(({ role, content }) => ({ role, content })),
    temperature: req.temperature ?? options.temperature,
    max_tokens: req.maxTokens ?? options.maxTokens,
    stream: true,
    usage: { include: true }
  }
  if (req.responseFormat !== undefined) payload.response_format = { type: req.responseFormat.type }
  return payload
}

/**
 * One streamed call, with its retries. A class, not closures: thousands are open at once, and each closure made per
 * call carried its own context (and, under tsx's keepNames, a property array); the methods are shared. It is also
 * the `abort` listener of the caller's signal (handleEvent) and the producer of its delta stream.
 */
class OpenRouterCall implements DeltaProducer {
  private readonly started = performance.now()
  private readonly payload: Record<string, unknown>
  private readonly model: string
  private readonly body: string
  private readonly ctrl = new AbortController()
  private readonly timer: NodeJS.Timeout
  private state = newState()
  private attempts = 0
  private sink: DeltaSink | null = null

  constructor (private readonly ctx: ClientContext, private readonly req: LlmRequest) {
    this.payload = payloadFor(ctx.options, req)
    this.model = String(this.payload.model)
    this.body = JSON.stringify(this.payload)
    this.timer = setTimeout(OpenRouterCall.timedOut, ctx.options.timeoutMs, this)
    if (req.signal?.aborted === true) this.cancel()
    req.signal?.addEventListener('abort', this, { once: true })
  }

  private static timedOut (call: OpenRouterCall): void {
    call.stop(new LlmError('llm_timeout', `no complete reply within ${call.ctx.options.timeoutMs} ms`))
  }

  /** The caller's signal aborted. */
  handleEvent (): void {
    this.cancel()
  }

  cancel (): void {
    this.stop(new LlmError('llm_aborted', 'the request was aborted'))
  }

  crashed (err: unknown, text: string): LlmOutcome {
    return buildOutcome(this.info(), this.state, toLlmError(err, this.ctx.secrets), text)
  }

  async run (sink: DeltaSink): Promise<LlmOutcome> {
    const { options } = this.ctx
    let error: LlmError | null = null
    this.sink = sink
    try {
      for (;;) {
        error = await this.attempt()
        if (error === null || !error.retryable || sink.count > 0 || this.attempts > options.maxRetries) break
        const wait = this.retryDelay(error)
        if (wait === null) break
        options.log?.warn({ event: 'llm.retry', attempt: this.attempts, code: error.code, status: error.status, delay_ms: Math.round(wait) }, 'retrying LLM call')
        await sleep(wait, undefined, { signal: this.ctrl.signal }).catch(() => {})
        if (this.ctrl.signal.aborted) {
          error = this.failure(null)
          break
        }
        this.state = newState()
      }
    } finally {
      clearTimeout(this.timer)
      this.req.signal?.removeEventListener('abort', this)
      this.sink = null
    }
    return buildOutcome(this.info(), this.state, error, sink.text())
  }

  private stop (err: LlmError): void {
    if (!this.ctrl.signal.aborted) this.ctrl.abort(err)
  }

  private info (): CallInfo {
    return { model: this.model, request: this.req, payload: this.payload, pricing: this.ctx.options.pricing, attempts: this.attempts, latencyMs: performance.now() - this.started }
  }

  private failure (err: unknown): LlmError {
    return this.ctrl.signal.aborted ? toLlmError(this.ctrl.signal.reason) : toLlmError(err, this.ctx.secrets)
  }

  private async attempt (): Promise<LlmError | null> {
    if (this.ctrl.signal.aborted) return this.failure(null)
    this.attempts++
    const { url, dispatcher, headers, secrets } = this.ctx
    let res: Dispatcher.ResponseData
    try {
      res = await request(url, { method: 'POST', dispatcher, headers, body: this.body, signal: this.ctrl.signal })
    } catch (err) {
      return this.failure(err)
    }
    if (res.statusCode !== 200) {
      const { message, upstream } = httpErrorBody(await readCapped(res.body).catch(() => ''), secrets)
      return httpError(res.statusCode, message, parseRetryAfter(res.headers['retry-after']), upstream)
    }
    this.state.generationId = header(res.headers['x-generation-id'])
    try {
      await this.consume(res.body)
    } catch (err) {
      return this.failure(err)
    }
    return this.state.streamError
  }

  /**
   * Resolves once the stream is over: the body ended, or [DONE] / an error event arrived and the body then ended or
   * `graceMs` passed (waiting lets the socket go back to the pool; the rest is drained in the background).
   */
  private consume (body: Dispatcher.ResponseData['body'], graceMs = 250): Promise<void> {
    return new Promise((resolve, reject) => {
      // One reader per attempt: a body still draining after its end must not touch the next attempt.
      const reader = new BodyReader(this, resolve, reject, graceMs)
      body.on('data', (chunk: Buffer) => reader.feed(reader.parser.push(chunk)))
      body.on('end', () => {
        reader.feed(reader.parser.end())
        // One turn later undici has put the socket back in the pool, so the next call can reuse it.
        setImmediate(settleReader, reader)
      })
      body.on('error', (err: Error) => reader.settle(err))
    })
  }

  /** Applies one event; true when the stream is over ([DONE] or an error). */
  apply (event: SseEvent): boolean {
    return event.type === 'done' || applyChunk(this.state, event.data, this, this.ctx.secrets)
  }

  /** A delta from the stream. */
  emit (delta: string): void {
    this.state.ttftMs ??= performance.now() - this.started
    this.sink?.push(delta)
  }

  private retryDelay (err: LlmError): number | null {
    const { retryBase, retryCap, options } = this.ctx
    const backoff = Math.min(retryBase * 2 ** (this.attempts - 1), retryCap)
    const wait = err.retryAfterMs ?? backoff + Math.random() * backoff * 0.2
    const left = options.timeoutMs - (performance.now() - this.started)
    return wait > retryCap || wait >= left ? null : wait
  }
}

export function createOpenRouterClient (options: OpenRouterOptions): LlmClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const owned = options.dispatcher === undefined
    ? new Agent({
      connect: { timeout: options.connectTimeoutMs },
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs
    })
    : null
  const dispatcher: Dispatcher = options.dispatcher ?? owned as Dispatcher
  const closing = new AbortController()
  const ctx: ClientContext = {
    options,
    url: `${baseUrl}/chat/completions`,
    dispatcher,
    secrets: [options.apiKey],
    retryBase: options.retryBaseDelayMs ?? 250,
    retryCap: options.retryMaxDelayMs ?? 4000,
    headers: {
      authorization: `Bearer ${options.apiKey}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'http-referer': headerSafe(options.appUrl),
      'x-title': headerSafe(options.appName),
      'x-openrouter-title': headerSafe(options.appName)
    }
  }

  return {
    provider: 'openrouter',
    model: options.model,
    stream (req) {
      return createDeltaStream(new OpenRouterCall(ctx, req))
    },
    reconcile (generationId, delaysMs) {
      return reconcileGeneration({
        baseUrl,
        apiKey: options.apiKey,
        dispatcher,
        generationId,
        delaysMs,
        signal: closing.signal
      })
    },
    async close () {
      closing.abort()
      await owned?.close()
    }
  }
}

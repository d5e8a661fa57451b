// The OpenRouter client: one streamed chat completion per call over an undici Agent it owns, retried only while
// no token has been produced, and always ending in exactly one outcome.
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request, type Dispatcher } from 'undici'
import type { Pricing } from '../../../src/schemas/config.ts'
import { computeCost, type ReportedUsage } from './cost.ts'
import { createDeltaStream, type DeltaSink } from './delta-stream.ts'
import { LlmError, cleanMessage, httpError, parseRetryAfter, streamError, toLlmError } from './errors.ts'
import { costNumberToDecimal } from './money.ts'
import { DEFAULT_RECONCILE_DELAYS_MS, reconcileGeneration } from './reconcile.ts'
import { createSseParser, type SseEvent } from './sse-parser.ts'
import type { LlmClient, LlmLogger, LlmOutcome, LlmRequest, LlmStatus, LlmStream } from './types.ts'

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
  reconcileDelaysMs?: number[]
  /** First backoff step, doubled each retry. */
  retryBaseDelayMs?: number
  /** Longest wait before a retry: a `Retry-After` beyond it is not waited for (the error is returned). */
  retryMaxDelayMs?: number
}

interface CallState {
  generationId: string | null
  responseModel: string | null
  providerName: string | null
  finishReason: string | null
  nativeFinishReason: string | null
  usage: Record<string, unknown> | null
  ttftMs: number | null
  streamError: LlmError | null
}

interface CallInfo {
  model: string
  request: LlmRequest
  payload: Record<string, unknown>
  pricing: Pricing | undefined
  started: number
  attempts: number
}

const MAX_ERROR_BODY = 16 * 1024

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function header (value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined || first === '' ? null : first
}

function headerSafe (value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?')
}

function newState (): CallState {
  return {
    generationId: null,
    responseModel: null,
    providerName: null,
    finishReason: null,
    nativeFinishReason: null,
    usage: null,
    ttftMs: null,
    streamError: null
  }
}

/**
 * Resolves once the stream is over: the body ended, or [DONE] / an error event arrived and the body then ended or
 * `graceMs` passed (waiting lets the socket go back to the pool; the rest is drained in the background).
 */
function consume (body: Dispatcher.ResponseData['body'], handle: (event: SseEvent) => boolean, graceMs = 250): Promise<void> {
  return new Promise((resolve, reject) => {
    const parser = createSseParser()
    let terminal = false
    let settled = false
    const settle = (err?: unknown): void => {
      if (settled) return
      settled = true
      if (err === undefined || terminal) resolve()
      else reject(err)
    }
    const feed = (events: SseEvent[]): void => {
      for (const event of events) {
        if (terminal) return
        if (handle(event)) {
          terminal = true
          setTimeout(settle, graceMs).unref()
        }
      }
    }
    body.on('data', (chunk: Buffer) => feed(parser.push(chunk)))
    body.on('end', () => {
      feed(parser.end())
      // One turn later undici has put the socket back in the pool, so the next call can reuse it.
      setImmediate(settle)
    })
    body.on('error', settle)
  })
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

function upstreamMessage (text: string): string {
  try {
    const json: unknown = JSON.parse(text)
    if (isRecord(json) && isRecord(json.error) && typeof json.error.message === 'string') return json.error.message
  } catch {}
  return text
}

function money (n: number): string | null {
  return Number.isFinite(n) ? costNumberToDecimal(n) : null
}

function normalizedUsage (usage: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...usage }
  // Money is kept as decimal strings everywhere it is stored.
  if (typeof usage.cost === 'number') out.cost = money(usage.cost)
  if (isRecord(usage.cost_details)) {
    out.cost_details = Object.fromEntries(Object.entries(usage.cost_details).map(([k, v]) =>
      [k, typeof v === 'number' ? money(v) : v]))
  }
  return out
}

function reportedUsage (usage: Record<string, unknown> | null): ReportedUsage | null {
  if (usage === null || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return null
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : undefined,
    cost: typeof usage.cost === 'number' ? usage.cost : null
  }
}

/** Applies one SSE event to the call; true when the stream is over ([DONE] or an error event). */
function applyEvent (state: CallState, event: SseEvent, emit: (delta: string) => void, secrets: string[]): boolean {
  if (event.type === 'done') return true
  let chunk: unknown
  try { chunk = JSON.parse(event.data) } catch { return false }
  if (!isRecord(chunk)) return false
  if (typeof chunk.id === 'string' && state.generationId === null) state.generationId = chunk.id
  // Every chunk repeats these: a fresh copy kept until the next chunk would outlive a scavenge for nothing.
  if (typeof chunk.model === 'string' && chunk.model !== state.responseModel) state.responseModel = chunk.model
  if (typeof chunk.provider === 'string' && chunk.provider !== state.providerName) state.providerName = chunk.provider
  if (isRecord(chunk.usage)) state.usage = chunk.usage
  const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : null
  const content = isRecord(choice?.delta) ? choice.delta.content : null
  // The text is kept once, by the delta stream, and joined at the end.
  if (typeof content === 'string' && content !== '') emit(content)
  if (typeof choice?.finish_reason === 'string') state.finishReason = choice.finish_reason
  if (typeof choice?.native_finish_reason === 'string') state.nativeFinishReason = choice.native_finish_reason
  if (!isRecord(chunk.error)) return false
  state.streamError = streamError(chunk.error.code, cleanMessage(String(chunk.error.message ?? ''), secrets))
  return true
}

function finalError (state: CallState, raw: LlmError | null): LlmError | null {
  const { finishReason } = state
  // Once a real finish_reason arrived the reply is whole: a later abort, timeout or reset changes nothing.
  const ended = finishReason !== null && finishReason !== 'error'
  if (raw !== null && !(ended && raw.code !== 'llm_stream_error')) return raw
  if (finishReason === null) return new LlmError('llm_truncated', 'the stream ended without a finish_reason')
  if (finishReason === 'error') return streamError(null, 'the stream finished with finish_reason "error"')
  return null
}

function statusOf (error: LlmError | null): LlmStatus {
  if (error === null) return 'complete'
  if (error.code === 'llm_aborted') return 'aborted'
  return error.code === 'llm_truncated' ? 'truncated' : 'error'
}

function buildOutcome (info: CallInfo, state: CallState, raw: LlmError | null, text: string): LlmOutcome {
  const error = finalError(state, raw)
  const status = statusOf(error)
  const reported = reportedUsage(state.usage)
  const cost = computeCost({
    requestedModel: info.model,
    responseModel: state.responseModel,
    pricing: info.pricing,
    reported,
    messages: info.request.messages,
    completionText: text
  })
  const errorInfo = error?.toInfo() ?? null
  return {
    provider: 'openrouter',
    model: info.model,
    responseModel: state.responseModel,
    generationId: state.generationId,
    status,
    finishReason: state.finishReason,
    text,
    ...cost,
    latencyMs: Math.round(performance.now() - info.started),
    ttftMs: state.ttftMs === null ? null : Math.round(state.ttftMs),
    attempts: info.attempts,
    error: errorInfo,
    requestBody: info.payload,
    responseBody: {
      id: state.generationId,
      model: state.responseModel,
      provider: state.providerName,
      finish_reason: state.finishReason,
      native_finish_reason: state.nativeFinishReason,
      usage: state.usage === null || reported === null ? cost.usage : normalizedUsage(state.usage),
      error: errorInfo,
      status,
      attempts: info.attempts,
      cost_source: cost.costSource,
      usage_estimated: cost.usageEstimated
    }
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
  const secrets = [options.apiKey]
  const retryBase = options.retryBaseDelayMs ?? 250
  const retryCap = options.retryMaxDelayMs ?? 4000
  const closing = new AbortController()
  const headers = {
    authorization: `Bearer ${options.apiKey}`,
    'content-type': 'application/json',
    accept: 'text/event-stream',
    'http-referer': headerSafe(options.appUrl),
    'x-title': headerSafe(options.appName),
    'x-openrouter-title': headerSafe(options.appName)
  }

  function payloadFor (req: LlmRequest): Record<string, unknown> {
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

  function stream (req: LlmRequest): LlmStream {
    const started = performance.now()
    const payload = payloadFor(req)
    const model = String(payload.model)
    const body = JSON.stringify(payload)
    const ctrl = new AbortController()
    const stop = (err: LlmError): void => { if (!ctrl.signal.aborted) ctrl.abort(err) }
    const timer = setTimeout(() => stop(new LlmError('llm_timeout', `no complete reply within ${options.timeoutMs} ms`)), options.timeoutMs)
    const onAbort = (): void => stop(new LlmError('llm_aborted', 'the request was aborted'))
    if (req.signal?.aborted === true) onAbort()
    req.signal?.addEventListener('abort', onAbort, { once: true })
    let state = newState()
    let attempts = 0
    const call = (): CallInfo => ({ model, request: req, payload, pricing: options.pricing, started, attempts })

    function failure (err: unknown): LlmError {
      return ctrl.signal.aborted ? toLlmError(ctrl.signal.reason) : toLlmError(err, secrets)
    }

    async function attempt (sink: DeltaSink): Promise<LlmError | null> {
      if (ctrl.signal.aborted) return failure(null)
      attempts++
      let res: Dispatcher.ResponseData
      try {
        res = await request(`${baseUrl}/chat/completions`, { method: 'POST', dispatcher, headers, body, signal: ctrl.signal })
      } catch (err) {
        return failure(err)
      }
      if (res.statusCode !== 200) {
        const text = await readCapped(res.body).catch(() => '')
        return httpError(res.statusCode, cleanMessage(upstreamMessage(text), secrets), parseRetryAfter(res.headers['retry-after']))
      }
      state.generationId = header(res.headers['x-generation-id'])
      try {
        await consume(res.body, (event) => applyEvent(state, event, (delta) => {
          state.ttftMs ??= performance.now() - started
          sink.push(delta)
        }, secrets))
      } catch (err) {
        return failure(err)
      }
      return state.streamError
    }

    function retryDelay (err: LlmError): number | null {
      const backoff = Math.min(retryBase * 2 ** (attempts - 1), retryCap)
      const wait = err.retryAfterMs ?? backoff + Math.random() * backoff * 0.2
      const left = options.timeoutMs - (performance.now() - started)
      return wait > retryCap || wait >= left ? null : wait
    }

    async function run (sink: DeltaSink): Promise<LlmOutcome> {
      let error: LlmError | null = null
      try {
        for (;;) {
          error = await attempt(sink)
          if (error === null || !error.retryable || sink.count > 0 || attempts > options.maxRetries) break
          const wait = retryDelay(error)
          if (wait === null) break
          options.log?.warn({ event: 'llm.retry', attempt: attempts, code: error.code, status: error.status, delay_ms: Math.round(wait) }, 'retrying LLM call')
          await sleep(wait, undefined, { signal: ctrl.signal }).catch(() => {})
          if (ctrl.signal.aborted) {
            error = failure(null)
            break
          }
          state = newState()
        }
      } finally {
        clearTimeout(timer)
        req.signal?.removeEventListener('abort', onAbort)
      }
      return buildOutcome(call(), state, error, sink.text())
    }

    return createDeltaStream({
      run,
      cancel: onAbort,
      crashed: (err, text) => buildOutcome(call(), state, toLlmError(err, secrets), text)
    })
  }

  return {
    provider: 'openrouter',
    model: options.model,
    stream,
    reconcile (generationId, delaysMs) {
      return reconcileGeneration({
        baseUrl,
        apiKey: options.apiKey,
        dispatcher,
        generationId,
        delaysMs: delaysMs ?? options.reconcileDelaysMs ?? DEFAULT_RECONCILE_DELAYS_MS,
        signal: closing.signal
      })
    },
    async close () {
      closing.abort()
      await owned?.close()
    }
  }
}

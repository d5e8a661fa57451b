// Pure: what one streamed chunk of an OpenRouter chat completion tells the call (ids, model, provider, usage, the
// text delta, the finish reason, an error), applied to the call's state. No I/O here.
import { cleanMessage, streamError, type LlmError, type UpstreamDetails } from './errors.ts'
import { costNumberToDecimal } from './money.ts'
import type { ReportedUsage } from './cost.ts'

export interface CallState {
  generationId: string | null
  responseModel: string | null
  providerName: string | null
  finishReason: string | null
  nativeFinishReason: string | null
  usage: Record<string, unknown> | null
  ttftMs: number | null
  streamError: LlmError | null
}

export function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function newState (): CallState {
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

/** An upstream error's own explanation (`metadata: { raw, provider_name }`), secrets removed, trimmed. */
export function upstreamDetails (error: Record<string, unknown>, secrets: string[]): UpstreamDetails {
  const metadata = isRecord(error.metadata) ? error.metadata : {}
  const raw = metadata.raw === undefined || metadata.raw === null ? null : typeof metadata.raw === 'string' ? metadata.raw : JSON.stringify(metadata.raw)
  const provider = typeof metadata.provider_name === 'string' ? metadata.provider_name : null
  return {
    ...(raw === null ? {} : { upstreamRaw: cleanMessage(raw, secrets) }),
    ...(provider === null ? {} : { upstreamProvider: cleanMessage(provider, secrets) })
  }
}

/** An error object arriving inside a 200 stream (`{ code, message, metadata }`) as an LlmError. */
export function upstreamError (error: Record<string, unknown>, secrets: string[]): LlmError {
  return streamError(error.code, cleanMessage(String(error.message ?? ''), secrets), upstreamDetails(error, secrets))
}

/**
 * Applies one event's data to the call; `out.emit` gets the text delta (a method, not a callback: no closure per call). True when the stream is over: an error object
 * arrived, at the chunk's top level or inside `choices[0]` (OpenRouter's "Error processing stream").
 */
export function applyChunk (state: CallState, data: string, out: { emit (delta: string): void }, secrets: string[]): boolean {
  let chunk: unknown
  try { chunk = JSON.parse(data) } catch { return false }
  if (!isRecord(chunk)) return false
  if (typeof chunk.id === 'string' && state.generationId === null) state.generationId = chunk.id
  // Every chunk repeats these: a fresh copy kept until the next chunk would outlive a scavenge for nothing.
  if (typeof chunk.model === 'string' && chunk.model !== state.responseModel) state.responseModel = chunk.model
  if (typeof chunk.provider === 'string' && chunk.provider !== state.providerName) state.providerName = chunk.provider
  if (isRecord(chunk.usage)) state.usage = chunk.usage
  const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : null
  const content = isRecord(choice?.delta) ? choice.delta.content : null
  // The text is kept once, by the delta stream, and joined at the end.
  if (typeof content === 'string' && content !== '') out.emit(content)
  if (typeof choice?.finish_reason === 'string') state.finishReason = choice.finish_reason
  if (typeof choice?.native_finish_reason === 'string') state.nativeFinishReason = choice.native_finish_reason
  const error = isRecord(chunk.error) ? chunk.error : isRecord(choice?.error) ? choice.error : null
  if (error === null) return false
  state.streamError = upstreamError(error, secrets)
  return true
}

/** The body of a non-200 answer: OpenRouter's error message and details when it is their JSON, else the text. */
export function httpErrorBody (text: string, secrets: string[]): { message: string, upstream: UpstreamDetails } {
  try {
    const json: unknown = JSON.parse(text)
    if (isRecord(json) && isRecord(json.error) && typeof json.error.message === 'string') {
      return { message: cleanMessage(json.error.message, secrets), upstream: upstreamDetails(json.error, secrets) }
    }
  } catch {}
  return { message: cleanMessage(text, secrets), upstream: {} }
}

function money (n: number): string | null {
  return Number.isFinite(n) ? costNumberToDecimal(n) : null
}

/** The usage chunk as stored: money as decimal strings. */
export function normalizedUsage (usage: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...usage }
  if (typeof usage.cost === 'number') out.cost = money(usage.cost)
  if (isRecord(usage.cost_details)) {
    out.cost_details = Object.fromEntries(Object.entries(usage.cost_details).map(([k, v]) =>
      [k, typeof v === 'number' ? money(v) : v]))
  }
  return out
}

/** The usage chunk's counts and cost, or null when it lacks the counts. */
export function reportedUsage (usage: Record<string, unknown> | null): ReportedUsage | null {
  if (usage === null || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return null
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : undefined,
    cost: typeof usage.cost === 'number' ? usage.cost : null
  }
}

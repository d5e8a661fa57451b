// The LLM client's public contract: routes and services code against these types, never against a provider.
import type { LlmConfig } from '../../infrastructure/config/schema.ts'

export type LlmProvider = LlmConfig['provider']
export type ChatRole = 'system' | 'user' | 'assistant'

export interface ChatMessage { role: ChatRole, content: string }

export interface LlmRequest {
  messages: ChatMessage[]
  signal?: AbortSignal
  model?: string
  maxTokens?: number
  temperature?: number
  responseFormat?: { type: 'json_object' }
}

export interface LlmUsage { prompt_tokens: number, completion_tokens: number, total_tokens: number }

export type CostSource = 'provider' | 'price_table' | 'estimated' | 'reconciled' | 'offline' | 'unknown'

export type LlmStatus = 'complete' | 'truncated' | 'error' | 'aborted'

export interface LlmErrorInfo {
  code: string
  message: string
  status: number | null
  retryable: boolean
  retryAfterMs?: number
  /** The upstream provider's own explanation (OpenRouter's `error.metadata.raw`), sanitized and trimmed. */
  upstreamRaw?: string
  /** Which provider failed (`error.metadata.provider_name`). */
  upstreamProvider?: string
}

/** What a call used and cost, and how the cost is known. */
export interface LlmCost {
  usage: LlmUsage
  usageEstimated: boolean
  /** USD, decimal string. */
  cost: string | null
  costSource: CostSource
  /** USD per token, decimal string. */
  unitCostPrompt: string | null
  unitCostCompletion: string | null
}

export interface LlmOutcome extends LlmCost {
  provider: LlmProvider
  /** Requested model id. */
  model: string
  /** Model reported by the stream (may be a routed variant of the requested one). */
  responseModel: string | null
  generationId: string | null
  status: LlmStatus
  finishReason: string | null
  /** Every delta joined. */
  text: string
  /** Request start → stream end. */
  latencyMs: number
  /** Request start → first delta. */
  ttftMs: number | null
  attempts: number
  error: LlmErrorInfo | null
  /** The payload as sent, without secrets (no key, no auth header). */
  requestBody: Record<string, unknown>
  /** { id, model, provider, finish_reason, usage, error, cost_source, usage_estimated, … } */
  responseBody: Record<string, unknown>
}

/**
 * Iterating yields text deltas; iteration ends normally on success AND on failure (it never throws);
 * `outcome` resolves (never rejects) once the stream is over. Breaking out of the loop early aborts the upstream call.
 */
export interface LlmStream extends AsyncIterable<string> {
  readonly outcome: Promise<LlmOutcome>
  /**
   * The other way to consume it, for long streams: `onDelta` is called with the deltas so far, then with each one as
   * it arrives, with no promise per delta; resolves once the stream is over. A throw in `onDelta` aborts the upstream
   * call and rejects. One consumer per stream.
   */
  forEach (onDelta: (delta: string) => void): Promise<void>
}

export interface ReconciledUsage {
  promptTokens: number
  completionTokens: number
  totalTokens: number
  cost: string | null
  finishReason: string | null
  cancelled: boolean | null
  providerName: string | null
}

export interface LlmClient {
  readonly provider: LlmProvider
  readonly model: string
  stream (request: LlmRequest): LlmStream
  /** `delaysMs`: llm.reconcile_delays_ms, the waits between looks at the generation record. */
  reconcile (generationId: string, delaysMs: number[]): Promise<ReconciledUsage | null>
  close (): Promise<void>
}

type LogFn = (obj: object, msg?: string) => void
/** The slice of a pino logger the client uses; it never logs message text. */
export interface LlmLogger { debug: LogFn, info: LogFn, warn: LogFn }

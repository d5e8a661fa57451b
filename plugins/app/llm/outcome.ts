// Pure: the one outcome a call ends in, from its state, the error that stopped it (if any) and the text it produced.
import { computeCost } from './cost.ts'
import { LlmError, streamError } from './errors.ts'
import { normalizedUsage, reportedUsage, type CallState } from './chunk.ts'
import type { Pricing } from '../../infrastructure/config/schema.ts'
import type { LlmOutcome, LlmRequest, LlmStatus } from './types.ts'

export interface CallInfo {
  model: string
  request: LlmRequest
  payload: Record<string, unknown>
  pricing: Pricing | undefined
  attempts: number
  latencyMs: number
}

export function finalError (state: CallState, raw: LlmError | null): LlmError | null {
  const { finishReason } = state
  // Once a real finish_reason arrived the reply is whole: a later abort, timeout or reset changes nothing.
  const ended = finishReason !== null && finishReason !== 'error'
  if (raw !== null && !(ended && raw.code !== 'llm_stream_error')) return raw
  if (finishReason === null) return new LlmError('llm_truncated', 'the stream ended without a finish_reason')
  if (finishReason === 'error') return streamError(null, 'the stream finished with finish_reason "error"')
  return null
}

export function statusOf (error: LlmError | null): LlmStatus {
  if (error === null) return 'complete'
  if (error.code === 'llm_aborted') return 'aborted'
  return error.code === 'llm_truncated' ? 'truncated' : 'error'
}

export function buildOutcome (info: CallInfo, state: CallState, raw: LlmError | null, text: string): LlmOutcome {
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
    latencyMs: Math.round(info.latencyMs),
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

// Turns an LLM outcome into its llm_requests row. The row keeps no message text (only which messages were sent,
// by id and length) and no secret: the conversation lives in messages, once.
import { createHash } from 'node:crypto'
import type { ChatMessage, LlmOutcome } from '../llm/types.ts'
import type { LlmRequestValues } from '../../../db/repositories/llm-requests.ts'

/** A message as sent to the LLM; `messageId` when it is a stored message. */
export interface SentMessage extends ChatMessage { messageId?: string }

export type LlmPurpose = 'chat' | 'profile_extraction'

export interface RowContext {
  sessionId: string
  sent: SentMessage[]
  purpose: LlmPurpose
  humanMessageId?: string
}

function describeSent (sent: SentMessage[]) {
  return sent.map((m) => m.messageId
    ? { role: m.role, message_id: m.messageId, chars: m.content.length }
    : { role: m.role, chars: m.content.length, sha256: createHash('sha256').update(m.content).digest('hex').slice(0, 16) })
}

export function llmRequestRow (outcome: LlmOutcome, context: RowContext): LlmRequestValues {
  const { messages: _messages, ...payload } = outcome.requestBody
  return {
    session_id: context.sessionId,
    provider: outcome.provider,
    model: outcome.model,
    request_body: {
      ...payload,
      messages: describeSent(context.sent),
      metadata: { purpose: context.purpose, ...(context.humanMessageId ? { human_message_id: context.humanMessageId } : {}) }
    },
    response_body: {
      ...outcome.responseBody,
      status: outcome.status,
      attempts: outcome.attempts,
      ttft_ms: outcome.ttftMs,
      cost_source: outcome.costSource,
      usage_estimated: outcome.usageEstimated
    },
    prompt_tokens: outcome.usage.prompt_tokens,
    completion_tokens: outcome.usage.completion_tokens,
    total_tokens: outcome.usage.total_tokens,
    unit_cost_prompt: outcome.unitCostPrompt,
    unit_cost_completion: outcome.unitCostCompletion,
    computed_cost: outcome.cost,
    latency_ms: Math.round(outcome.latencyMs)
  }
}

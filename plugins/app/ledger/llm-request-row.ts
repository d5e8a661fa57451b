// Turns an LLM outcome into its llm_requests row. The row keeps no message text (only which messages were sent,
// by id and length) and no secret: the conversation lives in messages, once.
import { createHash } from 'node:crypto'
import type { ChatMessage, LlmOutcome } from '../llm/types.ts'
import type { ProfileField } from '../../../db/types.ts'
import type { LlmRequestValues } from '../../../db/repositories/llm-requests.ts'

/** A message as sent to the LLM; `messageId` when it is a stored message. */
export interface SentMessage extends ChatMessage {
  messageId?: string
  /** The memory system message (SPEC §11): recorded by its field names, length and hash, never its values. */
  memoryFields?: ProfileField[]
}

export type LlmPurpose = 'chat' | 'profile_extraction'

export interface RowContext {
  sessionId: string
  sent: SentMessage[]
  purpose: LlmPurpose
  humanMessageId?: string
}

const hashOf = (content: string): string => createHash('sha256').update(content).digest('hex').slice(0, 16)

function describeSent (sent: SentMessage[]) {
  return sent.map((m) => {
    if (m.messageId !== undefined) return { role: m.role, message_id: m.messageId, chars: m.content.length }
    if (m.memoryFields !== undefined) return { role: m.role, kind: 'memory', fields: m.memoryFields, chars: m.content.length, sha256: hashOf(m.content) }
    return { role: m.role, chars: m.content.length, sha256: hashOf(m.content) }
  })
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

// Shapes a finished turn for the wire: the usage object and the error event shared by POST /chat and the stream.
import type { Static } from '@sinclair/typebox'
import type { TurnResult } from '../../plugins/app/chat/turn-service.ts'
import type { StreamEndSchema, TurnErrorSchema, UsageSchema } from './schemas/chat.ts'

export function usageBody (result: TurnResult): Static<typeof UsageSchema> {
  return result.usage
}

export function streamEndBody (result: TurnResult): Static<typeof StreamEndSchema> {
  return { status: result.status, message_id: result.reply?.id ?? null, usage: usageBody(result) }
}

export function turnErrorBody (result: TurnResult): Static<typeof TurnErrorSchema> {
  const upstream = result.error?.message ? `: ${result.error.message.slice(0, 300)}` : ''
  return {
    code: 'llm_error',
    message: `The assistant could not answer${upstream}`,
    upstream_code: result.error?.code ?? null,
    message_id: result.reply?.id ?? null
  }
}

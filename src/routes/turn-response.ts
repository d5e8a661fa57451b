// Shapes a finished turn for the wire: the usage object and the error event shared by POST /chat and the stream.
import type { Static } from '@sinclair/typebox'
import type { TurnResult } from '../../plugins/app/chat/turn-service.ts'
import { Errors } from '../../plugins/infrastructure/errors/error-classes.ts'
import { publicCode } from '../../plugins/infrastructure/errors.ts'
import type { StreamEndSchema, TurnErrorSchema, UsageSchema } from './schemas/chat.ts'

export function usageBody (result: TurnResult): Static<typeof UsageSchema> {
  return result.usage
}

export function streamEndBody (result: TurnResult): Static<typeof StreamEndSchema> {
  return { status: result.status, message_id: result.reply?.id ?? null, usage: usageBody(result) }
}

/** A turn the LLM failed: the 502 of POST /chat. */
export function turnError (result: TurnResult) {
  return new Errors.LlmFailed(result.error?.message ? `: ${result.error.message.slice(0, 300)}` : '')
}

/** The stream's `error` event: the same code and message as the 502, and which reply it cut. */
export function turnErrorBody (result: TurnResult): Static<typeof TurnErrorSchema> {
  const error = turnError(result)
  return {
    code: publicCode(error.code),
    message: error.message,
    upstream_code: result.error?.code ?? null,
    message_id: result.reply?.id ?? null
  }
}

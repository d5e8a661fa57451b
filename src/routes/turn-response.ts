// Shapes a finished turn for the wire: the usage object and the error event shared by POST /chat and the stream.
import type { TurnResult } from '../../plugins/app/chat/turn-service.ts'

export function usageBody (result: TurnResult) {
  return { ...result.usage, cost: result.usage.cost }
}

export function turnErrorBody (result: TurnResult) {
  const upstream = result.error?.message ? `: ${result.error.message.slice(0, 300)}` : ''
  return {
    code: 'llm_error',
    message: `The assistant could not answer${upstream}`,
    upstream_code: result.error?.code ?? null,
    message_id: result.reply?.id ?? null
  }
}

// One streamed reply over EventSource (GET /events/stream). Exactly one of onEnd / onError is called,
// and the EventSource is closed before it, so the browser never reconnects and re-sends the message.
import type { StreamEnd } from './types.ts'

export interface StreamFailure {
  code: string
  message: string
  retryAfter: number | null
  /** True when the connection broke rather than the server reporting an error. */
  connection: boolean
}

export interface StreamHandlers {
  onDelta: (text: string) => void
  onEnd: (end: StreamEnd) => void
  onError: (failure: StreamFailure) => void
}

export interface ReplyStream {
  /** Closes the stream without calling onEnd or onError (the visitor pressed Stop). */
  close: () => void
}

export function streamUrl (message: string, clientMessageId: string): string {
  return '/events/stream?message=' + encodeURIComponent(message) +
    '&client_message_id=' + encodeURIComponent(clientMessageId)
}

function parseJson (data: unknown): Record<string, unknown> {
  if (typeof data !== 'string') return {}
  try {
    const value: unknown = JSON.parse(data)
    return typeof value === 'object' && value !== null ? value as Record<string, unknown> : {}
  } catch {
    return {}
  }
}

export function openReplyStream (message: string, clientMessageId: string, handlers: StreamHandlers): ReplyStream {
  const source = new EventSource(streamUrl(message, clientMessageId))
  let finished = false
  let received = false

  const finish = (): boolean => {
    if (finished) return false
    finished = true
    source.close()
    return true
  }

  source.onmessage = (event: MessageEvent<string>) => {
    if (finished) return
    received = true
    handlers.onDelta(event.data)
  }

  source.addEventListener('end', (event: MessageEvent<string>) => {
    if (!finish()) return
    const data = parseJson(event.data)
    const status = data.status === 'partial' || data.status === 'error' ? data.status : 'complete'
    handlers.onEnd({
      status,
      message_id: typeof data.message_id === 'string' ? data.message_id : '',
      usage: (data.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost: null }) as StreamEnd['usage']
    })
  })

  // The same 'error' type carries both the server's `event: error` (a MessageEvent with data)
  // and EventSource's own connection failure (a plain Event).
  source.addEventListener('error', (event: Event) => {
    if (!finish()) return
    if (event instanceof MessageEvent && typeof event.data === 'string') {
      const data = parseJson(event.data)
      const retryAfter = Number(data.retry_after)
      handlers.onError({
        code: typeof data.code === 'string' ? data.code : 'stream_error',
        message: typeof data.message === 'string' ? data.message : '',
        retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
        connection: false
      })
      return
    }
    handlers.onError({
      code: received ? 'connection_lost' : 'connection_failed',
      message: '',
      retryAfter: null,
      connection: true
    })
  })

  return { close: () => { finish() } }
}

// One turn at a time: show the human message, stream (or POST) the reply, and offer Stop and Retry.
// A retry resends the same text with the same client_message_id, which the server treats as idempotent.
import { ApiError, postChat } from './api.ts'
import type { Composer } from './composer.ts'
import type { Diagnostics } from './diagnostics.ts'
import type { MemoryPanel } from './memory-panel.ts'
import { background, newClientMessageId } from './dom.ts'
import { formatWait } from './format.ts'
import type { AssistantView, ErrorBanner, MessageList } from './message-list.ts'
import { openReplyStream, streamUrl } from './stream.ts'
import type { UiConfig } from './types.ts'

// Longer URLs risk the server's header size limit (Node's default is 16 KiB); such messages go by POST.
const MAX_STREAM_URL_LENGTH = 8000

export interface Chat {
  send: (text: string) => boolean
  stop: () => void
}

export interface ChatOptions {
  ui: UiConfig
  list: MessageList
  composer: Composer
  diagnostics: Diagnostics | null
  /** After each turn ends (a fact the visitor gave may change what the session offers). */
  onTurnEnd?: () => void
  /** Refreshed after each turn, so an open "What we know about you" shows what the message taught. */
  memory: MemoryPanel
}

interface Turn {
  readonly text: string
  readonly clientMessageId: string
  readonly human: HTMLElement
  /** Where the next attempt's reply goes: after the human message, or after a reply an error cut short. */
  after: HTMLElement
  banner?: ErrorBanner
}

interface Failure {
  status: number | null
  code: string
  message: string
  retryAfter: number | null
}

function toFailure (err: unknown): Failure {
  if (err instanceof ApiError) {
    return { status: err.status, code: err.code, message: err.message, retryAfter: err.retryAfter }
  }
  return { status: null, code: 'client_error', message: '', retryAfter: null }
}

export function describeFailure (failure: Failure): string {
  const { status, code, message, retryAfter } = failure
  if (status === 429 || code === 'rate_limited') {
    const wait = retryAfter === null ? 'a moment' : formatWait(retryAfter)
    return `You’re sending messages a little quickly. Please wait ${wait} and try again.`
  }
  if (status === 409 || code === 'turn_in_progress') {
    return 'That message is still being answered. Please try again in a moment.'
  }
  if (code === 'network_error') return 'Couldn’t reach the server. Check your connection and try again.'
  if (code === 'connection_failed') return 'Couldn’t connect to the assistant. Please try again.'
  if (code === 'connection_lost') return 'The connection dropped before the reply finished.'
  // The server's text for an LLM failure carries the provider's words, which mean nothing to a visitor.
  if (code === 'llm_error' || status === 502) return 'The assistant couldn’t answer just now. Please try again.'
  if (message !== '') return message
  return 'Something went wrong on our side. Please try again.'
}

export function createChat ({ ui, list, composer, diagnostics, memory, onTurnEnd }: ChatOptions): Chat {
  let active: { stop: () => void } | null = null

  function finish (): void {
    active = null
    composer.setBusy(false)
    list.setBusy(false)
    if (diagnostics !== null) background(diagnostics.refresh())
    onTurnEnd?.()
    background(memory.refresh())
  }

  function fail (turn: Turn, view: AssistantView, failure: Failure): void {
    let text = describeFailure(failure)
    if (view.source() !== '') {
      // Keep what arrived, marked as interrupted, as the history will show it; the human message was evidently
      // saved. A retry asks for a new reply, which goes after this one (as it will after a reload).
      view.setStatus('error')
      turn.human.dataset.status = 'sent'
      turn.after = view.el
      if (failure.code === 'llm_error' || failure.code === 'stream_error') {
        text = 'The reply was cut off before it finished. Please try again.'
      }
    } else {
      view.el.remove()
      turn.human.dataset.status = 'failed'
    }
    turn.banner = list.showError(turn.after, text, () => { retry(turn) })
    finish()
  }

  function stream (turn: Turn, view: AssistantView): void {
    const replyStream = openReplyStream(turn.text, turn.clientMessageId, {
      onDelta (delta) {
        if (view.status() === 'pending') {
          view.setStatus('streaming')
          turn.human.dataset.status = 'sent'
        }
        view.append(delta)
      },
      onEnd (end) {
        view.setMessageId(end.message_id)
        view.setStatus(end.status)
        turn.human.dataset.status = 'sent'
        finish()
      },
      onError (failure) {
        // EventSource cannot read a refused request's status or body (429 + Retry-After, 400, 403…).
        // Nothing was received, so resend the same turn by POST: the client_message_id makes it
        // idempotent, and its answer is either the reply or an error we can explain.
        if (failure.code === 'connection_failed') post(turn, view)
        else fail(turn, view, { status: null, ...failure })
      }
    })
    active = {
      stop () {
        replyStream.close()
        view.setStatus('partial')
        // The server has the message (it answers it in full or in part, as configured), even if no text came yet.
        turn.human.dataset.status = 'sent'
        finish()
      }
    }
  }

  function post (turn: Turn, view: AssistantView): void {
    const controller = new AbortController()
    active = {
      stop () {
        controller.abort()
        view.setStatus('partial')
        finish()
      }
    }
    postChat(turn.text, turn.clientMessageId, controller.signal).then((reply) => {
      if (controller.signal.aborted) return
      view.setSource(reply.reply)
      view.setMessageId(reply.message_id)
      view.setStatus('complete')
      turn.human.dataset.status = 'sent'
      if (reply.human_message_id) turn.human.dataset.messageId = reply.human_message_id
      finish()
    }, (err: unknown) => {
      if (controller.signal.aborted) return
      fail(turn, view, toFailure(err))
    })
  }

  function run (turn: Turn): void {
    turn.banner?.remove()
    turn.banner = undefined
    turn.human.dataset.status = 'sending'
    const view = list.appendAssistant(turn.after)
    composer.setBusy(true)
    list.setBusy(true)
    const useStream = ui.sse_enabled &&
      streamUrl(turn.text, turn.clientMessageId).length <= MAX_STREAM_URL_LENGTH
    if (useStream) stream(turn, view)
    else post(turn, view)
  }

  function retry (turn: Turn): void {
    if (active !== null) return
    run(turn)
    composer.focus()
  }

  return {
    send (text) {
      if (active !== null) return false
      const human = list.appendHuman(text)
      const turn: Turn = { text, clientMessageId: newClientMessageId(), human, after: human }
      run(turn)
      return true
    },
    stop () {
      active?.stop()
    }
  }
}

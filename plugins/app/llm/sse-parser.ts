// Server-Sent Events in, events out, over eventsource-parser (the WHATWG rules, kept by others): bytes as they arrive,
// split anywhere, even inside a UTF-8 character; `[DONE]` (OpenRouter's last event) as its own kind.
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser'

export type SseEvent =
  | { type: 'message', event: string, data: string, id: string | null }
  | { type: 'done' }

export interface SseParser {
  /** Feed one chunk (any size, split anywhere, even inside a UTF-8 character); returns the events it completed. */
  push (chunk: Uint8Array | string): SseEvent[]
  /** The body ended: flush what is pending (a last event without its blank line still counts). */
  end (): SseEvent[]
}

function toEvent (message: EventSourceMessage): SseEvent {
  return message.data === '[DONE]'
    ? { type: 'done' }
    : { type: 'message', event: message.event ?? 'message', data: message.data, id: message.id ?? null }
}

/** A class, not closures: one object per stream (thousands open at once), its methods shared. */
class LibrarySseParser implements SseParser {
  private readonly decoder = new TextDecoder('utf-8')
  private readonly parser: EventSourceParser
  private out: SseEvent[] = []

  constructor () {
    this.parser = createParser({ onEvent: (message) => { this.out.push(toEvent(message)) } })
  }

  push (chunk: Uint8Array | string): SseEvent[] {
    this.parser.feed(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }))
    return this.take()
  }

  end (): SseEvent[] {
    // Lenient at EOF: the line breaks a cut body lacks end its last line and dispatch its last event.
    this.parser.feed(`${this.decoder.decode()}\n\n`)
    return this.take()
  }

  private take (): SseEvent[] {
    if (this.out.length === 0) return []
    const events = this.out
    this.out = []
    return events
  }
}

export function createSseParser (): SseParser {
  return new LibrarySseParser()
}

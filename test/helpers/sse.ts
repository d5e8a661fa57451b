// Parses a text/event-stream body the way a browser's EventSource does (data lines joined with \n), with
// eventsource-parser.
import { createParser } from 'eventsource-parser'

export interface SseEvent { event: string, data: string }

export function parseSse (body: string): SseEvent[] {
  const events: SseEvent[] = []
  const parser = createParser({ onEvent: (message) => { events.push({ event: message.event ?? 'message', data: message.data }) } })
  // The blank line a cut body lacks, so its last event still counts.
  parser.feed(`${body}\n\n`)
  return events
}

/** The streamed text (unnamed events) and the closing event of a stream. */
export function streamOutcome (body: string) {
  const events = parseSse(body)
  const text = events.filter((e) => e.event === 'message').map((e) => e.data).join('')
  const last = events.at(-1)
  return { text, events, end: last?.event === 'end' ? JSON.parse(last.data) : null, error: last?.event === 'error' ? JSON.parse(last.data) : null }
}

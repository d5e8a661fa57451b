// Parses a text/event-stream body the way a browser's EventSource does (data lines joined with \n).
export interface SseEvent { event: string, data: string }

export function parseSse (body: string): SseEvent[] {
  const events: SseEvent[] = []
  for (const block of body.split(/\r?\n\r?\n/)) {
    let event = 'message'
    const data: string[] = []
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':') || line === '') continue
      const colon = line.indexOf(':')
      const field = colon === -1 ? line : line.slice(0, colon)
      let value = colon === -1 ? '' : line.slice(colon + 1)
      if (value.startsWith(' ')) value = value.slice(1)
      if (field === 'event') event = value
      if (field === 'data') data.push(value)
    }
    if (data.length) events.push({ event, data: data.join('\n') })
  }
  return events
}

/** The streamed text (unnamed events) and the closing event of a stream. */
export function streamOutcome (body: string) {
  const events = parseSse(body)
  const text = events.filter((e) => e.event === 'message').map((e) => e.data).join('')
  const last = events.at(-1)
  return { text, events, end: last?.event === 'end' ? JSON.parse(last.data) : null, error: last?.event === 'error' ? JSON.parse(last.data) : null }
}

// Incremental Server-Sent Events parser: bytes in as they arrive, complete events out, nothing buffered beyond
// the current line and the event being assembled.
export type SseEvent =
  | { type: 'message', event: string, data: string, id: string | null }
  | { type: 'done' }

export interface SseParser {
  /** Feed one chunk (any size, split anywhere, even inside a UTF-8 character); returns the events it completed. */
  push (chunk: Uint8Array | string): SseEvent[]
  /** The body ended: flush what is pending. */
  end (): SseEvent[]
}

const LINE_BREAK = /\r\n?|\n/g

export function createSseParser (): SseParser {
  const decoder = new TextDecoder('utf-8')
  let buffer = ''
  let skipLf = false
  let data: string[] = []
  let eventName = ''
  let lastId: string | null = null

  function dispatch (out: SseEvent[]): void {
    const name = eventName
    eventName = ''
    if (data.length === 0) return
    const joined = data.join('\n')
    data = []
    out.push(joined === '[DONE]' ? { type: 'done' } : { type: 'message', event: name || 'message', data: joined, id: lastId })
  }

  function line (text: string, out: SseEvent[]): void {
    if (text === '') return dispatch(out)
    if (text.charCodeAt(0) === 58) return // ':' starts a comment, e.g. ': OPENROUTER PROCESSING'
    const colon = text.indexOf(':')
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? '' : text.slice(colon + 1)
    if (value.charCodeAt(0) === 32) value = value.slice(1)
    if (field === 'data') data.push(value)
    else if (field === 'event') eventName = value
    else if (field === 'id' && !value.includes('\0')) lastId = value
  }

  function feed (text: string): SseEvent[] {
    const out: SseEvent[] = []
    if (text === '') return out
    let start = 0
    // A chunk that ended in '\r' may be followed by the '\n' of the same line break.
    if (skipLf && buffer === '' && text.charCodeAt(0) === 10) start = 1
    skipLf = false
    const scan = start === 0 ? buffer + text : text.slice(start)
    LINE_BREAK.lastIndex = 0
    let from = 0
    for (let m = LINE_BREAK.exec(scan); m !== null; m = LINE_BREAK.exec(scan)) {
      line(scan.slice(from, m.index), out)
      from = m.index + m[0].length
      if (m[0] === '\r' && from === scan.length) skipLf = true
    }
    buffer = scan.slice(from)
    return out
  }

  return {
    push (chunk) {
      return feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))
    },
    end () {
      const out = feed(decoder.decode())
      // Lenient at EOF: a last line without its line break, and an event without its blank line, still count.
      if (buffer !== '') line(buffer, out)
      buffer = ''
      dispatch(out)
      return out
    }
  }
}

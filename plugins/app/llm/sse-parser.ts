// Incremental Server-Sent Events parser: bytes in as they arrive, complete events out, nothing buffered beyond
// the current line and the event being assembled. Written here rather than taken from eventsource-parser (which the
// test helpers and the benchmarks use): with it the server peaked at 314 MB RSS in bench/streams.ts (2,000 streams,
// target ≤ 300 MB) against 272 MB with this one, same sitting (bench/FINDINGS.md).
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

/** A class, not closures: one object per stream (thousands open at once), its methods shared. */
class IncrementalSseParser implements SseParser {
  private readonly decoder = new TextDecoder('utf-8')
  private buffer = ''
  private skipLf = false
  private readonly data: string[] = []
  private eventName = ''
  private lastId: string | null = null

  push (chunk: Uint8Array | string): SseEvent[] {
    return this.feed(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }))
  }

  end (): SseEvent[] {
    const out = this.feed(this.decoder.decode())
    // Lenient at EOF: a last line without its line break, and an event without its blank line, still count.
    if (this.buffer !== '') this.line(this.buffer, out)
    this.buffer = ''
    this.dispatch(out)
    return out
  }

  private dispatch (out: SseEvent[]): void {
    const name = this.eventName
    this.eventName = ''
    if (this.data.length === 0) return
    const joined = this.data.length === 1 ? this.data[0]! : this.data.join('\n')
    // Emptied, not replaced: the parser lives in the old generation, so a fresh array per event came from an
    // allocation site V8 pretenured, and each dead one kept its line (and the whole chunk it was sliced from) alive
    // through scavenges until the next full GC: ~2 MB/s of old space with 2,000 streams open.
    this.data.length = 0
    out.push(joined === '[DONE]' ? { type: 'done' } : { type: 'message', event: name || 'message', data: joined, id: this.lastId })
  }

  private line (text: string, out: SseEvent[]): void {
    if (text === '') return this.dispatch(out)
    if (text.charCodeAt(0) === 58) return // ':' starts a comment, e.g. ': OPENROUTER PROCESSING'
    const colon = text.indexOf(':')
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? '' : text.slice(colon + 1)
    if (value.charCodeAt(0) === 32) value = value.slice(1)
    if (field === 'data') this.data.push(value)
    else if (field === 'event') this.eventName = value
    else if (field === 'id' && !value.includes('\0')) this.lastId = value
  }

  private feed (text: string): SseEvent[] {
    const out: SseEvent[] = []
    if (text === '') return out
    let start = 0
    // A chunk that ended in '\r' may be followed by the '\n' of the same line break.
    if (this.skipLf && this.buffer === '' && text.charCodeAt(0) === 10) start = 1
    this.skipLf = false
    const scan = start === 0 ? this.buffer + text : text.slice(start)
    LINE_BREAK.lastIndex = 0
    let from = 0
    for (let m = LINE_BREAK.exec(scan); m !== null; m = LINE_BREAK.exec(scan)) {
      this.line(scan.slice(from, m.index), out)
      from = m.index + m[0].length
      if (m[0] === '\r' && from === scan.length) this.skipLf = true
    }
    this.buffer = scan.slice(from)
    return out
  }
}

export function createSseParser (): SseParser {
  return new IncrementalSseParser()
}

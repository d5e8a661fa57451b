import t from 'tap'
import { createSseParser, type SseEvent } from '../../../../plugins/app/llm/sse-parser.ts'

function parseAll (chunks: Array<Uint8Array | string>): SseEvent[] {
  const parser = createSseParser()
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.end()]
}

function data (events: SseEvent[]): string[] {
  return events.map((e) => e.type === 'done' ? '[DONE]' : e.data)
}

t.test('parses several events in one chunk, and [DONE]', async (t) => {
  const events = parseAll(['data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n'])
  t.same(events, [
    { type: 'message', event: 'message', data: '{"a":1}', id: null },
    { type: 'message', event: 'message', data: '{"b":2}', id: null },
    { type: 'done' }
  ])
})

t.test('an event split across chunks is emitted only once complete', async (t) => {
  const parser = createSseParser()
  t.same(parser.push('da'), [])
  t.same(parser.push('ta: hel'), [])
  t.same(parser.push('lo\n'), [])
  t.same(data(parser.push('\n')), ['hello'])
})

t.test('every split point of a stream gives the same events', async (t) => {
  const text = 'data: one\r\n\r\n: OPENROUTER PROCESSING\r\n\r\ndata: two\n\ndata: [DONE]\n\n'
  for (let i = 0; i <= text.length; i++) {
    t.same(data(parseAll([text.slice(0, i), text.slice(i)])), ['one', 'two', '[DONE]'], `split at ${i}`)
  }
})

t.test('\\r\\n, \\r and \\n line endings, including a \\r\\n split between chunks', async (t) => {
  t.same(data(parseAll(['data: a\r\n\r\ndata: b\r\rdata: c\n\n'])), ['a', 'b', 'c'])
  t.same(data(parseAll(['data: a\r', '\n\r', '\ndata: b\r\n', '\r\n'])), ['a', 'b'])
})

t.test('multi-line data fields are joined with \\n', async (t) => {
  t.same(data(parseAll(['data: line one\ndata: line two\ndata:\ndata:  indented\n\n'])), ['line one\nline two\n\n indented'])
})

t.test('comment lines are skipped, alone or between fields', async (t) => {
  const events = parseAll([': OPENROUTER PROCESSING\n\n', 'data: x\n: comment\ndata: y\n\n', ':\n\n'])
  t.same(data(events), ['x\ny'])
})

t.test('event and id fields are kept; other fields ignored', async (t) => {
  const events = parseAll(['event: end\nid: 7\nretry: 100\nfoo: bar\ndata: {}\n\n'])
  t.same(events, [{ type: 'message', event: 'end', data: '{}', id: '7' }])
})

t.test('a multi-byte UTF-8 character split across byte chunks is not corrupted', async (t) => {
  const bytes = Buffer.from('data: héllo — 日本語 🎉\n\n', 'utf8')
  for (let size = 1; size <= 5; size++) {
    const chunks: Uint8Array[] = []
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
    t.same(data(parseAll(chunks)), ['héllo — 日本語 🎉'], `slices of ${size}`)
  }
})

t.test('at the end of the body a last event without its blank line still counts', async (t) => {
  t.same(data(parseAll(['data: a\n\ndata: b\n'])), ['a', 'b'])
  t.same(data(parseAll(['data: a\n\ndata: b'])), ['a', 'b'])
  t.same(data(parseAll([''])), [])
})

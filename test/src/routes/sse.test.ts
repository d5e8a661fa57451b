import t from 'tap'
import { sseEvent } from '../../../src/routes/sse.ts'

t.test('one line is one data field; a named event comes first', async (t) => {
  t.equal(sseEvent('Hello'), 'data: Hello\n\n')
  t.equal(sseEvent(' spaced '), 'data:  spaced \n\n')
  t.equal(sseEvent(''), 'data: \n\n')
  t.equal(sseEvent('{"a":1}', 'end'), 'event: end\ndata: {"a":1}\n\n')
  t.equal(sseEvent('x', ''), 'data: x\n\n', 'an empty event name is no name')
})

t.test('every kind of line break splits the payload into data fields', async (t) => {
  t.equal(sseEvent('a\nb'), 'data: a\ndata: b\n\n')
  t.equal(sseEvent('a\r\nb\rc'), 'data: a\ndata: b\ndata: c\n\n')
  t.equal(sseEvent('\n'), 'data: \ndata: \n\n')
  t.equal(sseEvent('a\n', 'error'), 'event: error\ndata: a\ndata: \n\n')
})

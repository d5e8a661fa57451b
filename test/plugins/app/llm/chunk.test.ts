import t from 'tap'
import { applyChunk, httpErrorBody, newState, normalizedUsage, reportedUsage } from '../../../../plugins/app/llm/chunk.ts'

const SECRET = 'sk-or-v1-secret-0123456789'

function apply (...chunks: unknown[]) {
  const state = newState()
  const deltas: string[] = []
  const ends = chunks.map((chunk) => applyChunk(state, typeof chunk === 'string' ? chunk : JSON.stringify(chunk), { emit: (d) => deltas.push(d) }, [SECRET]))
  return { state, deltas, ends }
}

t.test('a content chunk emits its delta and keeps the id, model and provider of the stream', async (t) => {
  const { state, deltas, ends } = apply(
    { id: 'gen-1', model: 'm/a', provider: 'P', choices: [{ delta: { content: 'Hel' } }] },
    { id: 'gen-2', model: 'm/a', provider: 'P', choices: [{ delta: { content: '' } }] },
    { id: 'gen-2', choices: [{ delta: { content: 'lo' }, finish_reason: 'stop', native_finish_reason: 'end_turn' }] }
  )
  t.same(deltas, ['Hel', 'lo'], 'empty deltas are not emitted')
  t.same(ends, [false, false, false])
  t.equal(state.generationId, 'gen-1', 'the first id is kept')
  t.equal(state.responseModel, 'm/a')
  t.equal(state.providerName, 'P')
  t.equal(state.finishReason, 'stop')
  t.equal(state.nativeFinishReason, 'end_turn')
  t.equal(state.streamError, null)
})

t.test('data that is not a JSON object is skipped', async (t) => {
  const { state, deltas, ends } = apply('not json', '[1,2]', 'null')
  t.same(deltas, [])
  t.same(ends, [false, false, false])
  t.same(state, newState())
})

t.test('the usage chunk is kept whole', async (t) => {
  const usage = { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, cost: 0.0001 }
  const { state } = apply({ choices: [], usage })
  t.same(state.usage, usage)
})

t.test('a top-level error ends the stream with its code, message and upstream explanation, secrets removed', async (t) => {
  const { state, ends } = apply({
    error: { code: 502, message: `Provider returned error for key ${SECRET}`, metadata: { raw: `upstream said no (Bearer ${SECRET})`, provider_name: 'Groq' } }
  })
  t.same(ends, [true])
  t.match(state.streamError?.toInfo(), { code: 'llm_stream_error', status: 502, retryable: true, upstreamProvider: 'Groq' })
  t.notMatch(state.streamError?.message, SECRET)
  t.match(state.streamError?.toInfo().upstreamRaw, /^upstream said no \(Bearer \[redacted\]/)
})

t.test('an error inside choices[0] with finish_reason "error" is kept and, for a 5xx, retryable', async (t) => {
  const { state, ends } = apply({
    id: 'gen-9',
    choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error', error: { code: 502, message: 'Error processing stream' } }]
  })
  t.same(ends, [true])
  t.equal(state.finishReason, 'error')
  t.match(state.streamError?.toInfo(), { code: 'llm_stream_error', status: 502, retryable: true })
  t.match(state.streamError?.message, /Error processing stream/)
})

t.test('an upstream raw explanation that is not a string is kept as JSON, trimmed', async (t) => {
  const { state } = apply({ error: { code: 'server_error', message: 'x', metadata: { raw: { detail: 'y'.repeat(2000) } } } })
  const raw = state.streamError?.toInfo().upstreamRaw ?? ''
  t.match(raw, /^\{"detail":"y+/)
  t.ok(raw.length <= 500, 'trimmed')
  t.equal(state.streamError?.status, null)
  t.equal(state.streamError?.retryable, false)
})

t.test('an HTTP error body: OpenRouter JSON gives its message and details, anything else is the text', async (t) => {
  const json = httpErrorBody(JSON.stringify({ error: { code: 429, message: 'slow down', metadata: { raw: 'rate limited upstream', provider_name: 'Together' } } }), [])
  t.same(json, { message: 'slow down', upstream: { upstreamRaw: 'rate limited upstream', upstreamProvider: 'Together' } })
  t.same(httpErrorBody('<html>bad gateway</html>', []), { message: '<html>bad gateway</html>', upstream: {} })
})

t.test('usage: money becomes decimal strings; counts are needed to count as reported', async (t) => {
  t.same(normalizedUsage({ prompt_tokens: 1, cost: 0.5, cost_details: { upstream_inference_cost: 0.25, note: 'x' } }),
    { prompt_tokens: 1, cost: '0.5', cost_details: { upstream_inference_cost: '0.25', note: 'x' } })
  t.same(reportedUsage({ prompt_tokens: 2, completion_tokens: 3, cost: 0.1 }), { prompt_tokens: 2, completion_tokens: 3, total_tokens: undefined, cost: 0.1 })
  t.equal(reportedUsage({ prompt_tokens: 2 }), null)
  t.equal(reportedUsage(null), null)
})

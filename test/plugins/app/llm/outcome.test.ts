import t from 'tap'
import { newState } from '../../../../plugins/app/llm/chunk.ts'
import { LlmError } from '../../../../plugins/app/llm/errors.ts'
import { buildOutcome, finalError, statusOf } from '../../../../plugins/app/llm/outcome.ts'

const MODEL = 'openai/gpt-oss-20b'
const request = { messages: [{ role: 'user' as const, content: 'twelve chars' }] }
const info = {
  model: MODEL,
  request,
  payload: { model: MODEL, stream: true },
  pricing: { [MODEL]: { prompt_per_million: 1, completion_per_million: 2 } },
  attempts: 1,
  latencyMs: 12.4
}

function finished (finishReason: string | null) {
  return { ...newState(), finishReason }
}

t.test('a finish_reason and no error is complete; none is truncated; "error" is a stream error', async (t) => {
  t.equal(finalError(finished('stop'), null), null)
  t.equal(finalError(finished(null), null)?.code, 'llm_truncated')
  t.equal(finalError(finished('error'), null)?.code, 'llm_stream_error')
  t.equal(statusOf(null), 'complete')
  t.equal(statusOf(new LlmError('llm_aborted', 'x')), 'aborted')
  t.equal(statusOf(new LlmError('llm_truncated', 'x')), 'truncated')
  t.equal(statusOf(new LlmError('llm_timeout', 'x')), 'error')
})

t.test('after a real finish_reason a late abort or timeout changes nothing; a stream error still counts', async (t) => {
  t.equal(finalError(finished('stop'), new LlmError('llm_aborted', 'late')), null)
  t.equal(finalError(finished('length'), new LlmError('llm_timeout', 'late')), null)
  t.equal(finalError(finished('stop'), new LlmError('llm_stream_error', 'x'))?.code, 'llm_stream_error')
  t.equal(finalError(finished(null), new LlmError('llm_aborted', 'x'))?.code, 'llm_aborted')
})

t.test('reported usage and cost are kept, money as decimal strings', async (t) => {
  const state = { ...finished('stop'), generationId: 'gen-1', responseModel: MODEL, providerName: 'P', usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost: 0.00002 } }
  const outcome = buildOutcome(info, state, null, 'hello')
  t.match(outcome, {
    provider: 'openrouter',
    status: 'complete',
    text: 'hello',
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    usageEstimated: false,
    cost: '0.00002',
    costSource: 'provider',
    latencyMs: 12,
    error: null
  })
  t.match(outcome.responseBody, { id: 'gen-1', provider: 'P', usage: { cost: '0.00002' }, status: 'complete', cost_source: 'provider' })
})

t.test('without a usage chunk the tokens are estimated and priced from the table', async (t) => {
  const outcome = buildOutcome(info, finished(null), new LlmError('llm_aborted', 'stop'), 'four')
  t.equal(outcome.status, 'aborted')
  t.same(outcome.usage, { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 })
  t.equal(outcome.usageEstimated, true)
  t.equal(outcome.costSource, 'estimated')
  t.equal(outcome.cost, '0.000005')
  t.same(outcome.responseBody.usage, outcome.usage)
  t.match(outcome.error, { code: 'llm_aborted', retryable: false })
})

t.test('an upstream error keeps its explanation in the outcome (and so in the llm_requests row)', async (t) => {
  const error = new LlmError('llm_stream_error', 'Provider returned error', { status: 502, retryable: true, upstreamRaw: 'model overloaded', upstreamProvider: 'Groq' })
  const outcome = buildOutcome(info, finished('error'), error, '')
  t.equal(outcome.status, 'error')
  t.match(outcome.responseBody.error, { code: 'llm_stream_error', upstreamRaw: 'model overloaded', upstreamProvider: 'Groq' })
})

import t from 'tap'
import { computeCost, estimateTokens, unitPrices } from '../../../../plugins/app/llm/cost.ts'

const pricing = { 'openai/gpt-oss-20b': { prompt_per_million: 0.03, completion_per_million: 0.14 } }
const messages = [{ role: 'user' as const, content: 'x'.repeat(40) }]
const base = { requestedModel: 'openai/gpt-oss-20b', responseModel: 'openai/gpt-oss-20b', pricing, messages, completionText: 'y'.repeat(20) }

t.test('the provider\'s reported cost wins, with unit costs from the price table', async (t) => {
  const r = computeCost({ ...base, reported: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150, cost: 1.5e-7 } })
  t.same(r, {
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
    usageEstimated: false,
    cost: '0.00000015',
    costSource: 'provider',
    unitCostPrompt: '0.00000003',
    unitCostCompletion: '0.00000014'
  })
})

t.test('without a reported cost, tokens × the price table', async (t) => {
  const r = computeCost({ ...base, reported: { prompt_tokens: 1000, completion_tokens: 500 } })
  t.equal(r.cost, '0.0001') // 1000 × 0.00000003 + 500 × 0.00000014
  t.equal(r.costSource, 'price_table')
  t.equal(r.usage.total_tokens, 1500)
})

t.test('prices fall back to the response\'s model when the requested one is not listed', async (t) => {
  const r = computeCost({ ...base, requestedModel: 'openai/gpt-oss', reported: { prompt_tokens: 10, completion_tokens: 10 } })
  t.equal(r.costSource, 'price_table')
  t.equal(r.unitCostPrompt, '0.00000003')
  t.same(unitPrices(pricing, 'a', null), null)
  t.same(unitPrices(undefined, 'openai/gpt-oss-20b', null), null)
})

t.test('the requested model\'s price is preferred over the response model\'s', async (t) => {
  const both = { ...pricing, 'x/routed': { prompt_per_million: 1, completion_per_million: 2 } }
  t.same(unitPrices(both, 'openai/gpt-oss-20b', 'x/routed'), { prompt: '0.00000003', completion: '0.00000014' })
})

t.test('no reported cost and no price: cost unknown', async (t) => {
  const r = computeCost({ ...base, requestedModel: 'a/b', responseModel: 'a/b', reported: { prompt_tokens: 10, completion_tokens: 5 } })
  t.equal(r.cost, null)
  t.equal(r.costSource, 'unknown')
  t.equal(r.unitCostPrompt, null)
  t.equal(r.unitCostCompletion, null)
})

t.test('a reported cost of 0 is a real cost', async (t) => {
  const r = computeCost({ ...base, requestedModel: 'free/model', responseModel: null, reported: { prompt_tokens: 1, completion_tokens: 1, cost: 0 } })
  t.equal(r.cost, '0')
  t.equal(r.costSource, 'provider')
})

t.test('usage never arrived: tokens estimated from text, priced when possible', async (t) => {
  const r = computeCost({ ...base, reported: null })
  t.same(r.usage, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 })
  t.equal(r.usageEstimated, true)
  t.equal(r.costSource, 'estimated')
  t.equal(r.cost, '0.000001') // 10 × 0.00000003 + 5 × 0.00000014
  const unpriced = computeCost({ ...base, requestedModel: 'a/b', responseModel: null, reported: null, completionText: '' })
  t.equal(unpriced.cost, null)
  t.equal(unpriced.costSource, 'estimated')
  t.equal(unpriced.usage.completion_tokens, 0)
})

t.test('estimateTokens is about chars/4', async (t) => {
  t.equal(estimateTokens(''), 0)
  t.equal(estimateTokens('', 1), 1)
  t.equal(estimateTokens('abcde'), 2)
})

// Turns a call's usage into money: the provider's reported cost first, the configured price table second,
// estimates (flagged) when the usage chunk never arrived.
import type { Pricing } from '../../infrastructure/config/schema.ts'
import { addDecimals, costNumberToDecimal, pricePerToken, tokensTimesPrice } from './money.ts'
import type { ChatMessage, LlmCost, LlmUsage } from './types.ts'

export interface ReportedUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens?: number
  cost?: number | null
}

export interface CostInput {
  requestedModel: string
  responseModel: string | null
  pricing: Pricing | undefined
  /** The usage chunk as the provider sent it, or null when it never arrived. */
  reported: ReportedUsage | null
  /** For estimates when `reported` is null. */
  messages: ChatMessage[]
  completionText: string
}

export interface UnitPrices { prompt: string, completion: string }

/** Roughly four characters a token; never below `min`. */
export function estimateTokens (text: string, min = 0): number {
  return Math.max(min, Math.ceil(text.length / 4))
}

export function estimatePromptTokens (messages: ChatMessage[]): number {
  return estimateTokens(messages.map((m) => m.content).join('\n'), 1)
}

/** Per-token prices for the requested model, else for the model the response reports, else null. */
export function unitPrices (pricing: Pricing | undefined, requested: string, responded: string | null): UnitPrices | null {
  const entry = pricing?.[requested] ?? (responded === null ? undefined : pricing?.[responded])
  if (entry === undefined) return null
  return { prompt: pricePerToken(entry.prompt_per_million), completion: pricePerToken(entry.completion_per_million) }
}

function priced (usage: LlmUsage, prices: UnitPrices): string {
  return addDecimals(
    tokensTimesPrice(usage.prompt_tokens, prices.prompt),
    tokensTimesPrice(usage.completion_tokens, prices.completion)
  )
}

function reportedTokens (n: number | undefined): number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0
}

export function computeCost (input: CostInput): LlmCost {
  const prices = unitPrices(input.pricing, input.requestedModel, input.responseModel)
  const units = { unitCostPrompt: prices?.prompt ?? null, unitCostCompletion: prices?.completion ?? null }
  const { reported } = input
  if (reported === null) {
    const prompt = estimatePromptTokens(input.messages)
    const completion = estimateTokens(input.completionText)
    const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
    return { usage, usageEstimated: true, cost: prices === null ? null : priced(usage, prices), costSource: 'estimated', ...units }
  }
  const prompt = reportedTokens(reported.prompt_tokens)
  const completion = reportedTokens(reported.completion_tokens)
  const total = typeof reported.total_tokens === 'number' ? reportedTokens(reported.total_tokens) : prompt + completion
  const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total }
  if (typeof reported.cost === 'number' && Number.isFinite(reported.cost) && reported.cost >= 0) {
    return { usage, usageEstimated: false, cost: costNumberToDecimal(reported.cost), costSource: 'provider', ...units }
  }
  if (prices !== null) return { usage, usageEstimated: false, cost: priced(usage, prices), costSource: 'price_table', ...units }
  return { usage, usageEstimated: false, cost: null, costSource: 'unknown', ...units }
}

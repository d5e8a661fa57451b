// When a stream ended without its usage chunk (abort, error) the row was written with estimated tokens; this asks
// OpenRouter's generation record for the real figures afterwards and corrects the row.
import type { FastifyBaseLogger } from 'fastify'
import type { LlmClient, LlmOutcome } from '../llm/types.ts'
import type { LlmRequestRepository, LlmRequestValues } from '../../../db/repositories/llm-requests.ts'
import { tokensTimesPrice, addDecimals } from '../llm/money.ts'

interface Dependencies {
  llm: LlmClient
  llmRequests: LlmRequestRepository
  log: FastifyBaseLogger
  delaysMs: number[]
}

export function createReconciler ({ llm, llmRequests, log, delaysMs }: Dependencies) {
  const pending = new Set<Promise<void>>()
  let closed = false

  async function reconcile (requestId: string, generationId: string, outcome: LlmOutcome, row: LlmRequestValues): Promise<void> {
    const found = await llm.reconcile(generationId, delaysMs)
    if (!found || closed) return
    const priced = outcome.unitCostPrompt && outcome.unitCostCompletion
      ? addDecimals(tokensTimesPrice(found.promptTokens, outcome.unitCostPrompt), tokensTimesPrice(found.completionTokens, outcome.unitCostCompletion))
      : null
    await llmRequests.update(requestId, {
      prompt_tokens: found.promptTokens,
      completion_tokens: found.completionTokens,
      total_tokens: found.totalTokens,
      computed_cost: found.cost ?? priced,
      response_body: {
        ...row.response_body,
        cost_source: 'reconciled',
        usage_estimated: false,
        estimated_usage: outcome.usage,
        reconciled: { finish_reason: found.finishReason, cancelled: found.cancelled, provider_name: found.providerName }
      }
    })
    log.info({ event: 'llm.reconciled', llm_request_id: requestId, cost: found.cost }, 'usage reconciled from the generation record')
  }

  return {
    /** Corrects the row later when its usage was estimated and the provider keeps a generation record. */
    scheduleIfEstimated (requestId: string, outcome: LlmOutcome, row: LlmRequestValues): void {
      if (!outcome.usageEstimated || outcome.generationId === null) return
      const task = reconcile(requestId, outcome.generationId, outcome, row)
        .catch((err) => log.warn({ event: 'llm.reconcile_failed', llm_request_id: requestId, err }, 'usage reconciliation failed'))
        .finally(() => pending.delete(task))
      pending.add(task)
    },
    /** Waits for reconciliations in flight, briefly: a shutdown does not wait out OpenRouter's delays. */
    async close (graceMs = 1000): Promise<void> {
      await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => setTimeout(resolve, graceMs).unref())])
      closed = true
    },
    get pending () { return pending.size }
  }
}

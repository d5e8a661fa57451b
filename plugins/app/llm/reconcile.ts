// Late cost for calls whose usage chunk never arrived: OpenRouter's generation record, which may answer 404
// for a while after the call ends.
import { setTimeout as sleep } from 'node:timers/promises'
import { request, type Dispatcher } from 'undici'
import { costNumberToDecimal } from './money.ts'
import type { ReconciledUsage } from './types.ts'

export interface ReconcileOptions {
  baseUrl: string
  apiKey: string
  dispatcher: Dispatcher
  generationId: string
  /** Waits between attempts (llm.reconcile_delays_ms): the first attempt is immediate, then one retry after each. */
  delaysMs: number[]
  requestTimeoutMs?: number
  signal?: AbortSignal
}

type Attempt = { kind: 'found', usage: ReconciledUsage } | { kind: 'retry' } | { kind: 'give_up' }

function num (value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function str (value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

export function toReconciledUsage (record: Record<string, unknown>): ReconciledUsage {
  // Native counts are what the stream's usage reports; the normalized ones are a fallback.
  const promptTokens = num(record.native_tokens_prompt) ?? num(record.tokens_prompt) ?? 0
  const completionTokens = num(record.native_tokens_completion) ?? num(record.tokens_completion) ?? 0
  const cost = num(record.total_cost)
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    cost: cost === null ? null : costNumberToDecimal(cost),
    finishReason: str(record.finish_reason),
    cancelled: typeof record.cancelled === 'boolean' ? record.cancelled : null,
    providerName: str(record.provider_name)
  }
}

async function attempt (opts: ReconcileOptions): Promise<Attempt> {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/generation?id=${encodeURIComponent(opts.generationId)}`
  const signals = [AbortSignal.timeout(opts.requestTimeoutMs ?? 10_000), ...(opts.signal === undefined ? [] : [opts.signal])]
  try {
    const res = await request(url, {
      method: 'GET',
      dispatcher: opts.dispatcher,
      headers: { authorization: `Bearer ${opts.apiKey}`, accept: 'application/json' },
      signal: AbortSignal.any(signals)
    })
    if (res.statusCode !== 200) {
      await res.body.dump()
      const retry = res.statusCode === 404 || res.statusCode === 429 || res.statusCode >= 500
      return retry ? { kind: 'retry' } : { kind: 'give_up' }
    }
    const json: unknown = await res.body.json()
    const data = typeof json === 'object' && json !== null && 'data' in json ? json.data : null
    if (typeof data !== 'object' || data === null) return { kind: 'give_up' }
    return { kind: 'found', usage: toReconciledUsage(data as Record<string, unknown>) }
  } catch {
    return opts.signal?.aborted === true ? { kind: 'give_up' } : { kind: 'retry' }
  }
}

/** The generation's final usage and cost, or null when it never showed up (or the key cannot read it). */
export async function reconcileGeneration (opts: ReconcileOptions): Promise<ReconciledUsage | null> {
  const delays = opts.delaysMs
  for (let i = 0; i <= delays.length; i++) {
    if (i > 0) await sleep(delays[i - 1] ?? 0, undefined, { signal: opts.signal }).catch(() => {})
    if (opts.signal?.aborted === true) return null
    const result = await attempt(opts)
    if (result.kind === 'found') return result.usage
    if (result.kind === 'give_up') return null
  }
  return null
}

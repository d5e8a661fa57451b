// An in-process LlmClient for unit tests of the services above the LLM (turn service, ledger): scripted deltas, an
// optional error, a hold until aborted; it records what it was asked. End-to-end tests use fake-openrouter.ts.
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { createDeltaStream } from '../../plugins/app/llm/delta-stream.ts'
import type { ChatMessage, LlmClient, LlmErrorInfo, LlmOutcome, ReconciledUsage } from '../../plugins/app/llm/types.ts'

export interface FakeCall {
  deltas?: string[]
  /** Ends the call with this error after the deltas. */
  error?: LlmErrorInfo
  /** After the deltas, waits until the call is aborted. */
  hold?: boolean
  /** No usage chunk: tokens estimated (and a generation id, so the ledger reconciles). */
  estimated?: boolean
}

export function fakeLlmClient (options: { reconciled?: ReconciledUsage | null } = {}) {
  const asked: ChatMessage[][] = []
  const script: FakeCall[] = []
  const reconciles: string[] = []

  function outcomeOf (call: FakeCall, text: string, error: LlmErrorInfo | null, messages: ChatMessage[]): LlmOutcome {
    const status = error === null ? 'complete' : error.code === 'llm_aborted' ? 'aborted' : 'error'
    const usage = { prompt_tokens: messages.length * 10, completion_tokens: text.length, total_tokens: messages.length * 10 + text.length }
    return {
      provider: 'openrouter',
      model: 'fake/model',
      responseModel: 'fake/model',
      generationId: call.estimated === true ? `gen-${asked.length}` : null,
      status,
      finishReason: error === null ? 'stop' : null,
      text,
      usage,
      usageEstimated: call.estimated === true,
      cost: '0.001',
      costSource: call.estimated === true ? 'estimated' : 'provider',
      unitCostPrompt: '0.000001',
      unitCostCompletion: '0.000002',
      latencyMs: 5,
      ttftMs: text === '' ? null : 1,
      attempts: 1,
      error,
      requestBody: { model: 'fake/model', messages, stream: true },
      responseBody: { id: null, status, error }
    }
  }

  const client: LlmClient = {
    provider: 'openrouter',
    model: 'fake/model',
    stream (request) {
      asked.push(request.messages)
      const call = script.shift() ?? {}
      let aborted = request.signal?.aborted === true
      let wake = (): void => {}
      const cancel = (): void => { aborted = true; wake() }
      request.signal?.addEventListener('abort', cancel, { once: true })
      const abortedInfo: LlmErrorInfo = { code: 'llm_aborted', message: 'the request was aborted', status: null, retryable: false }
      return createDeltaStream({
        async run (sink) {
          for (const delta of call.deltas ?? ['Hello', ' there']) {
            await yieldToLoop()
            if (aborted) return outcomeOf(call, sink.text(), abortedInfo, request.messages)
            sink.push(delta)
          }
          if (call.hold === true && !aborted) await new Promise<void>((resolve) => { wake = resolve })
          if (aborted) return outcomeOf(call, sink.text(), abortedInfo, request.messages)
          return outcomeOf(call, sink.text(), call.error ?? null, request.messages)
        },
        cancel,
        crashed: (_err, text) => outcomeOf(call, text, { code: 'llm_network_error', message: 'crashed', status: null, retryable: false }, request.messages)
      })
    },
    async reconcile (generationId) {
      reconciles.push(generationId)
      return options.reconciled ?? null
    },
    async close () {}
  }
  return {
    client,
    asked,
    reconciles,
    /** The next calls, in order; a call beyond the script answers "Hello there". */
    script (...calls: FakeCall[]) { script.push(...calls) }
  }
}

// The built-in offline model: with no API key the whole chat flow still runs, and the reply says so plainly.
import { performance } from 'node:perf_hooks'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { estimatePromptTokens, estimateTokens } from './cost.ts'
import { createDeltaStream, type DeltaSink } from './delta-stream.ts'
import { LlmError, toLlmError } from './errors.ts'
import type { LlmClient, LlmErrorInfo, LlmOutcome, LlmRequest, LlmStream } from './types.ts'
import { MEMORY_HEADER, readMemory } from './memory-format.ts'

export interface OfflineOptions {
  model?: string
  appName: string
}

/** Word-sized pieces that join back to exactly `text` (whitespace stays with the word before it). */
export function splitWords (text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\s)(?=\S)/)
}

const LABELS: Record<string, string> = {
  customer_name: 'your name',
  email: 'your email',
  phone: 'your phone',
  address_street: 'your street',
  address_city: 'your city',
  address_state: 'your state',
  address_zip: 'your ZIP code',
  products_of_interest: 'the products you are interested in',
  services_of_interest: 'the services you are interested in',
  preferences: 'your preferences'
}

/** "I have noted your name: Dana Reyes; your city: Salem." from the memory message, so memory shows with no key. */
function notedSentence (messages: LlmRequest['messages']): string {
  const memory = messages.find((m) => m.role === 'system' && m.content.startsWith(MEMORY_HEADER))
  const known = memory === undefined ? [] : readMemory(memory.content)
  if (known.length === 0) return ''
  return ' I have noted ' + known.map(({ field, value }) => `${LABELS[field] ?? field.replace(/_/g, ' ')}: ${value}`).join('; ') + '.'
}

export function offlineReply (appName: string, messages: LlmRequest['messages'] = []): string {
  return `Thanks, your message was received and saved. ${appName}'s assistant is running in offline mode: ` +
    'no API key is configured, so I cannot give you a real answer yet.' + notedSentence(messages) +
    ' Your conversation is kept, and replies will work once the assistant is connected.'
}

export function createOfflineClient (options: OfflineOptions): LlmClient {
  const model = options.model ?? 'offline'
  function stream (req: LlmRequest): LlmStream {
    const words = splitWords(offlineReply(options.appName, req.messages))
    const started = performance.now()
    let cancelled = req.signal?.aborted === true
    const onAbort = (): void => { cancelled = true }
    req.signal?.addEventListener('abort', onAbort, { once: true })
    let text = ''
    let ttftMs: number | null = null

    function outcome (error: LlmErrorInfo | null): LlmOutcome {
      const prompt = estimatePromptTokens(req.messages)
      const completion = estimateTokens(text, 1)
      const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
      const status = error === null ? 'complete' : error.code === 'llm_aborted' ? 'aborted' : 'error'
      const finishReason = error === null ? 'stop' : null
      return {
        provider: 'offline',
        model,
        responseModel: model,
        generationId: null,
        status,
        finishReason,
        text,
        usage,
        usageEstimated: true,
        cost: '0',
        costSource: 'offline',
        unitCostPrompt: '0',
        unitCostCompletion: '0',
        latencyMs: Math.round(performance.now() - started),
        ttftMs,
        attempts: 1,
        error,
        requestBody: { model, messages: req.messages.map(({ role, content }) => ({ role, content })), stream: true },
        responseBody: { id: null, model, provider: 'offline', finish_reason: finishReason, usage, error, status, cost_source: 'offline', usage_estimated: true }
      }
    }

    async function run (sink: DeltaSink): Promise<LlmOutcome> {
      try {
        for (const word of words) {
          await yieldToLoop()
          if (cancelled) return outcome(new LlmError('llm_aborted', 'the request was aborted').toInfo())
          ttftMs ??= Math.round(performance.now() - started)
          text += word
          sink.push(word)
        }
        return outcome(null)
      } finally {
        req.signal?.removeEventListener('abort', onAbort)
      }
    }

    // A crash is an error, never a complete reply.
    return createDeltaStream({ run, cancel: onAbort, crashed: (err) => outcome(toLlmError(err).toInfo()) })
  }

  return {
    provider: 'offline',
    model,
    stream,
    async reconcile () { return null },
    async close () {}
  }
}

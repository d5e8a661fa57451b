// Picks the LLM client from configuration: OpenRouter when a key is configured, the offline model otherwise.
import type { Dispatcher } from 'undici'
import type { LlmConfig } from '../../infrastructure/config/schema.ts'
import { createOfflineClient } from './offline.ts'
import { createOpenRouterClient } from './openrouter.ts'
import type { LlmClient, LlmLogger } from './types.ts'

export type * from './types.ts'

export interface CreateLlmClientOptions {
  dispatcher?: Dispatcher
  log?: LlmLogger
}

export function createLlmClient (
  config: LlmConfig,
  app: { name: string, public_url: string },
  opts: CreateLlmClientOptions = {}
): LlmClient {
  const apiKey = config.api_key?.trim() ?? ''
  if (config.provider === 'offline' || apiKey === '') {
    if (config.provider === 'openrouter') opts.log?.warn({ event: 'llm.offline' }, 'no LLM API key configured: using the offline model')
    return createOfflineClient({ appName: app.name })
  }
  return createOpenRouterClient({
    baseUrl: config.base_url,
    apiKey,
    model: config.model,
    temperature: config.temperature,
    maxTokens: config.max_tokens,
    timeoutMs: config.timeout_ms,
    connectTimeoutMs: config.connect_timeout_ms,
    maxRetries: config.max_retries,
    pricing: config.pricing,
    appName: app.name,
    appUrl: app.public_url,
    dispatcher: opts.dispatcher,
    log: opts.log
  })
}

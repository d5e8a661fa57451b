// One chat turn: save the human message (committed before the LLM is called) and read the context in the same
// statement, tell the listeners (profile extraction), build the context, stream the LLM, then record the reply, its llm_requests row and the session's
// activity in one statement. No database connection is held while the LLM is streaming.
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../infrastructure/config/schema.ts'
import type { Message, MessageMetadata, MessageStatus, ProfileValues, Session } from '../../../db/types.ts'
import { memoryMessage } from './memory-message.ts'
import type { ContextMessage, MessageRepository } from '../../../db/repositories/messages.ts'
import type { LlmClient, LlmErrorInfo, LlmOutcome, LlmStream } from '../llm/types.ts'
import type { Ledger } from '../ledger/ledger-service.ts'
import type { SentMessage } from '../ledger/llm-request-row.ts'
import { Errors } from '../../infrastructure/errors/error-classes.ts'
import { cleanText, findUnstorableText } from './text.ts'
import { createStreamSlots, type StreamSlots } from './stream-slots.ts'
import { uuidv7 } from '../../../db/uuid7.ts'
import { withRetry } from '../../../db/retry.ts'

export interface TurnUsage { prompt_tokens: number, completion_tokens: number, total_tokens: number, cost: string | null }

export interface TurnResult {
  status: MessageStatus
  human: Message
  reply: Message | null
  llmRequestId: string | null
  model: string
  usage: TurnUsage
  error: LlmErrorInfo | null
}

export interface LiveTurn {
  kind: 'live'
  human: Message
  deltas: LlmStream
  /** Stops the LLM call; what arrived so far is saved as a partial reply. */
  abort: () => void
  done: Promise<TurnResult>
}

export interface ReplayedTurn { kind: 'replay', result: TurnResult }

/**
 * Runs after a human message is saved, before the LLM is called. `profile` is the profile the session sees as the
 * turn read it; a listener that changes it returns the new values, which the turn's memory message then uses.
 * `previous` is the visitor's message before this one when the turn's context holds it (read in the same statement).
 */
export type HumanMessageListener = (event: { session: Session, message: Message, previous: string | null, log: FastifyBaseLogger, profile: ProfileValues | null }) =>
  Promise<ProfileValues | undefined> | ProfileValues | undefined

export interface TurnInput {
  session: Session
  text: string
  clientMessageId?: string
  log: FastifyBaseLogger
}

interface Dependencies {
  config: Config
  llm: LlmClient
  messages: MessageRepository
  ledger: Ledger
  /** Shared through Redis when configured; default: counted in this process. */
  slots?: StreamSlots
}

const ROLE_FOR_LLM = { human: 'user', assistant: 'assistant', system: 'system' } as const

function replyStatus (outcome: LlmOutcome): MessageStatus {
  if (outcome.status === 'complete') return 'complete'
  return outcome.status === 'aborted' ? 'partial' : 'error'
}

export function createTurnService ({ config, llm, messages, ledger, slots: sharedSlots }: Dependencies) {
  const listeners: HumanMessageListener[] = []
  const slots = sharedSlots ?? createStreamSlots(config.chat.max_concurrent_streams_per_session)
  const staleAfterMs = config.llm.timeout_ms + 30_000
  // Turns whose LLM call is running or whose reply is being saved: abort function → the turn's end.
  const live = new Map<() => void, Promise<TurnResult>>()

  function validate (text: string): string {
    if (text.trim() === '') throw new Errors.EmptyMessage()
    if (text.length > config.chat.max_message_chars) throw new Errors.MessageTooLong(config.chat.max_message_chars)
    const problem = findUnstorableText(text)
    if (problem) throw new Errors.InvalidRequest(`message ${problem}`)
    return text
  }

  /** Runs the listeners in turn; returns the profile as the last one that changed it left it. */
  async function notifyListeners (session: Session, message: Message, context: ContextMessage[], turnLog: FastifyBaseLogger, read: ProfileValues | null): Promise<ProfileValues | null> {
    let profile = read
    const previous = context.findLast((m) => m.role === 'human' && m.id !== message.id)?.content ?? null
    for (const listener of listeners) {
      try {
        profile = await listener({ session, message, previous, log: turnLog, profile }) ?? profile
      } catch (err) {
        turnLog.error({ event: 'chat.listener_failed', err }, 'a human-message listener failed; the turn goes on')
      }
    }
    return profile
  }

  /** System prompt, then the memory message (SPEC §11) when memory is on and something is known, then the history. */
  function buildContext (recent: ContextMessage[], profile: ProfileValues | null): SentMessage[] {
    const history = recent
      .filter((m) => m.content !== '')
      .map((m) => ({ role: ROLE_FOR_LLM[m.role], content: m.content, messageId: m.id }))
    const memory = config.memory.enabled ? memoryMessage(profile, config.memory.fields) : null
    return [
      { role: 'system', content: config.llm.system_prompt },
      ...(memory === null ? [] : [{ role: 'system' as const, content: memory.content, memoryFields: memory.fields }]),
      ...history
    ]
  }

  async function replayOrRefuse (session: Session, human: Message): Promise<ReplayedTurn | null> {
    const reply = await messages.findReplyTo(session.id, human.id)
    // Only a finished reply is answered again; one cut by an error or a stop is asked for anew.
    if (reply && (reply.metadata.status ?? 'complete') === 'complete') {
      const row = reply.metadata.llm_request_id ? await ledger.findById(reply.metadata.llm_request_id) : null
      return {
        kind: 'replay',
        result: {
          status: 'complete',
          human,
          reply,
          llmRequestId: reply.metadata.llm_request_id ?? null,
          model: reply.metadata.model ?? '',
          usage: row ? usageOf(row) : { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost: null },
          error: null
        }
      }
    }
    // A call that failed (before any text, or part-way) leaves its row: the retry asks the LLM again.
    const failed = reply ?? await ledger.findForHumanMessage(session.id, human.id)
    const stale = Date.now() - new Date(human.created_at).getTime() > staleAfterMs
    if (!failed && !stale) throw new Errors.TurnInProgress()
    return null
  }

  /**
   * Saves the message and reads the context in one statement. After a failure whose outcome is unknown, the message
   * is looked for by its id before it is written again. A linked session's context is its customer's timeline.
   */
  async function saveHuman (session: Session, content: string, clientMessageId?: string) {
    const id = uuidv7()
    const contextLimit = config.llm.context_messages
    const customerId = session.customer_id
    const withProfile = config.memory.enabled
    return await withRetry(() => messages.insertHuman(session.id, content, { clientMessageId, id, contextLimit, customerId, withProfile }), {
      verify: async () => {
        const message = await messages.findInSession(session.id, id)
        if (!message) return undefined
        const profile = withProfile ? await messages.profileOf(session.id) : null
        return { message, created: true, context: await messages.recent(session.id, contextLimit, customerId), profile }
      }
    })
  }

  async function finish (session: Session, human: Message, sent: SentMessage[], outcome: LlmOutcome, turnLog: FastifyBaseLogger): Promise<TurnResult> {
    const status = replyStatus(outcome)
    const content = cleanText(outcome.text)
    const metadata: MessageMetadata = {
      status,
      model: outcome.responseModel ?? outcome.model,
      provider: outcome.provider,
      finish_reason: outcome.finishReason,
      reply_to: human.id,
      ...(outcome.error ? { error_code: outcome.error.code } : {})
    }
    const keepReply = content !== '' || status === 'complete'
    const context = { sessionId: session.id, sent, purpose: 'chat' as const, humanMessageId: human.id }
    const { requestId, message } = await ledger.recordTurn(outcome, context, keepReply ? { content, metadata } : null, turnLog)
    if (outcome.costSource === 'unknown') {
      turnLog.warn({ event: 'llm.cost_unknown', model: outcome.model }, 'no reported cost and no price for this model: cost recorded as null')
    }
    turnLog.info({
      event: 'chat.turn',
      status,
      llm_status: outcome.status,
      provider: outcome.provider,
      model: outcome.model,
      llm_request_id: requestId,
      message_id: message?.id ?? null,
      prompt_tokens: outcome.usage.prompt_tokens,
      completion_tokens: outcome.usage.completion_tokens,
      cost: outcome.cost,
      cost_source: outcome.costSource,
      latency_ms: Math.round(outcome.latencyMs),
      ttft_ms: outcome.ttftMs,
      error_code: outcome.error?.code
    }, 'turn recorded')
    return {
      status,
      human,
      reply: message,
      llmRequestId: requestId,
      model: outcome.responseModel ?? outcome.model,
      usage: { ...outcome.usage, cost: outcome.cost },
      error: outcome.error
    }
  }

  return {
    /** Listeners run after a human message is committed and before the LLM is called; they can never fail a turn. */
    onHumanMessage (listener: HumanMessageListener): void {
      listeners.push(listener)
    },

    /** Refuses a blank, too long or unstorable message (start() checks again); for routes to call before anything runs. */
    checkMessage (text: string): void {
      validate(text)
    },

    async start ({ session, text, clientMessageId, log: turnLog }: TurnInput): Promise<LiveTurn | ReplayedTurn> {
      const content = validate(text)
      const release = await slots.tryAcquire(session.id)
      if (!release) throw new Errors.TooManyStreams(config.chat.max_concurrent_streams_per_session)
      try {
        let { message: human, created, context, profile } = await saveHuman(session, content, clientMessageId)
        if (!created) {
          const replayed = await replayOrRefuse(session, human)
          if (replayed) {
            release()
            return replayed
          }
          context = await messages.recent(session.id, config.llm.context_messages, session.customer_id) // a failed turn, asked anew
          profile = config.memory.enabled ? await messages.profileOf(session.id) : null
        } else {
          profile = await notifyListeners(session, human, context, turnLog, profile)
        }
        const sent = buildContext(context, profile)
        const controller = new AbortController()
        const stream = llm.stream({ messages: sent.map(({ role, content }) => ({ role, content })), signal: controller.signal })
        const done = stream.outcome
          .then((outcome) => finish(session, human, sent, outcome, turnLog))
          .finally(release)
        const abort = () => controller.abort()
        live.set(abort, done)
        done.then(() => live.delete(abort), () => live.delete(abort))
        return { kind: 'live', human, deltas: stream, abort, done }
      } catch (err) {
        release()
        throw err
      }
    },

    /**
     * Shutdown: lets the turns in flight finish for up to `graceMs`, then aborts the rest, which saves what they have
     * as partial replies; resolves once every turn is saved.
     */
    async drain (graceMs: number): Promise<{ finished: number, aborted: number }> {
      const inFlight = live.size
      const saved = () => Promise.allSettled([...live.values()])
      let timer: NodeJS.Timeout | undefined
      await Promise.race([saved(), new Promise((resolve) => { timer = setTimeout(resolve, graceMs) })])
      clearTimeout(timer)
      const left = [...live.keys()]
      for (const abort of left) abort()
      await saved()
      return { finished: inFlight - left.length, aborted: left.length }
    },

    get liveTurns () { return live.size }
  }
}

function usageOf (row: { prompt_tokens: number, completion_tokens: number, total_tokens: number, computed_cost: string | null }): TurnUsage {
  return { prompt_tokens: row.prompt_tokens, completion_tokens: row.completion_tokens, total_tokens: row.total_tokens, cost: row.computed_cost }
}

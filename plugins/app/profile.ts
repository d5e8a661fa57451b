// Owns customer profiles: app.profile. Listens for each saved human message, extracts facts (rules, and the LLM
// when configured), merges them into the profile the session sees (its own, or its customer's once linked) with
// provenance, and links emails across sessions.
import fp from 'fastify-plugin'
import type { FastifyBaseLogger } from 'fastify'
import type { Message, Profile, Session } from '../../db/types.ts'
import { createProfileRepository, type ProfileChange } from '../../db/repositories/profiles.ts'
import { Errors } from '../infrastructure/errors/error-classes.ts'
import type { ProfilePatch } from './profile/patch.ts'
import { extractProfileFacts } from './profile/extract.ts'
import { mergeProfile, maskValue, emptyProfile, setValues } from './profile/merge.ts'
import { isProfileField, type ProfileFact, type ProfileField, type ProfileValues } from './profile/types.ts'
import type { Config } from '../infrastructure/config/schema.ts'
import { askLlm, extractionFacts, parseExtraction } from './profile/llm-extractor.ts'

declare module 'fastify' {
  interface FastifyInstance { profile: ReturnType<typeof createProfileService> }
}

function logChanges (log: FastifyBaseLogger, extractor: string, messageId: string | null, changes: ProfileChange[]): void {
  if (changes.length === 0) return
  log.info({
    event: 'profile.updated',
    extractor,
    message_id: messageId,
    fields: changes.map((c) => c.field),
    values: Object.fromEntries(changes.map((c) => [c.field, maskValue(c.field, c.newValue)]))
  }, 'profile updated')
}

interface Dependencies {
  repository: ReturnType<typeof createProfileRepository>
  settings: Config['profile']
  onFactsApplied: (fields: string[]) => void
}

type FactRow = Awaited<ReturnType<Dependencies['repository']['facts']>>[number]

function isEmpty (value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (Array.isArray(value)) return value.length === 0
  return typeof value === 'object' && Object.keys(value).length === 0
}

/** Per non-empty field: its value and where it came from (SPEC §11). */
function factsOf (profile: Profile, rows: FactRow[]) {
  const facts: Record<string, { value: unknown, source_message_id: string | null, updated_at: Date, extractor: string, confidence: number }> = {}
  for (const row of rows) {
    if (!isProfileField(row.field)) continue
    const value = profile[row.field]
    if (isEmpty(value)) continue
    facts[row.field] = { value, source_message_id: row.message_id, updated_at: row.created_at, extractor: row.extractor, confidence: Number(row.confidence) }
  }
  return facts
}

function createProfileService ({ repository, settings, onFactsApplied }: Dependencies) {
  /**
   * THE decision of which profile a session sees (SPEC §10): its customer's when the session is linked, else its
   * own. Every reader of "the visitor's profile" (routes, the memory prompt) goes through here; facts learned in a
   * linked session are written to the same profile (repository.update resolves it the same way).
   */
  async function profileFor (session: Pick<Session, 'id'>): Promise<Profile | null> {
    return await repository.effective(session.id)
  }

  return {
    profileFor,

    /** The profile with `facts`: each non-empty field with its source message, time, extractor and confidence. */
    async view (session: Pick<Session, 'id'>) {
      const profile = await profileFor(session)
      if (profile === null) return { ...emptyProfile(), updated_at: null, facts: {} }
      const { id: _id, session_id: _sessionId, customer_id: _customerId, ...rest } = profile
      return { ...rest, facts: factsOf(profile, await repository.facts(profile.id)) }
    },

    async history (session: Pick<Session, 'id'>, field: ProfileField) {
      const profile = await profileFor(session)
      if (profile === null) return []
      return (await repository.history(profile.id, field)).map(({ id: _id, confidence, ...row }) => ({ ...row, confidence: Number(confidence) }))
    },

    /** The email of a verified customer is their identity: not edited or forgotten here (SPEC §11). */
    assertEmailEditable (session: Pick<Session, 'customer_id'>): void {
      if (session.customer_id !== null) throw new Errors.EmailIsIdentity()
    },

    /** The visitor's own edit: extractor `visitor`, optionally pointing at one of their messages. */
    async set (session: Session, patch: ProfilePatch, log: FastifyBaseLogger) {
      if (patch.sourceMessageId !== null && !await repository.isMessageOf(session.id, patch.sourceMessageId)) {
        throw new Errors.InvalidSourceMessage()
      }
      const result = await repository.update({ sessionId: session.id, messageId: patch.sourceMessageId, extractor: 'visitor' },
        (current) => setValues(current, patch.values))
      logChanges(log, 'visitor', patch.sourceMessageId, result.changes)
      return result
    },

    /** Forgets a field: empty, its earlier values scrubbed from the provenance; the log names only the field. */
    async forget (session: Session, field: ProfileField, log: FastifyBaseLogger) {
      const profile = await profileFor(session)
      if (profile === null) return
      await repository.forget({ profileId: profile.id, sessionId: session.id }, field)
      log.info({ event: 'profile.forgotten', field }, 'profile field forgotten at the visitor\'s request')
    },

    /** The session's own profile row, whether or not it is linked (what an undo gives back). */
    async ownProfile (sessionId: string) {
      return await repository.findBySession(sessionId)
    },

    /** Merges facts into the session's profile; logs what changed with the values masked. */
    async apply (session: Session, messageId: string | null, facts: ProfileFact[], extractor: string, log: FastifyBaseLogger) {
      const usable = facts.filter((f) => f.confidence >= settings.min_confidence)
      if (usable.length === 0) return null
      const result = await repository.update({ sessionId: session.id, messageId, extractor },
        (current, forgotten) => mergeProfile(current, usable.filter((f) => !forgotten.has(f.field)), settings.min_confidence))
      onFactsApplied(result.changes.map((c) => c.field))
      logChanges(log, extractor, messageId, result.changes)
      for (const collision of result.collisions) {
        log.warn({ event: 'profile.email_collision', collision_id: collision.id, other_session_id: collision.otherSessionId, email: maskValue('email', result.profile.email) },
          'this email is already known from another session: recorded for review, nothing merged')
      }
      return result
    },

    /** `previous`: the visitor's message before this one, which "please don't use that" points back at. */
    extractByRules (text: string, previous: string | null = null): ProfileFact[] {
      return extractProfileFacts(text, { products: settings.products, services: settings.services, defaultRegion: settings.default_region }, previous)
    },

    async collisions (limit: number) {
      return await repository.collisions(limit)
    },

    empty: emptyProfile
  }
}

export default fp(async (app) => {
  const settings = app.config.profile
  const profile = createProfileService({ repository: createProfileRepository(app.db), settings, onFactsApplied: app.metrics.profileFactsApplied })
  const pending = new Set<Promise<unknown>>()
  app.decorate('profile', profile)

  async function extractWithLlm (session: Session, message: Message, previous: string | null, log: FastifyBaseLogger): Promise<void> {
    const { outcome, sent } = await askLlm(app.llm, message.content, settings, previous)
    await app.ledger.record(outcome, { sessionId: session.id, sent, purpose: 'profile_extraction', humanMessageId: message.id })
    const extraction = outcome.status === 'complete' ? parseExtraction(outcome.text) : null
    if (!extraction) {
      log.warn({ event: 'profile.llm_extraction_unusable', llm_status: outcome.status }, 'the LLM extractor gave no usable JSON')
      return
    }
    await profile.apply(session, message.id, extractionFacts(extraction, settings.default_region), 'llm', log)
  }

  app.chat.onHumanMessage(async ({ session, message, previous, log }) => {
    let changed: ProfileValues | undefined
    if (settings.extractor !== 'llm') {
      const result = await profile.apply(session, message.id, profile.extractByRules(message.content, previous), 'rules', log)
      // What this message taught is in this turn's memory message already.
      if (result !== null && result.changes.length > 0) changed = result.profile
    }
    if (settings.extractor !== 'rules') {
      // In the background: the visitor's reply does not wait for a second LLM call.
      const task = extractWithLlm(session, message, previous, log)
        .catch((err) => log.error({ event: 'profile.llm_extraction_failed', err }, 'LLM profile extraction failed'))
        .finally(() => pending.delete(task))
      pending.add(task)
    }
    return changed
  })
  app.addHook('onClose', async () => { await Promise.allSettled([...pending]) })
}, { name: 'profile', dependencies: ['db', 'config', 'chat', 'llm', 'ledger', 'metrics'] })

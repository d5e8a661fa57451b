// Owns customer profiles: app.profile. Listens for each saved human message, extracts facts (rules, and the LLM
// when configured), merges them into the session's profile with provenance, and links emails across sessions.
import fp from 'fastify-plugin'
import type { FastifyBaseLogger } from 'fastify'
import type { Message, Session } from '../../db/types.ts'
import { createProfileRepository } from '../../db/repositories/profiles.ts'
import { extractProfileFacts } from './profile/extract.ts'
import { mergeProfile, maskValue, emptyProfile } from './profile/merge.ts'
import type { ProfileFact } from './profile/types.ts'
import type { Config } from '../infrastructure/config/schema.ts'
import { askLlm, extractionFacts, parseExtraction } from './profile/llm-extractor.ts'

declare module 'fastify' {
  interface FastifyInstance { profile: ReturnType<typeof createProfileService> }
}

interface Dependencies {
  repository: ReturnType<typeof createProfileRepository>
  settings: Config['profile']
}

function createProfileService ({ repository, settings }: Dependencies) {
  return {
    async get (sessionId: string) {
      return await repository.findBySession(sessionId)
    },

    /** Merges facts into the session's profile; logs what changed with the values masked. */
    async apply (session: Session, messageId: string | null, facts: ProfileFact[], extractor: string, log: FastifyBaseLogger) {
      const usable = facts.filter((f) => f.confidence >= settings.min_confidence)
      if (usable.length === 0) return null
      const result = await repository.update({ sessionId: session.id, messageId, extractor },
        (current) => mergeProfile(current, usable, settings.min_confidence))
      if (result.changes.length) {
        log.info({
          event: 'profile.updated',
          extractor,
          message_id: messageId,
          fields: result.changes.map((c) => c.field),
          values: Object.fromEntries(result.changes.map((c) => [c.field, maskValue(c.field, c.newValue)]))
        }, 'profile updated')
      }
      for (const collision of result.collisions) {
        log.warn({ event: 'profile.email_collision', collision_id: collision.id, other_session_id: collision.otherSessionId, email: maskValue('email', result.profile.email) },
          'this email is already known from another session: recorded for review, nothing merged')
      }
      return result
    },

    extractByRules (text: string): ProfileFact[] {
      return extractProfileFacts(text, { products: settings.products, services: settings.services, defaultRegion: settings.default_region })
    },

    async collisions (limit: number) {
      return await repository.collisions(limit)
    },

    empty: emptyProfile
  }
}

export default fp(async (app) => {
  const settings = app.config.profile
  const profile = createProfileService({ repository: createProfileRepository(app.db), settings })
  const pending = new Set<Promise<unknown>>()
  app.decorate('profile', profile)

  async function extractWithLlm (session: Session, message: Message, log: FastifyBaseLogger): Promise<void> {
    const { outcome, sent } = await askLlm(app.llm, message.content, settings)
    await app.ledger.record(outcome, { sessionId: session.id, sent, purpose: 'profile_extraction', humanMessageId: message.id })
    const extraction = outcome.status === 'complete' ? parseExtraction(outcome.text) : null
    if (!extraction) {
      log.warn({ event: 'profile.llm_extraction_unusable', llm_status: outcome.status }, 'the LLM extractor gave no usable JSON')
      return
    }
    await profile.apply(session, message.id, extractionFacts(extraction), 'llm', log)
  }

  app.chat.onHumanMessage(async ({ session, message, log }) => {
    if (settings.extractor !== 'llm') {
      await profile.apply(session, message.id, profile.extractByRules(message.content), 'rules', log)
    }
    if (settings.extractor !== 'rules') {
      // In the background: the visitor's reply does not wait for a second LLM call.
      const task = extractWithLlm(session, message, log)
        .catch((err) => log.error({ event: 'profile.llm_extraction_failed', err }, 'LLM profile extraction failed'))
        .finally(() => pending.delete(task))
      pending.add(task)
    }
  })
  app.addHook('onClose', async () => { await Promise.allSettled([...pending]) })
}, { name: 'profile', dependencies: ['db', 'config', 'chat', 'llm', 'ledger'] })

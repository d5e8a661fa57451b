// Owns customers and proof of identity (SPEC §10): app.identity. A session proves who its visitor is by an emailed
// code or by the host site's signed token and is then linked to a customer (profiles merged, every change with
// provenance, all in one transaction); operators merge or dismiss email collisions and undo links; a verified visitor
// can erase the customer. Codes are never logged, stored only hashed, and compared in constant time.
import fp from 'fastify-plugin'
import type { FastifyBaseLogger } from 'fastify'
import type { Session } from '../../db/types.ts'
import { createIdentityRepository, identityTransaction, type IdentityRepository, type LinkState, type ProfileStep } from '../../db/repositories/identity.ts'
import { uuidv7 } from '../../db/uuid7.ts'
import { Errors } from '../infrastructure/errors/error-classes.ts'
import type { Config } from '../infrastructure/config/schema.ts'
import type { MailService } from './mail.ts'
import { maskValue } from './profile/merge.ts'
import type { ProfileFact } from './profile/types.ts'
import { codeMatches, hashCode, MASKED_CODE, newCode, verificationEmail } from './identity/codes.ts'
import { emailHint, parseEmailAddress } from './identity/email-address.ts'
import { verifyIdentityToken } from './identity/token.ts'
import { factsStep, planLinkMerge, planUndo } from './identity/merge-profiles.ts'

declare module 'fastify' {
  interface FastifyInstance { identity: ReturnType<typeof createIdentityService> }
}

/** Counts verification outcomes when a metrics plugin offers a counter (SPEC §14); otherwise nothing. */
export type VerificationCounter = (outcome: string) => void

interface Dependencies {
  db: Parameters<typeof createIdentityRepository>[0]
  config: Config
  mail: MailService
  count: VerificationCounter
}

type ConfirmOutcome =
  | { ok: true, customerId: string, linked: boolean }
  | { ok: false, error: 'no_pending' | 'used' | 'void' | 'expired' | 'wrong' }

const CONFIRM_ERRORS = {
  no_pending: () => new Errors.NoPendingCode(),
  used: () => new Errors.CodeAlreadyUsed(),
  void: () => new Errors.TooManyAttempts(),
  expired: () => new Errors.CodeExpired(),
  wrong: () => new Errors.InvalidCode()
}

const maskEmail = (email: string) => maskValue('email', email)

function createIdentityService ({ db, config, mail, count }: Dependencies) {
  const settings = config.identity
  const repository = createIdentityRepository(db)

  /** Links inside the caller's transaction; a session already linked elsewhere rolls the whole unit back (409). */
  async function link (repo: IdentityRepository, input: Parameters<IdentityRepository['linkSession']>[0], plan: (state: LinkState) => ProfileStep[]) {
    const result = await repo.linkSession(input, plan)
    if (result.status === 'other_customer') throw new Errors.AlreadyLinked()
    if (result.status === 'no_session') throw new Errors.NotFound('Session')
    return result
  }

  function logLink (log: FastifyBaseLogger, customerId: string, result: Awaited<ReturnType<typeof link>>): void {
    if (result.status !== 'linked') return
    log.info({
      event: 'identity.linked',
      customer_id: customerId,
      link_id: result.link.id,
      method: result.link.method,
      profile_changes: result.link.changes.profile_update_ids.length
    }, 'session linked to a customer')
  }

  return {
    /**
     * SPEC §10's extra fields of GET /api/session: the customer, whether the visitor proved who they are, and the
     * email hint offered while the session is anonymous and its email is known elsewhere.
     */
    async describe (session: Pick<Session, 'id' | 'customer_id' | 'email'>) {
      const anonymous = session.customer_id === null
      const known = anonymous && session.email !== null && await repository.emailKnownElsewhere(session.id, session.email)
      return {
        customer_id: session.customer_id,
        identity: anonymous ? 'anonymous' as const : 'verified' as const,
        verification: known ? { email_hint: emailHint(session.email!) } : null
      }
    },

    /** Sends a 6-digit code to the address (default: the session's email); the hourly limits count per session and address. */
    async requestCode (session: Session, rawEmail: string | undefined, log: FastifyBaseLogger) {
      const email = rawEmail === undefined ? (await repository.findSession(session.id))?.email ?? null : parseEmailAddress(rawEmail)
      if (email === null) throw rawEmail === undefined ? new Errors.NoEmail() : new Errors.InvalidEmail()
      const code = newCode()
      const id = uuidv7()
      const limited = await identityTransaction(db, async (repo) => {
        const recent = await repo.recentCodes(session.id, email)
        if (!recent) throw new Errors.NotFound('Session')
        if (recent.session >= settings.max_codes_per_hour) return 'session'
        if (recent.address >= settings.max_codes_per_hour) return 'address'
        await repo.insertVerification({ id, sessionId: session.id, email, codeHash: hashCode(id, code), ttlSeconds: settings.code_ttl_s })
        return null
      })
      if (limited) {
        count('rate_limited')
        log.warn({ event: 'identity.code_limited', per: limited, email: maskEmail(email) }, 'too many codes in the last hour')
        throw new Errors.TooManyCodes(limited === 'session' ? 'session' : 'address')
      }
      const sent = verificationEmail(config.app.name, code, settings.code_ttl_s)
      const stored = verificationEmail(config.app.name, MASKED_CODE, settings.code_ttl_s)
      await mail.send({ to: email, subject: sent.subject, text: sent.text, storedText: stored.text, kind: 'verification', sessionId: session.id })
      count('sent')
      log.info({ event: 'identity.code_sent', verification_id: id, email: maskEmail(email) }, 'verification code sent')
      return { sent: true as const, email_hint: emailHint(email) }
    },

    /**
     * Checks the session's newest code; the right one links the session to the customer with that address (made if
     * none) in the same transaction that consumes the code, so of concurrent confirms exactly one wins. A wrong code
     * is counted (and commits) before the error is answered.
     */
    async confirmCode (session: Session, code: string, log: FastifyBaseLogger) {
      const outcome = await identityTransaction(db, async (repo): Promise<ConfirmOutcome> => {
        const verification = await repo.newestVerification(session.id)
        if (!verification || verification.status === 'superseded') return { ok: false, error: 'no_pending' }
        if (verification.status === 'consumed') return { ok: false, error: 'used' }
        if (verification.status === 'void') return { ok: false, error: 'void' }
        if (verification.expired) return { ok: false, error: 'expired' }
        if (!codeMatches(verification.id, code, verification.code_hash)) {
          await repo.recordWrongCode(verification.id, settings.max_attempts)
          return { ok: false, error: 'wrong' }
        }
        await repo.consumeVerification(verification.id)
        const { customer, created } = await repo.customerByEmail(verification.email)
        const verified: ProfileFact = { field: 'email', value: verification.email, confidence: 1 }
        const result = await link(repo, {
          sessionId: session.id, customerId: customer.id, customerCreated: created, method: 'email_code', metadata: { verification_id: verification.id }
        }, (state) => {
          const merge = planLinkMerge(state)
          return [merge, factsStep(merge.next, [verified], 'email_code')]
        })
        logLink(log, customer.id, result)
        return { ok: true, customerId: customer.id, linked: result.status === 'linked' }
      })
      count(outcome.ok ? 'confirmed' : outcome.error)
      if (!outcome.ok) {
        log.info({ event: 'identity.code_rejected', reason: outcome.error }, 'verification code refused')
        throw CONFIRM_ERRORS[outcome.error]()
      }
      return { customer_id: outcome.customerId, identity: 'verified' as const }
    },

    /** True when the host-site route exists (a secret is configured). */
    get identifyEnabled () { return settings.secret !== null },

    /** Links the session to the host site's user named by a verified token; its email and name become facts. */
    async identify (session: Session, token: string, log: FastifyBaseLogger) {
      if (settings.secret === null) throw new Errors.NotFound('Route')
      const verified = await verifyIdentityToken(token, settings.secret)
      if (!verified.ok) {
        count('token_rejected')
        log.warn({ event: 'identity.token_rejected', reason: verified.reason }, 'identity token refused')
        throw new Errors.InvalidIdentityToken()
      }
      const { sub, email, name } = verified.identity
      const facts: ProfileFact[] = [
        ...(email ? [{ field: 'email' as const, value: email, confidence: 1 }] : []),
        ...(name ? [{ field: 'customer_name' as const, value: name, confidence: 1 }] : [])
      ]
      const customerId = await identityTransaction(db, async (repo) => {
        const { customer, created } = await repo.customerByExternalId(sub)
        const result = await link(repo, { sessionId: session.id, customerId: customer.id, customerCreated: created, method: 'host_token' }, (state) => {
          const merge = planLinkMerge(state)
          return [merge, factsStep(merge.next, facts, 'host')]
        })
        logLink(log, customer.id, result)
        return customer.id
      })
      count('identified')
      return { customer_id: customerId, identity: 'verified' as const }
    },

    /** An operator's undo: the session is anonymous again and the customer's profile loses what only it taught. */
    async undoLink (linkId: string, log: FastifyBaseLogger) {
      const result = await identityTransaction(db, async (repo) => await repo.undoLink(linkId, planUndo))
      if (result.status === 'not_found') throw new Errors.NotFound('Identity link')
      if (result.status === 'already_undone') throw new Errors.AlreadyResolved('This link has already been undone')
      log.info({ event: 'identity.undone', link_id: linkId, customer_id: result.link.customer_id, session_id: result.link.session_id }, 'identity link undone')
      return result.link
    },

    /**
     * An operator's merge of a collision: both sessions are linked to one customer (the one either already has,
     * else the one with that email, made if none), and the collision is marked merged — one transaction.
     */
    async mergeCollision (collisionId: string, log: FastifyBaseLogger) {
      const collision = await identityTransaction(db, async (repo) => {
        const found = await repo.lockCollision(collisionId)
        if (!found) throw new Errors.NotFound('Collision')
        if (found.status !== 'open') throw new Errors.AlreadyResolved(`This collision is already ${found.status}`)
        const sessions = [await repo.findSession(found.session_id), await repo.findSession(found.other_session_id)]
        const customers = [...new Set(sessions.map((s) => s?.customer_id).filter((id) => typeof id === 'string'))]
        if (customers.length > 1) throw new Errors.AlreadyLinked()
        const chosen = customers[0] !== undefined ? { id: customers[0], created: false } : await repo.customerByEmail(found.email).then((r) => ({ id: r.customer.id, created: r.created }))
        for (const [i, session] of sessions.entries()) {
          if (!session || session.customer_id === chosen.id) continue
          const result = await link(repo, {
            sessionId: session.id, customerId: chosen.id, customerCreated: chosen.created && i === 0, method: 'operator', metadata: { collision_id: collisionId }
          }, (state) => [planLinkMerge(state)])
          logLink(log, chosen.id, result)
        }
        return await repo.resolveCollision(collisionId, 'merged', chosen.id)
      })
      log.info({ event: 'identity.collision_merged', collision_id: collisionId, customer_id: collision.customer_id }, 'collision merged')
      return collision
    },

    async dismissCollision (collisionId: string, log: FastifyBaseLogger) {
      const collision = await identityTransaction(db, async (repo) => {
        const found = await repo.lockCollision(collisionId)
        if (!found) throw new Errors.NotFound('Collision')
        if (found.status !== 'open') throw new Errors.AlreadyResolved(`This collision is already ${found.status}`)
        return await repo.resolveCollision(collisionId, 'dismissed', null)
      })
      log.info({ event: 'identity.collision_dismissed', collision_id: collisionId }, 'collision dismissed')
      return collision
    },

    /** Identity links for the console, newest first. */
    async links (options: { limit: number, before?: string }) {
      return await repository.links(options.limit, options.before)
    },

    /** Erases the session's customer and every session linked to it (404 for an anonymous session). */
    async eraseCustomer (session: Session, log: FastifyBaseLogger) {
      const customerId = (await repository.findSession(session.id))?.customer_id ?? null
      if (customerId === null) throw new Errors.NotFound('Customer')
      const sessions = await identityTransaction(db, async (repo) => await repo.eraseCustomer(customerId))
      log.info({ event: 'customer.erased', customer_id: customerId, sessions }, 'customer erased at the visitor\'s request')
    }
  }
}

export type IdentityService = ReturnType<typeof createIdentityService>

export default fp(async (app) => {
  // The metrics plugin (SPEC §14) may offer a verification counter; without it, counting is a no-op.
  const count: VerificationCounter = () => {}
  app.decorate('identity', createIdentityService({ db: app.db, config: app.config, mail: app.mail, count }))
}, { name: 'identity', dependencies: ['config', 'db', 'mail'] })

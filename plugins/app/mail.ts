// Owns outgoing email and the outbox table: app.mail. Transport `outbox` only stores the message (the operator
// console shows it); `smtp` also sends it through nodemailer. Either way one outbox row records it, with the secret
// parts of the body (a verification code) masked: the clear text exists only in memory on its way to the SMTP server.
import fp from 'fastify-plugin'
import nodemailer from 'nodemailer'
import type { FastifyBaseLogger } from 'fastify'
import type { OutboxRow } from '../../db/types.ts'
import { createOutboxRepository, type OutboxRepository } from '../../db/repositories/outbox.ts'
import { uuidv7 } from '../../db/uuid7.ts'
import { Errors } from '../infrastructure/errors/error-classes.ts'

declare module 'fastify' {
  interface FastifyInstance { mail: ReturnType<typeof createMailService> }
}

export interface OutgoingMail {
  to: string
  subject: string
  /** The body as sent. */
  text: string
  /** The body as stored: `text` with every secret masked. */
  storedText: string
  kind: string
  sessionId: string | null
}

interface Sender { send: (mail: OutgoingMail) => Promise<void>, close: () => void }

export interface MailSettings { transport: 'outbox' | 'smtp', smtp_url: string | null, from: string }

function smtpSender (settings: MailSettings): Sender {
  if (!settings.smtp_url) throw new Error('mail.transport is smtp but mail.smtp_url (env SMTP_URL) is not set')
  const transporter = nodemailer.createTransport(settings.smtp_url)
  return {
    async send (mail) {
      await transporter.sendMail({ from: settings.from, to: mail.to, subject: mail.subject, text: mail.text })
    },
    close: () => transporter.close()
  }
}

/** SMTP errors can quote the conversation; only the code and the response code are kept. */
function describeFailure (err: unknown): string {
  if (err && typeof err === 'object') {
    const { code, responseCode } = err as { code?: unknown, responseCode?: unknown }
    return [code, responseCode].filter((v) => v !== undefined).join(' ') || 'send failed'
  }
  return 'send failed'
}

function createMailService (settings: MailSettings, outbox: OutboxRepository, log: FastifyBaseLogger) {
  const sender = settings.transport === 'smtp' ? smtpSender(settings) : null
  return {
    transport: settings.transport,

    /** Records the message and, with the smtp transport, sends it; a failed send is recorded and thrown as 502. */
    async send (mail: OutgoingMail): Promise<OutboxRow> {
      const row = await outbox.insert({
        id: uuidv7(),
        session_id: mail.sessionId,
        recipient: mail.to,
        subject: mail.subject,
        body: mail.storedText,
        kind: mail.kind,
        transport: settings.transport,
        status: sender ? 'sending' : 'stored'
      })
      if (!sender) {
        log.info({ event: 'mail.stored', outbox_id: row.id, kind: mail.kind }, 'email stored in the outbox')
        return row
      }
      try {
        await sender.send(mail)
      } catch (err) {
        const reason = describeFailure(err)
        log.error({ event: 'mail.failed', outbox_id: row.id, kind: mail.kind, reason }, 'sending an email failed')
        await outbox.markFailed(row.id, reason)
        throw new Errors.MailFailed()
      }
      log.info({ event: 'mail.sent', outbox_id: row.id, kind: mail.kind }, 'email sent')
      return await outbox.markSent(row.id)
    },

    /** A page of the outbox, newest first, for the operator console. */
    async list (options: { limit: number, before?: string }) {
      return await outbox.page(options.limit, options.before)
    },

    close (): void {
      sender?.close()
    }
  }
}

export type MailService = ReturnType<typeof createMailService>

export default fp(async (app) => {
  const mail = createMailService(app.config.mail, createOutboxRepository(app.db), app.log.child({ plugin: 'mail' }))
  app.decorate('mail', mail)
  app.addHook('onClose', () => mail.close())
}, { name: 'mail', dependencies: ['config', 'db'] })

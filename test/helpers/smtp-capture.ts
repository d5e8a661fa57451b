// A real SMTP server on loopback (smtp-server) that keeps every message it receives, for the mail transport's tests.
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'

interface Teardown { teardown: (fn: () => unknown) => void }

export interface ReceivedMail { from: string, to: string[], raw: string }

export async function startSmtpCapture (t: Teardown) {
  const received: ReceivedMail[] = []
  const waiters: Array<() => void> = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData (stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8')
        })
        for (const wake of waiters.splice(0)) wake()
        callback()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The code in the newest message to `to` (waits for the `count`-th to arrive; a bound on a hang, not a timing test). */
    async codeFor (to: string, count = 1): Promise<string> {
      const deadline = Date.now() + 30_000
      for (;;) {
        if (Date.now() > deadline) throw new Error(`no message number ${count} to ${to}`)
        const mails = received.filter((m) => m.to.includes(to))
        if (mails.length >= count) {
          const match = /verification code is (\d{6})\./.exec(mails[mails.length - 1]!.raw)
          if (!match) throw new Error('no code in the message')
          return match[1]!
        }
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 1000) })
      }
    }
  }
}

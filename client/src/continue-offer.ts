// "Continue your earlier conversation?" (SPEC §10): when the server says this visitor's email is already known
// elsewhere (GET /api/session's verification.email_hint), offer to prove it with an emailed code; once confirmed,
// the conversation is reloaded and shows every session of the customer. All text goes in as text nodes.
import { ApiError, confirmVerificationCode, getSession, requestVerificationCode } from './api.ts'
import { h } from './dom.ts'

export interface ContinueOffer {
  /** Looks at the session again and shows the offer when there is one (after each turn, and on load). */
  check: () => Promise<void>
}

export interface ContinueOfferOptions {
  /** Where the panel goes (before the composer). */
  anchor: HTMLElement
  /** Called once the session is linked: reload the timeline and whatever shows the profile. */
  onVerified: () => Promise<void>
}

function describe (err: unknown): string {
  if (!(err instanceof ApiError)) return 'Something went wrong. Please try again.'
  switch (err.code) {
    case 'invalid_code': return 'That code is not right. Check the email and try again.'
    case 'code_expired': return 'That code has expired. Send a new one.'
    case 'too_many_attempts': return 'Too many wrong codes. Send a new one.'
    case 'too_many_codes': return 'Too many codes were sent in the last hour. Please try again later.'
    case 'invalid_request': return 'Enter the six digits from the email.'
    case 'mail_failed': return 'We could not send the email just now. Please try again.'
    default: return err.message !== '' ? err.message : 'Something went wrong. Please try again.'
  }
}

export function createContinueOffer ({ anchor, onVerified }: ContinueOfferOptions): ContinueOffer {
  let dismissed = false
  let panel: HTMLElement | null = null

  function close (): void {
    panel?.remove()
    panel = null
  }

  function shell (...children: Node[]): HTMLElement {
    const node = h('section', { class: 'offer', 'data-testid': 'continue-offer', 'aria-label': 'Continue your earlier conversation' }, ...children)
    if (panel === null) anchor.before(node)
    else panel.replaceWith(node)
    panel = node
    return node
  }

  function errorLine (): HTMLParagraphElement {
    return h('p', { class: 'offer-error', role: 'alert', 'data-testid': 'offer-error' })
  }

  function showOffer (hint: string): void {
    const send = h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'offer-send' }, 'Send code')
    const later = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'offer-dismiss' }, 'Not now')
    const error = errorLine()
    shell(
      h('p', { class: 'offer-title' }, 'Continue your earlier conversation?'),
      h('p', { class: 'offer-text' }, `We can email a code to ${hint} to prove it is you.`),
      h('div', { class: 'offer-actions' }, send, later),
      error
    )
    later.addEventListener('click', () => { dismissed = true; close() })
    send.addEventListener('click', () => {
      send.disabled = true
      requestVerificationCode().then((sent) => { showCodeEntry(sent.email_hint) }, (err: unknown) => {
        error.textContent = describe(err)
        send.disabled = false
      })
    })
  }

  function showCodeEntry (hint: string): void {
    const input = h('input', {
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      maxlength: 6,
      pattern: '[0-9]{6}',
      class: 'offer-code',
      'aria-label': 'Verification code',
      'data-testid': 'offer-code'
    })
    const confirm = h('button', { type: 'submit', class: 'btn btn-primary btn-small', 'data-testid': 'offer-confirm' }, 'Continue')
    const resend = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'offer-resend' }, 'Send a new code')
    const error = errorLine()
    const form = h('form', { class: 'offer-actions', novalidate: true }, input, confirm, resend)
    shell(
      h('p', { class: 'offer-title' }, 'Enter the code'),
      h('p', { class: 'offer-text' }, `We sent a 6-digit code to ${hint}.`),
      form,
      error
    )
    input.focus()
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      confirm.disabled = true
      confirmVerificationCode(input.value.trim()).then(async () => {
        close()
        await onVerified()
      }).catch((err: unknown) => {
        error.textContent = describe(err)
        confirm.disabled = false
      })
    })
    resend.addEventListener('click', () => {
      requestVerificationCode().then(() => { error.textContent = 'A new code is on its way.' }, (err: unknown) => { error.textContent = describe(err) })
    })
  }

  return {
    async check () {
      if (dismissed || panel !== null) return
      const session = await getSession()
      const hint = session.identity === 'anonymous' ? session.verification?.email_hint : undefined
      if (hint !== undefined) showOffer(hint)
    }
  }
}

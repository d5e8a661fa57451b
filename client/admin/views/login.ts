// Sign-in: the admin token, once, for a 12-hour httpOnly cookie. The token is never stored by the page.
import { background } from '../../src/dom.ts'
import { api, ApiError } from '../api.ts'
import { h, heading, notice } from '../ui.ts'

export function renderLogin (root: HTMLElement, onSignedIn: () => void): void {
  const input = h('input', { id: 'admin-token', type: 'password', name: 'token', autocomplete: 'current-password', required: true, 'data-testid': 'login-token', 'aria-describedby': 'login-help' })
  const status = h('div', { 'data-testid': 'login-status' })
  const form = h('form', { class: 'login-form', 'data-testid': 'login-form', novalidate: true },
    h('label', { for: 'admin-token' }, 'Admin token'),
    input,
    h('p', { class: 'muted', id: 'login-help' }, 'The ADMIN_TOKEN this server was started with. You stay signed in for 12 hours on this browser.'),
    h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'login-submit' }, 'Sign in'),
    status)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    if (input.value.trim() === '') {
      status.replaceChildren(notice('Enter the admin token.', 'error'))
      input.focus()
      return
    }
    background(api.login(input.value.trim()).then(() => {
      input.value = ''
      onSignedIn()
    }, (err: unknown) => {
      const message = err instanceof ApiError && err.status === 401
        ? 'That token is not right.'
        : err instanceof ApiError && err.status === 429 ? 'Too many attempts from here; wait a minute.' : 'Could not sign in.'
      status.replaceChildren(notice(message, 'error'))
      input.select()
    }))
  })
  root.replaceChildren(heading('Sign in'), form)
  input.focus()
}

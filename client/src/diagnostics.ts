// Dev diagnostics (ui.dev_diagnostics): session, usage totals and the extracted profile.
// Every value is set with textContent; nothing from the server is parsed as HTML.
import { getProfile, getSession, getUsage, usageExportUrl } from './api.ts'
import { background, h } from './dom.ts'
import { formatCost, formatCount, formatDateTime } from './format.ts'
import { describeProfileValue, PROFILE_FIELDS } from './profile-fields.ts'
import type { Profile, ProfileField, SessionInfo, UsageSummary } from './types.ts'

export interface Diagnostics {
  refresh: () => Promise<void>
}

interface Row {
  row: HTMLElement
  value: HTMLElement
}

function row (label: string, testId: string): Row {
  const value = h('dd', { 'data-testid': testId }, '—')
  return { row: h('div', { class: 'diag-row' }, h('dt', {}, label), value), value }
}

/** Sets a value, with the raw form in data-value for tests and an "empty" look for missing data. */
function setValue (target: HTMLElement, text: string, raw: string = text): void {
  const empty = text === '' || text === '—'
  target.textContent = empty ? '—' : text
  target.dataset.value = empty ? '' : raw
  target.classList.toggle('diag-empty', empty)
}

function section (title: string, id: string, ...content: Node[]): HTMLElement {
  return h('section', { class: 'diag-section', 'aria-labelledby': id },
    h('h2', { class: 'diag-heading', id }, title), ...content)
}

export function createDiagnostics (root: HTMLElement): Diagnostics {
  const sessionId = h('code', { 'data-testid': 'diag-session-id', class: 'diag-code' }, '—')
  const sessionRows = {
    created: row('Created', 'diag-session-created'),
    lastActivity: row('Last activity', 'diag-session-last-activity'),
    anonymous: row('Anonymous', 'diag-anonymous'),
    email: row('Email', 'diag-session-email'),
    messages: row('Messages', 'diag-message-count')
  }
  const sessionError = h('p', { class: 'diag-error', hidden: true })

  const usageRows = {
    requests: row('Requests', 'diag-usage-requests'),
    tokens: row('Total tokens', 'diag-usage-tokens'),
    prompt: row('Prompt tokens', 'diag-usage-prompt-tokens'),
    completion: row('Completion tokens', 'diag-usage-completion-tokens'),
    cost: row('Cost', 'diag-usage-cost'),
    first: row('First request', 'diag-usage-first'),
    last: row('Last request', 'diag-usage-last')
  }
  const byModelBody = h('tbody')
  const byModel = h('div', { class: 'diag-table-wrap', hidden: true, tabindex: '0', 'aria-label': 'Usage by model' },
    h('table', { class: 'diag-table', 'data-testid': 'diag-usage-by-model' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Model'),
        h('th', { scope: 'col', class: 'num' }, 'Req.'),
        h('th', { scope: 'col', class: 'num' }, 'Tokens'),
        h('th', { scope: 'col', class: 'num' }, 'Cost'))),
      byModelBody))
  const exportLink = h('a', { class: 'diag-export', 'data-testid': 'diag-usage-export', href: '#', download: 'usage.json', hidden: true },
    'Download usage export (JSON)')
  const usageError = h('p', { class: 'diag-error', hidden: true })

  const profileValues = new Map<ProfileField, HTMLElement>()
  const profileList = h('dl', { class: 'diag-list', 'data-testid': 'diag-profile' })
  for (const [field, label] of PROFILE_FIELDS) {
    const r = row(label, `diag-profile-${field}`)
    profileValues.set(field, r.value)
    profileList.append(r.row)
  }
  const profileUpdated = row('Updated', 'diag-profile-updated_at')
  profileList.append(profileUpdated.row)
  const profileError = h('p', { class: 'diag-error', hidden: true })

  const refreshButton = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'diag-refresh' }, 'Refresh')
  const refreshedAt = h('span', { class: 'diag-refreshed', 'aria-live': 'polite' })

  const details = h('details', { class: 'diagnostics', 'data-testid': 'diagnostics' },
    h('summary', { class: 'diag-summary' }, 'Diagnostics', h('span', { class: 'diag-badge' }, 'dev')),
    h('div', { class: 'diag-body' },
      section('Session', 'diag-h-session',
        h('dl', { class: 'diag-list' },
          h('div', { class: 'diag-row diag-row--wide' }, h('dt', {}, 'Session ID'), h('dd', {}, sessionId)),
          ...Object.values(sessionRows).map((r) => r.row)),
        sessionError),
      section('Usage', 'diag-h-usage',
        h('dl', { class: 'diag-list' }, ...Object.values(usageRows).map((r) => r.row)),
        byModel, exportLink, usageError),
      section('Profile', 'diag-h-profile', profileList, profileError),
      h('div', { class: 'diag-footer' }, refreshedAt, refreshButton)))

  // Open by default where there is room for a side column; a collapsed bar on phones.
  details.open = window.matchMedia('(min-width: 1100px)').matches
  root.replaceChildren(details)
  root.hidden = false

  function showError (target: HTMLElement, err: unknown, what: string): void {
    target.hidden = err === undefined
    target.textContent = err === undefined ? '' : `Couldn’t load ${what}${err instanceof Error && err.message !== '' ? `: ${err.message}` : '.'}`
  }

  function renderSession (session: SessionInfo): void {
    setValue(sessionId, session.session_id)
    setValue(sessionRows.created.value, formatDateTime(session.created_at), session.created_at)
    setValue(sessionRows.lastActivity.value, formatDateTime(session.last_activity_at), session.last_activity_at)
    setValue(sessionRows.anonymous.value, session.is_anonymous ? 'Yes' : 'No', String(session.is_anonymous))
    setValue(sessionRows.email.value, session.email ?? '')
    setValue(sessionRows.messages.value, formatCount(session.message_count), String(session.message_count))
    exportLink.href = usageExportUrl(session.session_id)
    exportLink.hidden = false
  }

  function renderUsage (usage: UsageSummary): void {
    setValue(usageRows.requests.value, formatCount(usage.requests), String(usage.requests))
    setValue(usageRows.tokens.value, formatCount(usage.total_tokens), String(usage.total_tokens))
    setValue(usageRows.prompt.value, formatCount(usage.prompt_tokens), String(usage.prompt_tokens))
    setValue(usageRows.completion.value, formatCount(usage.completion_tokens), String(usage.completion_tokens))
    setValue(usageRows.cost.value, formatCost(usage.cost ?? '0'), usage.cost ?? '0')
    setValue(usageRows.first.value, formatDateTime(usage.first_request_at), usage.first_request_at ?? '')
    setValue(usageRows.last.value, formatDateTime(usage.last_request_at), usage.last_request_at ?? '')
    const models = Array.isArray(usage.by_model) ? usage.by_model : []
    byModelBody.replaceChildren(...models.map((m) => h('tr', {},
      h('th', { scope: 'row' }, m.model, h('span', { class: 'diag-provider' }, m.provider)),
      h('td', { class: 'num' }, formatCount(m.requests)),
      h('td', { class: 'num' }, formatCount(m.total_tokens)),
      h('td', { class: 'num' }, formatCost(m.cost ?? '0')))))
    byModel.hidden = models.length === 0
  }

  function renderProfile (profile: Profile): void {
    for (const [field, target] of profileValues) {
      const value: unknown = profile[field]
      setValue(target, describeProfileValue(value), typeof value === 'string' ? value : JSON.stringify(value ?? null))
    }
    setValue(profileUpdated.value, formatDateTime(profile.updated_at), profile.updated_at ?? '')
  }

  let generation = 0
  async function refresh (): Promise<void> {
    const mine = ++generation
    details.setAttribute('aria-busy', 'true')
    const [session, profile] = await Promise.allSettled([getSession(), getProfile()])
    const usage = session.status === 'fulfilled'
      ? await getUsage(session.value.session_id).then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }))
      : { status: 'rejected' as const, reason: session.reason as unknown }
    if (mine !== generation) return // a newer refresh has started; let it win

    if (session.status === 'fulfilled') renderSession(session.value)
    showError(sessionError, session.status === 'rejected' ? session.reason : undefined, 'the session')
    if (usage.status === 'fulfilled') renderUsage(usage.value)
    showError(usageError, usage.status === 'rejected' ? usage.reason : undefined, 'usage')
    if (profile.status === 'fulfilled') renderProfile(profile.value)
    showError(profileError, profile.status === 'rejected' ? profile.reason : undefined, 'the profile')

    details.setAttribute('aria-busy', 'false')
    refreshedAt.textContent = `Updated ${new Date().toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' })}`
  }

  refreshButton.addEventListener('click', () => { background(refresh()) })
  return { refresh }
}

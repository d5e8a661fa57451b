// /admin/collisions: the same email in two sessions. Both sides next to each other, then Merge (one customer) or
// Dismiss; below, the identity links with Undo. The changes are the customers plugin's routes.
import type { CollisionReview } from '../../../src/routes/schemas/admin.ts'
import { announce, background } from '../../src/dom.ts'
import { api, ApiError, type IdentityLink } from '../api.ts'
import { formatCount, formatWhen, text } from '../format.ts'
import type { ViewContext } from '../main.ts'
import type { Route } from '../router.ts'
import { definitions, errorText, h, heading, link, notice, table, loadForView } from '../ui.ts'

type Collision = CollisionReview['collisions'][number]
type Side = Collision['session']

function sideCard (title: string, side: Side): HTMLElement {
  if (!side) return h('div', { class: 'card side' }, h('h3', {}, title), notice('This session no longer exists.'))
  return h('div', { class: 'card side', 'data-testid': 'collision-side' },
    h('h3', {}, title, ' · ', link(`/admin/conversations/${side.session_id}`, 'transcript')),
    definitions([
      ['Name', text(side.customer_name)], ['Email', text(side.email)], ['Phone', text(side.phone)],
      ['Interests', text([...side.products_of_interest ?? [], ...side.services_of_interest ?? []].join(', '))],
      ['First seen', formatWhen(side.created_at)], ['Last activity', formatWhen(side.last_activity_at)], ['Messages', formatCount(side.messages)]
    ]),
    h('h4', {}, 'Last messages'),
    side.last_messages.length === 0
      ? h('p', { class: 'muted' }, 'None')
      : h('ol', { class: 'snippets' }, ...side.last_messages.map((m) => h('li', { 'data-role': m.role },
        h('span', { class: 'muted' }, m.role === 'human' ? 'Visitor: ' : 'Assistant: '), m.content))))
}

function act (button: HTMLButtonElement, action: () => Promise<unknown>, done: string, rerender: () => void, status: HTMLElement): void {
  button.addEventListener('click', () => {
    button.disabled = true
    background(action().then(() => {
      announce(done)
      rerender()
    }, (err: unknown) => {
      button.disabled = false
      status.replaceChildren(notice(err instanceof ApiError && err.status === 404 && err.code === 'not_found'
        ? 'That is gone (the session may have been erased). Reload the list.'
        : errorText(err), 'error'))
    }))
  })
}

function collisionCard (c: Collision, rerender: () => void): HTMLElement {
  const status = h('div', { role: 'status' })
  const merge = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'collision-merge' }, 'Merge into one customer')
  const dismiss = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'collision-dismiss' }, 'Dismiss')
  act(merge, async () => await api.merge(c.id), `Merged ${c.email}`, rerender, status)
  act(dismiss, async () => await api.dismiss(c.id), `Dismissed ${c.email}`, rerender, status)
  return h('article', { class: 'collision', 'data-testid': 'collision', 'data-id': c.id, 'aria-label': `Collision on ${c.email}` },
    h('h2', {}, c.email, h('span', { class: 'muted' }, ` · seen ${formatWhen(c.detected_at)}`)),
    h('div', { class: 'sides' }, sideCard('First session', c.session), sideCard('Other session', c.other_session)),
    h('div', { class: 'actions' }, merge, dismiss), status)
}

async function linksSection (rerender: () => void): Promise<HTMLElement> {
  const section = h('section', { 'aria-label': 'Identity links', 'data-testid': 'identity-links' }, h('h2', {}, 'Identity links'))
  let links: IdentityLink[]
  try {
    links = (await api.identityLinks()).links
  } catch (err) {
    section.append(notice(err instanceof ApiError && err.status === 404 ? 'Identity links are not available on this server.' : errorText(err), 'error'))
    return section
  }
  if (links.length === 0) {
    section.append(notice('No identity links yet.'))
    return section
  }
  const status = h('div', { role: 'status' })
  section.append(table('Identity links', [
    { label: 'Session', cell: (l) => link(`/admin/conversations/${l.session_id}`, l.session_id.slice(0, 8)) },
    { label: 'Customer', cell: (l) => l.customer_email ?? l.customer_external_id ?? h('code', {}, l.customer_id.slice(0, 8)) },
    { label: 'Method', cell: (l) => l.method },
    { label: 'Linked', cell: (l) => formatWhen(l.created_at) },
    {
      label: 'Undo',
      cell: (l) => {
        if (l.undone_at) return `undone ${formatWhen(l.undone_at)}`
        const undo = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'link-undo', 'data-id': l.id, 'aria-label': `Undo link of session ${l.session_id.slice(0, 8)}` }, 'Undo')
        act(undo, async () => await api.undoLink(l.id), 'Link undone', rerender, status)
        return undo
      }
    }
  ], links, 'link-table'), status)
  return section
}

export async function renderCollisions (root: HTMLElement, route: Route, context: ViewContext): Promise<void> {
  const rerender = () => { context.go(`/admin/collisions${route.params.size > 0 ? `?${route.params.toString()}` : ''}`, true) }
  root.replaceChildren(heading('Collisions'))
  const review = await loadForView(context, (n) => root.append(n), async () => await api.collisions())
  if (review === null) return
  const links = await linksSection(rerender)
  if (!context.current()) return
  root.append(
    review.collisions.length === 0
      ? notice('No open collisions.')
      : h('div', { class: 'collisions', 'data-testid': 'collision-list' }, ...review.collisions.map((c) => collisionCard(c, rerender))),
    links)
}

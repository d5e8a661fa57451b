// The operator console (SPEC §12): signs in with the admin token, then shows one view per address.
import 'uplot/dist/uPlot.min.css'
import './admin.css'
import { announce, background, byId } from '../src/dom.ts'
import { api } from './api.ts'
import { parseRoute, startRouter, type Route } from './router.ts'
import { h, notice } from './ui.ts'
import { renderLogin } from './views/login.ts'
import { renderLeads } from './views/leads.ts'
import { renderConversation } from './views/conversation.ts'
import { renderCollisions } from './views/collisions.ts'
import { renderCosts } from './views/costs.ts'
import { renderOutbox } from './views/outbox.ts'

export interface ViewContext {
  go: (url: string, replace?: boolean) => void
  /** False once the operator has moved on: a slow answer must not draw over the next view. */
  current: () => boolean
}

const root = byId('view')
const nav = byId('console-nav')
let generation = 0

function showDisabled (): void {
  root.replaceChildren(
    h('h1', { class: 'view-title' }, 'The console is switched off'),
    notice('No admin token is set on this server, so the console and the admin API stay closed.'),
    h('p', {}, 'Set ', h('code', {}, 'ADMIN_TOKEN'), ' (at least 16 random characters, e.g. ',
      h('code', {}, 'openssl rand -base64 32'), ') in the server\'s environment, or ', h('code', {}, 'admin.token'),
      ' in app.yaml, restart the server and reload this page.')
  )
}

const VIEWS: Record<Route['view'], (root: HTMLElement, route: Route, context: ViewContext) => Promise<void>> = {
  leads: renderLeads,
  conversation: renderConversation,
  collisions: renderCollisions,
  costs: renderCosts,
  outbox: renderOutbox
}

function markCurrent (route: Route): void {
  for (const a of nav.querySelectorAll('a[data-view]')) {
    const active = a.getAttribute('data-view') === (route.view === 'conversation' ? 'leads' : route.view)
    if (active) a.setAttribute('aria-current', 'page')
    else a.removeAttribute('aria-current')
  }
}

async function start (): Promise<void> {
  if (document.querySelector('meta[name="salient-admin"]')?.getAttribute('content') === 'disabled') {
    showDisabled()
    return
  }
  let router: ReturnType<typeof startRouter> | null = null
  const render = (route: Route) => {
    const mine = ++generation
    markCurrent(route)
    const context: ViewContext = { go: (url, replace) => router?.go(url, replace), current: () => mine === generation }
    root.replaceChildren(h('p', { class: 'muted' }, 'Loading…'))
    background(VIEWS[route.view](root, route, context).then(() => {
      if (!context.current()) return
      root.setAttribute('aria-busy', 'false')
      const title = root.querySelector<HTMLElement>('.view-title')
      document.title = `${title?.textContent ?? 'Console'} · Operator console`
      title?.focus({ preventScroll: true })
    }))
  }
  const enter = () => {
    nav.hidden = false
    router ??= startRouter(render)
    if (window.location.pathname.replace(/\/+$/, '') === '/admin') history.replaceState(null, '', '/admin/leads')
    render(parseRoute(window.location))
  }
  byId('logout-button').addEventListener('click', () => {
    background(api.logout().then(() => {
      nav.hidden = true
      announce('Signed out')
      renderLogin(root, enter)
    }))
  })
  if (await api.signedIn()) enter()
  else renderLogin(root, enter)
}

background(start().catch((err: unknown) => {
  root.replaceChildren(notice(`The console could not start: ${err instanceof Error ? err.message : String(err)}`, 'error'))
}))

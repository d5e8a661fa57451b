// Client-side addresses: every view has its own URL under /admin (the server answers each with this page), links
// marked data-link change the view without a reload, and Back/Forward work.
export interface Route {
  view: 'leads' | 'conversation' | 'collisions' | 'costs' | 'outbox'
  params: URLSearchParams
  sessionId?: string
}

export function parseRoute (location: Location | URL): Route {
  const path = location.pathname.replace(/\/+$/, '')
  const params = new URLSearchParams(location.search)
  const conversation = /^\/admin\/conversations\/([0-9a-fA-F-]{36})$/.exec(path)
  if (conversation) return { view: 'conversation', params, sessionId: conversation[1]!.toLowerCase() }
  if (path === '/admin/collisions') return { view: 'collisions', params }
  if (path === '/admin/costs') return { view: 'costs', params }
  if (path === '/admin/outbox') return { view: 'outbox', params }
  return { view: 'leads', params }
}

export function startRouter (render: (route: Route) => void): { go: (url: string, replace?: boolean) => void } {
  const go = (url: string, replace = false) => {
    if (replace) history.replaceState(null, '', url)
    else history.pushState(null, '', url)
    render(parseRoute(window.location))
  }
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-link]') : null
    if (!(link instanceof HTMLAnchorElement) || event.defaultPrevented || event.button !== 0) return
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    go(link.pathname + link.search)
  })
  window.addEventListener('popstate', () => { render(parseRoute(window.location)) })
  return { go }
}

// /admin/outbox: every email the server sent or stored (verification codes arrive masked).
import { api, ApiError } from '../api.ts'
import { formatWhen } from '../format.ts'
import type { ViewContext } from '../main.ts'
import type { Route } from '../router.ts'
import { errorText, heading, notice, table } from '../ui.ts'

export async function renderOutbox (root: HTMLElement, _route: Route, context: ViewContext): Promise<void> {
  root.replaceChildren(heading('Outbox'))
  try {
    const { emails } = await api.outbox()
    if (!context.current()) return
    root.append(emails.length === 0
      ? notice('No emails yet.')
      : table('Emails', [
        { label: 'When', cell: (e) => formatWhen(e.created_at) },
        { label: 'To', cell: (e) => e.recipient },
        { label: 'Subject', cell: (e) => e.subject },
        { label: 'Kind', cell: (e) => e.kind },
        { label: 'Status', cell: (e) => `${e.status} (${e.transport})` }
      ], emails, 'outbox-table'))
  } catch (err) {
    if (!context.current()) return
    root.append(notice(err instanceof ApiError && err.status === 404 ? 'The outbox is not available on this server.' : errorText(err), 'error'))
  }
}

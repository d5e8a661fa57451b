// /admin/leads: who left their details. The filters live in the address (so a filtered list can be linked and
// reloaded); "More" follows the server's cursor; the CSV link exports everything the filters match.
import type { Lead } from '../../../src/routes/schemas/admin.ts'
import { background } from '../../src/dom.ts'
import { api } from '../api.ts'
import { formatCost, formatCount, formatWhen, text } from '../format.ts'
import type { ViewContext } from '../main.ts'
import type { Route } from '../router.ts'
import { errorText, h, heading, link, notice, table, type Column, loadForView } from '../ui.ts'

const FILTERS = ['q', 'interest', 'from', 'to', 'sort', 'order'] as const
const DEFAULTS: Partial<Record<typeof FILTERS[number], string>> = { sort: 'last_activity', order: 'desc' }

const COLUMNS: Array<Column<Lead>> = [
  { label: 'Name', cell: (l) => link(`/admin/conversations/${l.session_id}`, text(l.customer_name) === '—' ? 'Unnamed' : text(l.customer_name), { 'data-testid': 'lead-link' }) },
  { label: 'Kind', cell: (l) => l.kind === 'customer' ? 'Customer' : 'Anonymous' },
  { label: 'Email', cell: (l) => text(l.email) },
  { label: 'Phone', cell: (l) => text(l.phone) },
  { label: 'Interests', cell: (l) => text([...l.products_of_interest, ...l.services_of_interest].join(', ')) },
  { label: 'Last activity', cell: (l) => formatWhen(l.last_activity_at) },
  { label: 'Messages', cell: (l) => formatCount(l.messages), numeric: true },
  { label: 'Cost', cell: (l) => h('span', { 'data-value': l.cost }, formatCost(l.cost)), numeric: true }
]

function field (label: string, input: HTMLInputElement | HTMLSelectElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input)
}

function select (id: string, value: string, options: Array<[string, string]>): HTMLSelectElement {
  const node = h('select', { id, name: id.replace('lead-', '') }, ...options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)))
  return node
}

export async function renderLeads (root: HTMLElement, route: Route, context: ViewContext): Promise<void> {
  const params = Object.fromEntries(FILTERS.map((key) => [key, route.params.get(key) ?? undefined]))
  const input = (name: string, type: string, label: string) => field(label,
    h('input', { id: `lead-${name}`, name, type, value: params[name] ?? '', 'data-testid': `lead-${name}`, ...(type === 'search' ? { maxlength: 100 } : {}) }))
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter leads', 'data-testid': 'lead-filters' },
    input('q', 'search', 'Search name, email or phone'),
    input('interest', 'text', 'Interest'),
    input('from', 'date', 'Active from'),
    input('to', 'date', 'Active until'),
    field('Sort by', select('lead-sort', params.sort ?? 'last_activity', [['last_activity', 'Last activity'], ['first_seen', 'First seen'], ['name', 'Name'], ['email', 'Email']])),
    field('Order', select('lead-order', params.order ?? 'desc', [['desc', 'Descending'], ['asc', 'Ascending']])),
    h('div', { class: 'field field--actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'lead-apply' }, 'Apply'),
      h('a', { class: 'btn btn-secondary', href: api.leadsCsvUrl(params), download: '', 'data-testid': 'lead-export' }, 'Export CSV')))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const data = new FormData(form)
    const search = new URLSearchParams()
    for (const key of FILTERS) {
      const value = String(data.get(key) ?? '').trim()
      // The defaults stay out of the address, so the plain list has the plain URL.
      if (value !== '' && value !== DEFAULTS[key]) search.set(key, value)
    }
    context.go(`/admin/leads${search.size > 0 ? `?${search.toString()}` : ''}`)
  })

  const results = h('section', { class: 'results', 'aria-label': 'Leads', 'data-testid': 'lead-results' })
  root.replaceChildren(heading('Leads'), form, results)
  const page = await loadForView(context, (n) => results.replaceChildren(n), async () => await api.leads(params))
  if (page === null) return
  if (page.leads.length === 0) {
    results.replaceChildren(notice('No leads match these filters.'))
    return
  }
  const shown = [...page.leads]
  const draw = (cursor: string | null) => {
    const more = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'lead-more' }, 'Show more')
    more.addEventListener('click', () => {
      more.disabled = true
      background(api.leads({ ...params, cursor: cursor ?? undefined }).then((next) => {
        shown.push(...next.leads)
        draw(next.next_cursor)
        results.querySelector<HTMLElement>('tbody tr:nth-child(' + String(shown.length - next.leads.length + 1) + ') a')?.focus()
      }, (err: unknown) => { results.append(notice(errorText(err), 'error')) }))
    })
    results.replaceChildren(
      h('p', { class: 'muted', 'data-testid': 'lead-count' }, `${shown.length} shown${cursor ? ', more available' : ''}`),
      table('Leads', COLUMNS, shown, 'lead-table'),
      ...(cursor ? [more] : []))
  }
  draw(page.next_cursor)
}

// /admin/conversations/{session_id}: the transcript, with what each reply cost and what each message taught us.
import type { Transcript } from '../../../src/routes/schemas/admin.ts'
import { background } from '../../src/dom.ts'
import { api } from '../api.ts'
import { formatCost, formatCount, formatMs, formatValue, formatWhen, isEmptyValue, text } from '../format.ts'
import type { ViewContext } from '../main.ts'
import type { Route } from '../router.ts'
import { definitions, h, heading, link, notice, loadForView } from '../ui.ts'

type Message = Transcript['messages'][number]

function llmLine (m: Message): HTMLElement {
  const parts: Array<[string, string]> = [
    ['Model', text(m.model)],
    ['Status', text(m.status ?? m.llm_status)],
    ['Tokens', m.total_tokens == null ? '—' : `${formatCount(m.prompt_tokens)} in · ${formatCount(m.completion_tokens)} out`],
    ['Cost', formatCost(m.cost)],
    ['Latency', formatMs(m.latency_ms)],
    ['First token', formatMs(m.ttft_ms)]
  ]
  return h('dl', { class: 'message-meta', 'data-testid': 'message-llm' },
    ...parts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', { 'data-field': term.toLowerCase() }, value)]))
}

function factList (m: Message): HTMLElement | null {
  if (m.facts.length === 0) return null
  return h('div', { class: 'message-facts', 'data-testid': 'message-facts' },
    h('p', { class: 'facts-title' }, 'Facts taken from this message'),
    h('ul', {}, ...m.facts.map((f) => h('li', { 'data-field': f.field },
      h('span', { class: 'fact-field' }, f.field), ': ', formatValue(f.new_value),
      isEmptyValue(f.old_value) ? '' : h('span', { class: 'muted' }, ` (was ${formatValue(f.old_value)})`),
      h('span', { class: 'muted' }, ` · ${f.extractor}, confidence ${f.confidence}`)))))
}

function messageItem (m: Message): HTMLElement {
  const who = m.role === 'human' ? 'Visitor' : m.role === 'assistant' ? 'Assistant' : 'System'
  return h('li', { class: `transcript-message transcript-message--${m.role}`, 'data-role': m.role, 'data-testid': 'transcript-message' },
    h('p', { class: 'message-head' }, h('strong', {}, who), ' · ', h('time', { datetime: new Date(m.created_at).toISOString() }, formatWhen(m.created_at))),
    // Shown as text: whatever a visitor or a model wrote is never parsed as HTML here.
    h('p', { class: 'message-text' }, m.content),
    ...(m.role === 'assistant' ? [llmLine(m)] : []),
    ...[factList(m)].filter((x): x is HTMLElement => x !== null))
}

export async function renderConversation (root: HTMLElement, route: Route, context: ViewContext): Promise<void> {
  const sessionId = route.sessionId ?? ''
  root.replaceChildren(heading('Conversation'), h('p', {}, link('/admin/leads', '← Leads')))
  const transcript = await loadForView(context, (n) => root.append(n), async () => await api.transcript(sessionId))
  if (transcript === null) return
  const s = transcript.session
  const interests = [...s.products_of_interest ?? [], ...s.services_of_interest ?? []].join(', ')
  const address = [s.address_street, s.address_city, s.address_state, s.address_zip].filter(Boolean).join(', ')
  const list = h('ol', { class: 'transcript', 'aria-label': 'Messages', 'data-testid': 'transcript' }, ...transcript.messages.map(messageItem))
  root.append(
    h('section', { class: 'card', 'aria-label': 'Session' },
      definitions([
        ['Session', h('code', { 'data-testid': 'transcript-session-id' }, s.session_id)],
        ['Customer', s.customer_id ? h('code', { 'data-testid': 'transcript-customer-id' }, s.customer_id) : 'anonymous'],
        ...(s.other_sessions.length > 0
          ? [['Their other sessions', h('span', {}, ...s.other_sessions.flatMap((id, i) => [i > 0 ? ', ' : '', link(`/admin/conversations/${id}`, id.slice(0, 8))]))] as [string, Node]]
          : []),
        ['Name', text(s.customer_name)], ['Email', text(s.email ?? s.session_email)], ['Phone', text(s.phone)],
        ['Address', text(address)], ['Interests', text(interests)], ['Preferences', formatValue(s.preferences)],
        ['Started', formatWhen(s.created_at)], ['Last activity', formatWhen(s.last_activity_at)],
        ['Messages', formatCount(s.messages)], ['LLM calls', formatCount(s.requests)],
        ['Cost', h('span', { 'data-testid': 'transcript-cost', 'data-value': s.cost }, formatCost(s.cost))]
      ], 'transcript-session')),
    transcript.messages.length === 0 ? notice('No messages in this session.') : list)
  let cursor = transcript.next_cursor
  if (!cursor) return
  const more = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'transcript-more' }, 'Later messages')
  more.addEventListener('click', () => {
    more.disabled = true
    background(api.transcript(sessionId, cursor ?? undefined).then((next) => {
      list.append(...next.messages.map(messageItem))
      cursor = next.next_cursor
      more.disabled = false
      if (!cursor) more.remove()
    }))
  })
  root.append(more)
}

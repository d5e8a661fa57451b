// /admin/costs: what the assistant cost over a chosen range — per day by model and by purpose, requests with
// latency and time to first token, a table per model, and the cost per lead.
import type { CostsDaily } from '../../../src/routes/schemas/admin.ts'
import { api } from '../api.ts'
import { lineChart, type ChartSeries } from '../chart.ts'
import { formatCost, formatCount, formatMs, utcDay } from '../format.ts'
import type { ViewContext } from '../main.ts'
import type { Route } from '../router.ts'
import { definitions, h, heading, notice, table, loadForView } from '../ui.ts'

type UsageRow = CostsDaily['usage'][number]

function daysOf (from: string, to: string): string[] {
  const days: string[] = []
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10))
  return days
}

/** One series per key (model or purpose), a value for every day of the range (0 where nothing happened). */
function seriesBy (rows: UsageRow[], days: string[], key: 'model' | 'purpose', metric: 'cost' | 'total_tokens'): ChartSeries[] {
  const groups = new Map<string, Map<string, UsageRow>>()
  for (const row of rows) {
    const name = row[key]
    if (row.day === null || name === null || row[key === 'model' ? 'purpose' : 'model'] !== null) continue
    if (!groups.has(name)) groups.set(name, new Map())
    groups.get(name)!.set(row.day, row)
  }
  return [...groups].map(([label, byDay]) => ({
    label,
    values: days.map((d) => Number(byDay.get(d)?.[metric] ?? 0)),
    cells: days.map((d) => metric === 'cost' ? formatCost(byDay.get(d)?.cost ?? '0') : formatCount(byDay.get(d)?.total_tokens ?? 0))
  }))
}

function latencySeries (daily: CostsDaily, days: string[]): { requests: ChartSeries[], timing: ChartSeries[] } {
  const byDay = new Map(daily.latency.map((row) => [row.day, row]))
  const pick = (f: (r: CostsDaily['latency'][number]) => number | null) => days.map((d) => { const r = byDay.get(d); return r ? f(r) : null })
  const timing = ([['Latency p50', (r) => r.latency_p50_ms], ['Latency p95', (r) => r.latency_p95_ms],
    ['First token p50', (r) => r.ttft_p50_ms], ['First token p95', (r) => r.ttft_p95_ms]] as Array<[string, (r: CostsDaily['latency'][number]) => number | null]>)
    .map(([label, f]) => { const values = pick(f); return { label, values, cells: values.map(formatMs) } })
  const counts = days.map((d) => byDay.get(d)?.requests ?? 0)
  return { requests: [{ label: 'Requests', values: counts, cells: counts.map((n) => formatCount(n)) }], timing }
}

const money = (v: number) => `$${v < 0.01 && v > 0 ? v.toPrecision(2) : v.toFixed(2)}`
const count = (v: number) => v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : String(Math.round(v))
const ms = (v: number) => `${Math.round(v)} ms`

function rangeForm (from: string, to: string, context: ViewContext): HTMLElement {
  const go = (f: string, t: string) => { context.go(`/admin/costs?from=${f}&to=${t}`) }
  const fromInput = h('input', { id: 'costs-from', name: 'from', type: 'date', value: from, required: true, 'data-testid': 'costs-from' })
  const toInput = h('input', { id: 'costs-to', name: 'to', type: 'date', value: to, required: true, 'data-testid': 'costs-to' })
  const form = h('form', { class: 'filters', 'aria-label': 'Date range', 'data-testid': 'costs-range' },
    h('div', { class: 'field' }, h('label', { for: 'costs-from' }, 'From'), fromInput),
    h('div', { class: 'field' }, h('label', { for: 'costs-to' }, 'To (UTC days, included)'), toInput),
    h('div', { class: 'field field--actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Show'),
      ...[7, 30, 90].map((n) => {
        const b = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': `costs-last-${n}` }, `Last ${n} days`)
        b.addEventListener('click', () => { go(utcDay(n - 1), utcDay(0)) })
        return b
      })))
  form.addEventListener('submit', (event) => { event.preventDefault(); go(fromInput.value, toInput.value) })
  return form
}

export async function renderCosts (root: HTMLElement, route: Route, context: ViewContext): Promise<void> {
  const from = route.params.get('from') ?? utcDay(29)
  const to = route.params.get('to') ?? utcDay(0)
  root.replaceChildren(heading('Costs'), rangeForm(from, to, context))
  const loaded = await loadForView(context, (n) => root.append(n), async () => await Promise.all([api.costsDaily(from, to), api.costsSummary(from, to)]))
  if (loaded === null) return
  const [daily, summary] = loaded
  const days = daysOf(daily.from, daily.to)
  const { requests, timing } = latencySeries(daily, days)
  const charts = [
    lineChart({ title: 'Cost per day by model', days, series: seriesBy(daily.usage, days, 'model', 'cost'), format: money, testId: 'chart-cost-model' }),
    lineChart({ title: 'Tokens per day by model', days, series: seriesBy(daily.usage, days, 'model', 'total_tokens'), format: count, testId: 'chart-tokens-model' }),
    lineChart({ title: 'Cost per day by purpose', days, series: seriesBy(daily.usage, days, 'purpose', 'cost'), format: money, testId: 'chart-cost-purpose' }),
    lineChart({ title: 'Tokens per day by purpose', days, series: seriesBy(daily.usage, days, 'purpose', 'total_tokens'), format: count, testId: 'chart-tokens-purpose' }),
    lineChart({ title: 'Requests per day', days, series: requests, format: count, testId: 'chart-requests' }),
    lineChart({ title: 'Latency and time to first token per day', days, series: timing, format: ms, testId: 'chart-latency' })
  ]
  const perLead = summary.per_lead
  root.append(
    h('section', { class: 'card', 'aria-label': 'Cost per lead' },
      h('h2', {}, 'Cost per lead'),
      definitions([
        ['Leads (gave an email or a phone, active in range)', formatCount(perLead.leads)],
        ['Their spend', formatCost(perLead.spend)],
        ['Cost per lead', h('span', { 'data-testid': 'cost-per-lead', 'data-value': perLead.cost_per_lead ?? '' }, formatCost(perLead.cost_per_lead))]
      ])),
    h('section', { 'aria-label': 'Per model' }, h('h2', {}, 'Per model'),
      summary.models.length === 0
        ? notice('No requests in this range.')
        : table('Usage per model', [
          { label: 'Model', cell: (r) => r.model ?? '—' },
          { label: 'Requests', cell: (r) => formatCount(r.requests), numeric: true },
          { label: 'Errors', cell: (r) => formatCount(r.errors), numeric: true },
          { label: 'Prompt tokens', cell: (r) => formatCount(r.prompt_tokens), numeric: true },
          { label: 'Completion tokens', cell: (r) => formatCount(r.completion_tokens), numeric: true },
          { label: 'Cost', cell: (r) => h('span', { 'data-value': r.cost }, formatCost(r.cost)), numeric: true }
        ], summary.models, 'model-table')),
    h('div', { class: 'charts' }, ...charts.map((c) => c.figure)))
  for (const chart of charts) chart.draw()
}

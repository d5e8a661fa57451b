// Line charts by uPlot (~50 KB minified, canvas; Chart.js is ~200 KB for the same lines). A canvas says nothing to a
// screen reader, so each chart is a <figure> whose caption names it, whose canvas is hidden from assistive
// technology, and which carries the same figures as a real table (exact decimal strings, not the plotted floats)
// behind a "Data table" disclosure.
import UPlot from 'uplot'
import { h } from '../src/dom.ts'

export interface ChartSeries {
  label: string
  /** Plotted values (a float is only a pixel position here). */
  values: Array<number | null>
  /** What the data table shows for each day: the exact value as the server sent it, formatted. */
  cells: string[]
}

export interface ChartSpec {
  title: string
  days: string[]
  series: ChartSeries[]
  /** How an axis tick and the legend print a plotted value. */
  format: (value: number) => string
  testId: string
}

const PALETTE = ['#1d4ed8', '#c2410c', '#047857', '#7c3aed', '#be123c', '#0e7490', '#a16207', '#4b5563']
const HEIGHT = 220

const epochSeconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000

function dataTable (spec: ChartSpec): HTMLElement {
  const head = h('tr', {}, h('th', { scope: 'col' }, 'Day'), ...spec.series.map((s) => h('th', { scope: 'col', class: 'num' }, s.label)))
  const rows = spec.days.map((day, i) => h('tr', {}, h('th', { scope: 'row' }, day),
    ...spec.series.map((s) => h('td', { class: 'num' }, s.cells[i] ?? '—'))))
  return h('details', { class: 'chart-data' }, h('summary', {}, 'Data table'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table data-table--plain', 'data-testid': `${spec.testId}-table` },
      h('caption', { class: 'sr-only' }, spec.title), h('thead', {}, head), h('tbody', {}, ...rows))))
}

/** A figure with the chart drawn into it once it is in the page (uPlot needs a width), and its data table. */
export function lineChart (spec: ChartSpec): { figure: HTMLElement, draw: () => void } {
  const id = `${spec.testId}-title`
  const plot = h('div', { class: 'chart-plot', 'aria-hidden': 'true', 'data-testid': spec.testId })
  const figure = h('figure', { class: 'chart', 'aria-labelledby': id },
    h('figcaption', { id, class: 'chart-title' }, spec.title), plot, dataTable(spec))
  let chart: UPlot | null = null
  const width = () => Math.max(240, plot.clientWidth)
  const draw = () => {
    if (spec.series.length === 0) {
      plot.replaceChildren(h('p', { class: 'muted' }, 'No data in this range.'))
      return
    }
    const data: UPlot.AlignedData = [spec.days.map(epochSeconds), ...spec.series.map((s) => s.values)]
    chart = new UPlot({
      width: width(),
      height: HEIGHT,
      scales: { x: { time: true } },
      series: [{ label: 'Day' }, ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: PALETTE[i % PALETTE.length],
        width: 2,
        points: { show: spec.days.length <= 45 },
        value: (_u: UPlot, v: number | null) => (v == null ? '—' : spec.format(v))
      }))],
      axes: [{}, { values: (_u, ticks) => ticks.map((t) => spec.format(t)), size: 70 }]
    }, data, plot)
    plot.dataset.drawn = 'true'
  }
  const observer = new ResizeObserver(() => { chart?.setSize({ width: width(), height: HEIGHT }) })
  observer.observe(figure)
  return { figure, draw }
}

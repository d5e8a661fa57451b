// Small pieces every view uses: headings, notices, tables that turn into cards on a narrow screen, definition lists.
import { h } from '../src/dom.ts'
import type { ViewContext } from './main.ts'

export { h }

/** The view's heading: focused on every view change, so a screen reader announces where the operator landed. */
export function heading (text: string): HTMLHeadingElement {
  return h('h1', { class: 'view-title', tabindex: '-1', 'data-testid': 'view-title' }, text)
}

export function notice (text: string, kind: 'info' | 'error' = 'info'): HTMLElement {
  return h('p', { class: `notice notice--${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text)
}

export interface Column<T> {
  label: string
  cell: (row: T) => Node | string
  numeric?: boolean
}

/** A table whose cells carry their column's label, which the narrow-screen CSS shows beside each value. */
export function table<T> (caption: string, columns: Array<Column<T>>, rows: T[], testId: string): HTMLElement {
  const head = h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))
  const body = rows.map((row) => h('tr', {}, ...columns.map((c) =>
    h('td', { 'data-label': c.label, class: c.numeric ? 'num' : null }, c.cell(row)))))
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table', 'data-testid': testId }, h('caption', { class: 'sr-only' }, caption), h('thead', {}, head), h('tbody', {}, ...body)))
}

export function definitions (pairs: Array<[string, Node | string]>, testId?: string): HTMLDListElement {
  return h('dl', { class: 'facts', 'data-testid': testId ?? null }, ...pairs.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]))
}

export function link (href: string, text: string, attrs: Record<string, string> = {}): HTMLAnchorElement {
  return h('a', { href, 'data-link': true, ...attrs }, text)
}

export function errorText (err: unknown): string {
  return err instanceof Error ? err.message : 'Something went wrong.'
}

/**
 * A view's request: its answer while the view is still the one on screen, else null. A failure is shown through
 * `show` as an error notice, unless the operator has already moved on.
 */
export async function loadForView<T> (context: Pick<ViewContext, 'current'>, show: (notice: HTMLElement) => void, load: () => Promise<T>): Promise<T | null> {
  try {
    const value = await load()
    return context.current() ? value : null
  } catch (err) {
    if (context.current()) show(notice(errorText(err), 'error'))
    return null
  }
}

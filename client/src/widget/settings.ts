// What the server writes into /widget.js when it serves it (src/routes/embed.ts): the allowed sites and the app's
// name. A string the minifier cannot fold away, parsed at run time; a copy not served by the server has none.

export interface WidgetSettings {
  allowedOrigins: string[]
  appName: string
}

const SERVED = '%SALIENT_WIDGET_SETTINGS%'

export function widgetSettings (): WidgetSettings | null {
  let raw: unknown
  try {
    raw = JSON.parse(SERVED)
  } catch {
    return null
  }
  if (typeof raw !== 'object' || raw === null) return null
  const { allowedOrigins, appName } = raw as Record<string, unknown>
  if (!Array.isArray(allowedOrigins) || !allowedOrigins.every((o) => typeof o === 'string')) return null
  return { allowedOrigins, appName: typeof appName === 'string' ? appName : '' }
}

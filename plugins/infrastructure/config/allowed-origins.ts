// embed.allowed_origins must hold exact origins: the CSP frame-ancestors list and the widget's origin check compare
// them character for character with what a browser sends, so "https://example.com/" or "example.com" would never
// match and silently lock a site out. A malformed entry stops the start-up, naming it.
import { ConfigError } from './config-error.ts'

const HOSTNAME = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/

/** The origin `entry` spells exactly (scheme://host[:port], lower case, no path, no default port), or null. */
export function exactOrigin (entry: string): string | null {
  let url: URL
  try {
    url = new URL(entry)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
  // The URL parser lets a "*" through; a CSP source list would read it as a wildcard.
  if (!HOSTNAME.test(url.hostname)) return null
  return url.origin === entry ? entry : null
}

export function checkAllowedOrigins (origins: readonly string[], key = 'embed.allowed_origins'): void {
  origins.forEach((entry, index) => {
    if (exactOrigin(entry) !== null) return
    throw new ConfigError(`Invalid configuration at "${key}.${index}": ${JSON.stringify(entry)} is not an exact origin ` +
      '(scheme://host[:port] with http or https, lower case, no path, no trailing slash, no default port)')
  })
}

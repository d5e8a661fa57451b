// The data-* options of the script tag. A value the launcher does not know is ignored with one console warning, and
// the default stands, so a typo never breaks the host page.
import { isTokenShaped } from '../embed/protocol.ts'

export type Position = 'bottom-right' | 'bottom-left'

export interface WidgetOptions {
  position: Position
  open: boolean
  identityToken: string | null
}

const POSITIONS: readonly Position[] = ['bottom-right', 'bottom-left']

export function warn (message: string): void {
  console.warn(`Salient chat: ${message}`)
}

function oneOf<T extends string> (name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  const found = allowed.find((option) => option === value)
  if (found !== undefined) return found
  warn(`data-${name}="${value}" is not one of ${allowed.join(', ')}; using ${fallback}`)
  return fallback
}

export function readOptions (script: HTMLScriptElement): WidgetOptions {
  const { position, open, identityToken } = script.dataset
  const token = identityToken === undefined || identityToken === '' ? null : identityToken
  if (token !== null && !isTokenShaped(token)) warn('data-identity-token is not a JWT; the visitor stays anonymous')
  return {
    position: oneOf('position', position, POSITIONS, 'bottom-right'),
    open: oneOf('open', open, ['true', 'false'], 'false') === 'true',
    identityToken: token !== null && isTokenShaped(token) ? token : null
  }
}

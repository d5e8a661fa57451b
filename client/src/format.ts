// Display formatting. Money is a decimal string end to end: it is never turned into a float here.

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i

function groupThousands (digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Adds one unit in the last place of a string of decimal digits ("0999" → "1000"). */
function incrementDigits (digits: string): string {
  const out = digits.split('')
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === '9') {
      out[i] = '0'
    } else {
      out[i] = String(Number(out[i]) + 1)
      return out.join('')
    }
  }
  return '1' + out.join('')
}

/**
 * "0.000123400" → "$0.000123", "1.5" → "$1.50", "1234.5678915" → "$1,234.567892" (half-up at 6 decimals),
 * "0.0000001" → "<$0.000001". Exponent notation is accepted. Unparseable input is shown as given.
 */
export function formatCost (cost: string | number | null | undefined, maxDecimals = 6): string {
  if (cost == null) return '—'
  const text = String(cost).trim()
  if (text === '') return '—'
  const match = DECIMAL.exec(text)
  if (match === null || !/\d/.test((match[2] ?? '') + (match[3] ?? ''))) return `$${text}`
  const sign = match[1] === '-' ? '-' : ''
  let intPart = match[2] ?? ''
  let fracPart = match[3] ?? ''
  const exponent = Number(match[4] ?? '0')
  if (exponent !== 0) {
    // Move the decimal point in the digit string rather than in binary floating point.
    const digits = intPart + fracPart
    const point = intPart.length + exponent
    if (point <= 0) {
      intPart = '0'
      fracPart = '0'.repeat(-point) + digits
    } else if (point >= digits.length) {
      intPart = digits + '0'.repeat(point - digits.length)
      fracPart = ''
    } else {
      intPart = digits.slice(0, point)
      fracPart = digits.slice(point)
    }
  }
  intPart = intPart.replace(/^0+(?=\d)/, '') || '0'
  const isNonZero = /[1-9]/.test(intPart + fracPart)

  let kept = fracPart.padEnd(maxDecimals, '0').slice(0, maxDecimals)
  const nextDigit = fracPart.charAt(maxDecimals)
  if (nextDigit !== '' && nextDigit >= '5') {
    const bumped = incrementDigits(intPart + kept)
    intPart = bumped.slice(0, bumped.length - maxDecimals) || '0'
    kept = bumped.slice(bumped.length - maxDecimals)
  }
  kept = kept.replace(/0+$/, '').padEnd(2, '0')

  if (isNonZero && !/[1-9]/.test(intPart + kept)) {
    return `${sign}<$0.${'0'.repeat(maxDecimals - 1)}1`
  }
  const shownSign = /[1-9]/.test(intPart + kept) ? sign : ''
  return `${shownSign}$${groupThousands(intPart)}.${kept}`
}

/** Integer counts, with thousands separators. */
export function formatCount (value: number | null | undefined): string {
  if (value == null) return '—'
  const text = String(value).trim()
  if (!/^-?\d+$/.test(text)) return text
  const negative = text.startsWith('-')
  return (negative ? '-' : '') + groupThousands(negative ? text.slice(1) : text)
}

export function formatDateTime (iso: string | null | undefined): string {
  if (iso == null || iso === '') return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** Short time for a message; the date is added when it is not today. */
export function formatMessageTime (iso: string, now = new Date()): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  const time = date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })
  if (date.toDateString() === now.toDateString()) return time
  const day = date.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' })
  })
  return `${day}, ${time}`
}

export function formatWait (seconds: number): string {
  if (seconds <= 1) return 'a moment'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.ceil(seconds / 60)
  return minutes === 1 ? 'about a minute' : `about ${minutes} minutes`
}

// Exact decimal money for Postgres `numeric` columns: BigInt scaled integers, never floating point arithmetic.
interface Decimal { units: bigint, scale: number } // value = units / 10^scale

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/

function parse (value: string): Decimal {
  const m = DECIMAL.exec(value)
  if (m === null) throw new RangeError(`not a decimal string: ${JSON.stringify(value)}`)
  const fraction = m[3] ?? ''
  const units = BigInt(`${m[2] ?? '0'}${fraction}`)
  return { units: m[1] === '-' ? -units : units, scale: fraction.length }
}

function format ({ units, scale }: Decimal): string {
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n
    scale--
  }
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const text = scale === 0 ? whole : `${whole}.${digits.slice(digits.length - scale)}`
  return negative ? `-${text}` : text
}

function rescale (d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale)
}

/** A JSON number (as OpenRouter reports cost) turned once into its shortest decimal string, never exponent notation. */
export function costNumberToDecimal (n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`)
  // String(n) is the shortest text that round-trips; only its exponent form needs expanding.
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(String(n))
  if (m === null) return format(parse(String(n)))
  const digits = `${m[2] ?? ''}${m[3] ?? ''}`
  const exponent = Number(m[4]) - (m[3] ?? '').length
  const d = exponent >= 0
    ? { units: BigInt(digits) * 10n ** BigInt(exponent), scale: 0 }
    : { units: BigInt(digits), scale: -exponent }
  return format(m[1] === '-' ? { units: -d.units, scale: d.scale } : d)
}

/** Exact USD per token from a USD-per-million-tokens price. */
export function pricePerToken (perMillion: number): string {
  const d = parse(costNumberToDecimal(perMillion))
  return format({ units: d.units, scale: d.scale + 6 })
}

export function tokensTimesPrice (tokens: number, perToken: string): string {
  if (!Number.isSafeInteger(tokens) || tokens < 0) throw new RangeError(`not a token count: ${tokens}`)
  const d = parse(perToken)
  return format({ units: d.units * BigInt(tokens), scale: d.scale })
}

export function addDecimals (...xs: string[]): string {
  const ds = xs.map(parse)
  const scale = Math.max(0, ...ds.map((d) => d.scale))
  return format({ units: ds.reduce((sum, d) => sum + rescale(d, scale), 0n), scale })
}

// CSV for spreadsheets (RFC 4180): every cell quoted, quotes doubled, lines ended by CRLF. A cell that a spreadsheet
// would run as a formula (starting with =, +, -, @, or a tab or carriage return) gets a leading apostrophe, so an
// email or a name a visitor typed can never become a formula on the operator's machine (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell (value: unknown): string {
  const text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join('; ') : value instanceof Date ? value.toISOString() : String(value)
  const safe = FORMULA_START.test(text) ? `'${text}` : text
  return `"${safe.replaceAll('"', '""')}"`
}

export function csvLine (values: unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n'
}

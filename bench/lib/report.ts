// Results of one benchmark: printed as a table, and saved to bench/out/<id>.json for run-all to gather into RESULTS.md.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'

export const OUT_DIR = resolve(import.meta.dirname, '../out')

export interface Row {
  /** What is measured, e.g. "turns/s". */
  figure: string
  value: string
  /** What it is compared with in the same run, e.g. "pgbench ceiling". */
  comparison: string
  comparisonValue: string
  ratio: string
  target: string
  /** null: informational row without a target. */
  met: boolean | null
}

export interface BenchResult {
  id: string
  title: string
  rows: Row[]
  notes: string[]
  /** Extra markdown (plans, per-run figures). */
  details: string
  durationS: number
}

export function median (values: number[]): number {
  if (values.length === 0) return Number.NaN
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile (values: number[] | Float64Array, p: number): number {
  if (values.length === 0) return Number.NaN
  const s = Float64Array.from(values).sort()
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))
  return s[rank]!
}

export function fmt (n: number, digits = 1): string {
  if (!Number.isFinite(n)) return 'n/a'
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function ratio (a: number, b: number): string {
  return b > 0 && Number.isFinite(a) ? `${fmt(a / b, 2)}×` : 'n/a'
}

export function markdownTable (rows: Row[]): string {
  const head = '| figure | value | comparison (same run) | value | ratio | target | status |\n|---|---:|---|---:|---:|---|---|'
  const body = rows.map((r) => `| ${r.figure} | ${r.value} | ${r.comparison} | ${r.comparisonValue} | ${r.ratio} | ${r.target} | ${r.met === null ? '—' : r.met ? '**met**' : '**missed**'} |`)
  return [head, ...body].join('\n')
}

export function saveResult (result: BenchResult): void {
  mkdirSync(OUT_DIR, { recursive: true })
  writeFileSync(join(OUT_DIR, `${result.id}.json`), JSON.stringify(result, null, 2))
  process.stdout.write(`\n## ${result.title}\n\n${markdownTable(result.rows)}\n\n`)
  for (const note of result.notes) process.stdout.write(`- ${note}\n`)
  process.stdout.write(`\n(${fmt(result.durationS, 0)} s)\n`)
}

export function log (message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

export interface Machine { cores: number, cpu: string, memoryGb: number, node: string, postgres: string, pgbench: string, date: string }

export function machineFacts (postgres: string): Machine {
  const run = (cmd: string, args: string[]) => {
    try { return execFileSync(cmd, args, { encoding: 'utf8' }).trim() } catch { return 'unknown' }
  }
  return {
    cores: Number(run('nproc', [])) || cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(Number(/MemTotal:\s+(\d+)/.exec(run('cat', ['/proc/meminfo']))?.[1] ?? 0) / 1048576),
    node: process.version,
    postgres,
    pgbench: run('pgbench', ['--version']),
    date: new Date().toISOString()
  }
}

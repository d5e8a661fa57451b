// npm run bench: runs every benchmark (each in its own process, as when run alone), then rewrites bench/RESULTS.md
// with the machine's facts, a summary of every target and each benchmark's table, followed by bench/FINDINGS.md.
//   node --import tsx bench/run-all.ts [--only turns,ttft,...] [--quiet-wait 3] [--results FILE]
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { postgresVersion } from './lib/db.ts'
import { fdatasyncMs, loadAverage, waitForQuiet } from './lib/machine.ts'
import { APP_ROOT, ROOT } from './lib/processes.ts'
import { OUT_DIR, fmt, log, machineFacts, markdownTable, type BenchResult } from './lib/report.ts'

const BENCHES = [
  { id: 'turns', file: 'turns.ts' },
  { id: 'ttft', file: 'ttft.ts' },
  { id: 'history', file: 'history.ts' },
  { id: 'streams', file: 'streams.ts' },
  { id: 'peers', file: 'peers.ts' },
  { id: 'scaleout', file: 'scaleout.ts' }
]

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'quiet-wait': { type: 'string', default: '3' },
    results: { type: 'string', default: join(import.meta.dirname, 'RESULTS.md') }
  }
})
const selected = BENCHES.filter((b) => !values.only || values.only.split(',').includes(b.id))
const quietWaitS = Number(values['quiet-wait'])

function git (args: string[], cwd: string): string {
  try { return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim() } catch { return '' }
}

async function runOne (file: string): Promise<number> {
  // Through sh only to raise the open-files limit (2,000 concurrent streams) before node starts.
  const child = spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, '--import', 'tsx', join(import.meta.dirname, file)], {
    cwd: ROOT,
    stdio: 'inherit'
  })
  return await new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)))
}

const started = performance.now()
const machine = machineFacts(await postgresVersion())
const walFlushMs = fdatasyncMs()
const commit = git(['rev-parse', '--short', 'HEAD'], APP_ROOT) || git(['rev-parse', '--short', 'HEAD'], ROOT)
const dirty = git(['status', '--porcelain', '--', 'src', 'plugins', 'db', 'migrations', 'app.yaml'], APP_ROOT) !== ''
const conditions: Array<{ id: string, busyBefore: number, loadBefore: string, loadAfter: string, exit: number }> = []
for (const b of selected) rmSync(join(OUT_DIR, `${b.id}.json`), { force: true })
for (const b of selected) {
  const busyBefore = await waitForQuiet(quietWaitS)
  const loadBefore = loadAverage()
  log(`${b.id}: machine ${fmt(busyBefore, 0)}% busy before (load average ${loadBefore})`)
  const exit = await runOne(b.file)
  conditions.push({ id: b.id, busyBefore, loadBefore, loadAfter: loadAverage(), exit })
  if (exit !== 0) log(`${b.id} exited with ${exit}`)
}
const totalS = (performance.now() - started) / 1000

const results: BenchResult[] = []
for (const b of selected) {
  const file = join(OUT_DIR, `${b.id}.json`)
  if (existsSync(file)) results.push(JSON.parse(readFileSync(file, 'utf8')) as BenchResult)
}
const summaryRows = results.flatMap((r) => r.rows.filter((row) => row.met !== null).map((row) => ({ ...row, figure: `${r.title.split(' (')[0]}: ${row.figure}` })))
const missing = selected.filter((b) => !results.some((r) => r.id === b.id)).map((b) => b.id)
const findings = existsSync(join(import.meta.dirname, 'FINDINGS.md')) ? readFileSync(join(import.meta.dirname, 'FINDINGS.md'), 'utf8') : ''

const md = `# Benchmark results

Written by \`npm run bench\` (bench/run-all.ts) on ${machine.date.slice(0, 16).replace('T', ' ')} UTC; ${selected.length === BENCHES.length ? 'all benchmarks' : `only ${selected.map((b) => b.id).join(', ')}`} in ${fmt(totalS / 60, 1)} min.
Each benchmark is also runnable alone: \`node --import tsx bench/<name>.ts\` (its flags are listed at the top of the file).

## Machine

| | |
|---|---|
| cores (nproc) | ${machine.cores} (${machine.cpu}) |
| memory | ${machine.memoryGb} GB |
| Node | ${machine.node} |
| Postgres | ${machine.postgres} |
| pgbench | ${machine.pgbench} |
| disk flush (8 kB write + fdatasync, median) | ${fmt(walFlushMs, 2)} ms: the least a commit waits (synchronous_commit on) |
| app code measured | ${process.env.BENCH_APP_LABEL ?? `commit ${commit}${dirty ? ' with uncommitted changes' : ''}`} |
| other load before each benchmark | ${conditions.map((c) => `${c.id}: ${fmt(c.busyBefore, 0)}% CPU busy, load average ${c.loadBefore} → ${c.loadAfter}${c.exit ? ` (exit ${c.exit})` : ''}`).join('; ')} |

The load generator, the server(s), the fake LLM and Postgres share these cores. Figures are medians of several runs and
every comparison is measured in the same run; absolute numbers move with whatever else the machine is doing.

## Summary: every target

${markdownTable(summaryRows)}
${missing.length ? `\nNot run or failed before writing a result: ${missing.join(', ')}.\n` : ''}
${results.map((r) => `## ${r.title}

${markdownTable(r.rows)}

${r.notes.map((n) => `- ${n}`).join('\n')}
${r.details ? `\n${r.details}\n` : ''}
(${fmt(r.durationS, 0)} s)
`).join('\n')}
${findings}`
writeFileSync(resolve(values.results), md)
log(`wrote ${values.results} (${fmt(totalS, 0)} s in all)`)
process.exit(conditions.some((c) => c.exit !== 0) ? 1 : 0)

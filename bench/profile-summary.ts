// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `bench/turns.ts --cpu-prof DIR`): self time by function
// and by package, so a benchmark's hot spots can be read without a browser.
//   node --import tsx bench/profile-summary.ts FILE.cpuprofile [--top 30]
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface ProfileNode { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number }
interface Profile { nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' } } })
const top = Number(values.top)

function area (url: string): string {
  if (url === '') return '(native/gc/idle)'
  if (url.startsWith('node:')) return 'node core'
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (m) return m[1]!
  const app = /\/(src|plugins|db|bench|test)\//.exec(url)
  return app ? `app: ${app[1]}` : url
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const idleIds = new Set(profile.nodes.filter((n) => ['(idle)', '(program)'].includes(n.callFrame.functionName)).map((n) => n.id))
  // Percentages of busy time: waiting (idle) is left out.
  const total = [...self].filter(([id]) => !idleIds.has(id)).reduce((a, [, us]) => a + us, 0)
  const byFunction = new Map<string, number>()
  const byArea = new Map<string, number>()
  for (const [id, us] of self) {
    if (idleIds.has(id)) continue
    const { callFrame } = byId.get(id)!
    const short = callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/[^ ]*?\/(src|plugins|db|bench)\//, '$1/')
    const name = `${callFrame.functionName || '(anonymous)'} ${short}:${callFrame.lineNumber + 1}`
    byFunction.set(name, (byFunction.get(name) ?? 0) + us)
    const a = area(callFrame.url)
    byArea.set(a, (byArea.get(a) ?? 0) + us)
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`
  process.stdout.write(`\n${file}: ${(total / 1e6).toFixed(1)} s busy (idle left out)\n\nby package:\n`)
  for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${a}\n`)
  process.stdout.write('\nby function (self time):\n')
  for (const [f, us] of [...byFunction].sort((x, y) => y[1] - x[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${f}\n`)
}

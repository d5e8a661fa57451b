// The machine's state around a benchmark: how busy the CPUs are with other work, and file-descriptor limits.
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

function cpuTimes (): { busy: number, total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!
  const f = line.trim().split(/\s+/).slice(1).map(Number)
  const idle = (f[3] ?? 0) + (f[4] ?? 0)
  const total = f.reduce((a, b) => a + b, 0)
  return { busy: total - idle, total }
}

/** Share of all cores busy over `ms` (0–100). */
export async function cpuBusyPercent (ms = 1000): Promise<number> {
  const a = cpuTimes()
  await sleep(ms)
  const b = cpuTimes()
  return b.total > a.total ? (100 * (b.busy - a.busy)) / (b.total - a.total) : 0
}

export function loadAverage (): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
}

/**
 * Waits (at most maxWaitS) for other work on the machine to calm down before measuring; returns the last reading.
 * The machine is shared: a benchmark run beside a test suite measures the test suite as much as the server.
 */
export async function waitForQuiet (maxWaitS: number, busyBelow = 25): Promise<number> {
  const deadline = Date.now() + maxWaitS * 1000
  let busy = await cpuBusyPercent()
  while (busy >= busyBelow && Date.now() < deadline) busy = await cpuBusyPercent(2000)
  return busy
}

export function openFilesLimit (): number {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'))
  return m?.[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m?.[1] ?? 1024)
}

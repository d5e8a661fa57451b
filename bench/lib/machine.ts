// The machine's state around a benchmark: how busy the CPUs are with other work, and file-descriptor limits.
import { closeSync, fdatasyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

const TICKS_PER_S = 100 // USER_HZ on Linux

/** CPU time (user + system) a process has used so far, ms; 0 when it is gone. */
export function processCpuMs (pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S
  } catch {
    return 0
  }
}

/** CPU time used so far by several processes, keyed by pid (to diff two readings of a changing set). */
export function cpuByPid (pids: number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, processCpuMs(pid)]))
}

/** CPU used between two readings; a process that appeared in between counts from its start. */
export function cpuBetween (before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0)
  return ms
}

/**
 * Latency of one 8 kB write + fdatasync on the disk under the temp folder (what a WAL flush, and so each commit,
 * waits for with synchronous_commit on; pg_test_fsync measures the same). Median of `ms` worth of tries.
 */
export function fdatasyncMs (ms = 1000): number {
  const file = join(tmpdir(), `salient-bench-fsync-${process.pid}`)
  const fd = openSync(file, 'w')
  const block = Buffer.alloc(8192, 1)
  const times: number[] = []
  try {
    const end = performance.now() + ms
    while (performance.now() < end) {
      const t = performance.now()
      writeSync(fd, block, 0, block.length, 0)
      fdatasyncSync(fd)
      times.push(performance.now() - t)
    }
  } finally {
    closeSync(fd)
    rmSync(file, { force: true })
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] ?? Number.NaN
}

/** The kernel's count of connections dropped because a listening socket's accept queue was full (machine-wide). */
export function listenOverflows (): number {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'))
    const names = lines[0]!.split(/\s+/)
    const values = lines[1]!.split(/\s+/)
    return Number(values[names.indexOf('ListenOverflows')] ?? 0)
  } catch {
    return 0
  }
}

// Opt-in preload for benchmarks: samples the server's event-loop delay and writes the histogram (ms) to
// $BENCH_ELD_FILE every 200 ms and at exit; a file $BENCH_ELD_FILE.reset starts it afresh (no signal: the server's
// close-with-grace treats SIGUSR2 as a shutdown). Loaded with `--import`, never by the app.
// Each sample is the time between two ticks of a 10 ms timer: the 10 ms are subtracted, as @fastify/under-pressure does.
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const file = process.env.BENCH_ELD_FILE
if (file) {
  const resolutionMs = 10
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs })
  histogram.enable()
  const ms = (ns: number) => Math.max(0, Math.round(ns / 1e4) / 100 - resolutionMs)
  // Peaks of the V8 heap and of memory outside it, to tell what a peak RSS is made of.
  const peak = { heapUsedMb: 0, heapTotalMb: 0, externalMb: 0, arrayBuffersMb: 0 }
  const write = () => {
    const m = process.memoryUsage()
    peak.heapUsedMb = Math.max(peak.heapUsedMb, m.heapUsed / 1048576)
    peak.heapTotalMb = Math.max(peak.heapTotalMb, m.heapTotal / 1048576)
    peak.externalMb = Math.max(peak.externalMb, m.external / 1048576)
    peak.arrayBuffersMb = Math.max(peak.arrayBuffersMb, m.arrayBuffers / 1048576)
    const count = histogram.count
    writeFileSync(file, JSON.stringify({
      ...peak,
      p50: count ? ms(histogram.percentile(50)) : 0,
      p99: count ? ms(histogram.percentile(99)) : 0,
      max: count ? ms(histogram.max) : 0,
      mean: count ? ms(histogram.mean) : 0,
      samples: count
    }))
  }
  setInterval(() => {
    if (existsSync(`${file}.reset`)) {
      rmSync(`${file}.reset`, { force: true })
      histogram.reset()
      peak.heapUsedMb = peak.heapTotalMb = peak.externalMb = peak.arrayBuffersMb = 0
    }
    write()
  }, 200).unref()
  process.on('exit', write)
}

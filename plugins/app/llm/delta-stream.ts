// The LlmStream both clients return: the producer runs at once (so `outcome` settles even if nobody iterates),
// deltas wait in memory for the consumer, and leaving the loop early cancels the producer.
import type { LlmOutcome, LlmStream } from './types.ts'

export interface DeltaSink {
  push (delta: string): void
  /** Deltas pushed so far: once one is out, the call must not be retried. */
  readonly count: number
}

export interface DeltaStreamOptions {
  run: (sink: DeltaSink) => Promise<LlmOutcome>
  cancel: () => void
  /** Builds an outcome if `run` itself failed (a bug): `outcome` must never reject. */
  crashed: (err: unknown, text: string) => LlmOutcome
}

export function createDeltaStream ({ run, cancel, crashed }: DeltaStreamOptions): LlmStream {
  const deltas: string[] = []
  let finished = false
  let waiters: Array<() => void> = []

  function wake (): void {
    const pending = waiters
    waiters = []
    for (const resolve of pending) resolve()
  }

  const sink: DeltaSink = {
    push (delta) {
      if (finished || delta === '') return
      deltas.push(delta)
      wake()
    },
    get count () { return deltas.length }
  }

  const outcome = run(sink)
    .catch((err: unknown) => crashed(err, deltas.join('')))
    .finally(() => {
      finished = true
      wake()
    })

  return {
    outcome,
    [Symbol.asyncIterator] (): AsyncIterator<string> {
      let index = 0
      return {
        async next () {
          for (;;) {
            const value = deltas[index]
            if (value !== undefined) {
              index++
              return { value, done: false }
            }
            if (finished) return { value: undefined, done: true }
            await new Promise<void>((resolve) => waiters.push(resolve))
          }
        },
        async return () {
          if (!finished) cancel()
          return { value: undefined, done: true }
        }
      }
    }
  }
}

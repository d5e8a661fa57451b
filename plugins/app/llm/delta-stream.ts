// The LlmStream both clients return: the producer runs at once (so `outcome` settles even if nobody iterates),
// deltas wait in memory for the consumer, and leaving the loop early cancels the producer.
import type { LlmOutcome, LlmStream } from './types.ts'

export interface DeltaSink {
  push (delta: string): void
  /** Deltas pushed so far: once one is out, the call must not be retried. */
  readonly count: number
  /** Every delta pushed so far, joined. */
  text (): string
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
  let listener: ((delta: string) => void) | null = null

  function wake (): void {
    const pending = waiters
    waiters = []
    for (const resolve of pending) resolve()
  }

  const sink: DeltaSink = {
    push (delta) {
      if (finished || delta === '') return
      deltas.push(delta)
      listener?.(delta)
      if (waiters.length > 0) wake()
    },
    get count () { return deltas.length },
    text () { return deltas.join('') }
  }

  const outcome = run(sink)
    .catch((err: unknown) => crashed(err, deltas.join('')))
    .finally(() => {
      finished = true
      listener = null
      wake()
    })

  return {
    outcome,
    forEach (onDelta) {
      if (listener !== null) throw new Error('this stream already has a forEach consumer')
      return new Promise<void>((resolve, reject) => {
        let failed = false
        const deliver = (delta: string): void => {
          if (failed) return
          try {
            onDelta(delta)
          } catch (err) {
            // As a throw inside a for await loop: the producer is cancelled and the error goes to the consumer.
            failed = true
            listener = null
            if (!finished) cancel()
            reject(err)
          }
        }
        for (const delta of deltas) {
          deliver(delta)
          if (failed) return
        }
        if (!finished) listener = deliver
        outcome.then(() => resolve(), reject)
      })
    },
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

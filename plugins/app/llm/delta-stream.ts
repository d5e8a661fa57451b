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

/** Called as methods of the object given, so a producer can be one object per call rather than closures. */
export interface DeltaProducer {
  run (sink: DeltaSink): Promise<LlmOutcome>
  cancel (): void
  /** Builds an outcome if `run` itself failed (a bug): `outcome` must never reject. */
  crashed (err: unknown, text: string): LlmOutcome
}

/** A class, not closures: thousands are open at once, and its methods are shared. */
class DeltaStream implements LlmStream, DeltaSink {
  readonly outcome: Promise<LlmOutcome>
  private readonly deltas: string[] = []
  private finished = false
  private waiters: Array<() => void> = []
  /** The forEach consumer, while it listens. */
  private onDelta: ((delta: string) => void) | null = null
  private rejectConsumer: ((err: unknown) => void) | null = null

  constructor (private readonly producer: DeltaProducer) {
    this.outcome = producer.run(this)
      .catch((err: unknown) => producer.crashed(err, this.deltas.join('')))
      .finally(() => {
        this.finished = true
        this.onDelta = null
        this.rejectConsumer = null
        this.wake()
      })
  }

  push (delta: string): void {
    if (this.finished || delta === '') return
    this.deltas.push(delta)
    if (this.onDelta !== null) this.deliver(delta)
    if (this.waiters.length > 0) this.wake()
  }

  get count (): number { return this.deltas.length }

  text (): string { return this.deltas.join('') }

  forEach (onDelta: (delta: string) => void): Promise<void> {
    if (this.onDelta !== null) throw new Error('this stream already has a forEach consumer')
    return new Promise<void>((resolve, reject) => {
      this.onDelta = onDelta
      this.rejectConsumer = reject
      for (const delta of this.deltas) {
        if (!this.deliver(delta)) return
      }
      if (this.finished) this.onDelta = null
      this.outcome.then(() => resolve(), reject)
    })
  }

  /** False once the consumer threw: as a throw inside a for await loop, the producer is cancelled and the error goes to the consumer. */
  private deliver (delta: string): boolean {
    try {
      this.onDelta!(delta)
      return true
    } catch (err) {
      const reject = this.rejectConsumer!
      this.onDelta = null
      this.rejectConsumer = null
      if (!this.finished) this.producer.cancel()
      reject(err)
      return false
    }
  }

  private wake (): void {
    const pending = this.waiters
    this.waiters = []
    for (const resolve of pending) resolve()
  }

  [Symbol.asyncIterator] (): AsyncIterator<string> {
    let index = 0
    return {
      next: async () => {
        for (;;) {
          const value = this.deltas[index]
          if (value !== undefined) {
            index++
            return { value, done: false }
          }
          if (this.finished) return { value: undefined, done: true }
          await new Promise<void>((resolve) => this.waiters.push(resolve))
        }
      },
      return: async () => {
        if (!this.finished) this.producer.cancel()
        return { value: undefined, done: true }
      }
    }
  }
}

export function createDeltaStream (producer: DeltaProducer): LlmStream {
  return new DeltaStream(producer)
}

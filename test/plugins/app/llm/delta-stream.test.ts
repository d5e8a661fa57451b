import t from 'tap'
import { createDeltaStream, type DeltaSink } from '../../../../plugins/app/llm/delta-stream.ts'
import type { LlmOutcome } from '../../../../plugins/app/llm/types.ts'

/** A stream whose producer the test drives: `push` a delta, `end` it. */
function driven () {
  let sink!: DeltaSink
  let end!: () => void
  let cancelled = 0
  const stream = createDeltaStream({
    run: async (s) => {
      sink = s
      await new Promise<void>((resolve) => { end = resolve })
      return { text: s.text() } as LlmOutcome
    },
    cancel: () => { cancelled++ },
    crashed: (_err, text) => ({ text }) as LlmOutcome
  })
  return { stream, push: (d: string) => sink.push(d), end: () => end(), cancelled: () => cancelled }
}

t.test('forEach hands over the deltas so far, then each new one as it is pushed, and resolves at the end', async (t) => {
  const { stream, push, end } = driven()
  push('a')
  push('')
  push('b')
  const seen: string[] = []
  const done = stream.forEach((d) => seen.push(d))
  t.same(seen, ['a', 'b'], 'the backlog at once, empty deltas skipped')
  push('c')
  t.same(seen, ['a', 'b', 'c'], 'a new delta synchronously, no promise in between')
  end()
  await done
  t.equal((await stream.outcome).text, 'abc', 'the text is every delta joined once')
  push('late')
  t.same(seen, ['a', 'b', 'c'], 'nothing after the end')
})

t.test('a throw in the callback cancels the producer and rejects, like a throw inside for await', async (t) => {
  const { stream, push, end, cancelled } = driven()
  const seen: string[] = []
  const done = stream.forEach((d) => {
    seen.push(d)
    if (d === 'boom') throw new Error('write failed')
  })
  push('a')
  push('boom')
  push('b')
  await t.rejects(done, /write failed/)
  t.equal(cancelled(), 1)
  t.same(seen, ['a', 'boom'], 'no delta after the throw')
  end()
  t.equal((await stream.outcome).text, 'aboomb', 'the outcome still has what the producer pushed')
})

t.test('one forEach consumer per stream; iterating still works alongside', async (t) => {
  const { stream, push, end } = driven()
  const first = stream.forEach(() => {})
  t.throws(() => stream.forEach(() => {}), /already has a forEach consumer/)
  push('x')
  end()
  const iterated: string[] = []
  for await (const d of stream) iterated.push(d)
  await first
  t.same(iterated, ['x'])
})

// Scores the rule extractor on the held-out conversation batches and prints precision and recall per scalar field.
//   node --import tsx bench/profile-eval.ts [--batch a|b|…|p] (all when none is named) [--misses]
import { parseArgs } from 'node:util'
import { CORPUS_OPTIONS } from '../test/fixtures/profile-corpus.ts'
import { BATCH_A } from '../test/fixtures/profile-batch-a.ts'
import { BATCH_B } from '../test/fixtures/profile-batch-b.ts'
import { BATCH_C } from '../test/fixtures/profile-batch-c.ts'
import { BATCH_D } from '../test/fixtures/profile-batch-d.ts'
import { BATCH_E } from '../test/fixtures/profile-batch-e.ts'
import { BATCH_F } from '../test/fixtures/profile-batch-f.ts'
import { BATCH_G } from '../test/fixtures/profile-batch-g.ts'
import { BATCH_H } from '../test/fixtures/profile-batch-h.ts'
import { BATCH_I } from '../test/fixtures/profile-batch-i.ts'
import { BATCH_J } from '../test/fixtures/profile-batch-j.ts'
import { BATCH_K } from '../test/fixtures/profile-batch-k.ts'
import { BATCH_L } from '../test/fixtures/profile-batch-l.ts'
import { BATCH_M } from '../test/fixtures/profile-batch-m.ts'
import { BATCH_N } from '../test/fixtures/profile-batch-n.ts'
import { BATCH_O } from '../test/fixtures/profile-batch-o.ts'
import { BATCH_P } from '../test/fixtures/profile-batch-p.ts'
import { scoreBatch, scoreTable, type ScoredConversation } from '../test/helpers/profile-score.ts'

const { values } = parseArgs({ options: { batch: { type: 'string', multiple: true }, misses: { type: 'boolean', default: false } } })
const batches: Record<string, ScoredConversation[]> = { a: BATCH_A, b: BATCH_B, c: BATCH_C, d: BATCH_D, e: BATCH_E, f: BATCH_F, g: BATCH_G, h: BATCH_H, i: BATCH_I, j: BATCH_J, k: BATCH_K, l: BATCH_L, m: BATCH_M, n: BATCH_N, o: BATCH_O, p: BATCH_P }
for (const name of values.batch ?? Object.keys(batches)) {
  const batch = batches[name]
  if (batch === undefined) throw new Error(`no batch ${name}`)
  const { fields, misses } = scoreBatch(batch, CORPUS_OPTIONS)
  const messages = batch.reduce((n, c) => n + c.messages.length, 0)
  console.log(`batch ${name.toUpperCase()}: ${batch.length} conversations, ${messages} messages\n${scoreTable(fields)}`)
  if (values.misses) for (const miss of misses) console.log(`  ${miss.id} ${miss.field}: got ${JSON.stringify(miss.got)}, want ${JSON.stringify(miss.want)}`)
  console.log('')
}

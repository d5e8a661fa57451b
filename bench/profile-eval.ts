// Scores the rule extractor on the held-out conversation batches and prints precision and recall per scalar field.
//   node --import tsx bench/profile-eval.ts [--batch a|b|…|p] (all when none is named) [--misses]
import { parseArgs } from 'node:util'
import { CORPUS_OPTIONS } from '../test/fixtures/profile-corpus.ts'
import { BATCHES, isBatchName } from '../test/fixtures/profile-batches.ts'
import { scoreBatch, scoreTable } from '../test/helpers/profile-score.ts'

const { values } = parseArgs({ options: { batch: { type: 'string', multiple: true }, misses: { type: 'boolean', default: false } } })
for (const name of (values.batch ?? Object.keys(BATCHES)).map((n) => n.toUpperCase())) {
  if (!isBatchName(name)) throw new Error(`no batch ${name}`)
  const batch = BATCHES[name]
  const { fields, misses } = scoreBatch(batch, CORPUS_OPTIONS)
  const messages = batch.reduce((n, c) => n + c.messages.length, 0)
  console.log(`batch ${name}: ${batch.length} conversations, ${messages} messages\n${scoreTable(fields)}`)
  if (values.misses) for (const miss of misses) console.log(`  ${miss.id} ${miss.field}: got ${JSON.stringify(miss.got)}, want ${JSON.stringify(miss.want)}`)
  console.log('')
}

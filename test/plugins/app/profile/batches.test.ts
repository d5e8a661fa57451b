// The held-out batches of SPEC §11's extraction work (bench/PROFILE-EVAL.md): corrections replace, withdrawals
// empty, name forms are read. Every batch up to AP has been tuned on once it was scored blind; AQ to AT, the last,
// never were. Each is held to what it scored after the last round, so a change that makes any of them worse fails
// here. Batch A, the first, stays at the targets on every field.
import t from 'tap'
import { CORPUS_OPTIONS } from '../../../fixtures/profile-corpus.ts'
import { BATCHES, type BatchName } from '../../../fixtures/profile-batches.ts'
import { runConversation, scoreBatch, scoreTable } from '../../../helpers/profile-score.ts'
import { SCALAR_FIELDS } from '../../../../plugins/app/profile/types.ts'
import { extractProfileFacts } from '../../../../plugins/app/profile/extract.ts'

const PRECISION_TARGET = 0.97
const RECALL_TARGET = 0.9

t.test('batch A meets the targets on every scalar field', async (t) => {
  t.ok(BATCHES.A.length >= 40)
  const { fields } = scoreBatch(BATCHES.A, CORPUS_OPTIONS)
  t.comment(`batch A\n${scoreTable(fields)}`)
  for (const field of SCALAR_FIELDS) {
    t.ok(fields[field].precision >= PRECISION_TARGET, `${field} precision ${fields[field].precision.toFixed(3)}`)
    t.ok(fields[field].recall >= RECALL_TARGET, `${field} recall ${fields[field].recall.toFixed(3)}`)
  }
})

// Right and wrong values over all scalar fields after round sixteen (bench/PROFILE-EVAL.md).
const FLOORS: Array<{ name: BatchName, right: number, wrong: number }> = [
  { name: 'B', right: 75, wrong: 0 },
  { name: 'C', right: 63, wrong: 1 },
  { name: 'D', right: 100, wrong: 2 },
  { name: 'E', right: 103, wrong: 0 },
  { name: 'F', right: 85, wrong: 0 },
  { name: 'G', right: 140, wrong: 0 },
  { name: 'H', right: 154, wrong: 0 },
  { name: 'I', right: 201, wrong: 0 },
  { name: 'J', right: 246, wrong: 0 },
  { name: 'K', right: 256, wrong: 0 },
  { name: 'L', right: 252, wrong: 0 },
  { name: 'M', right: 270, wrong: 0 },
  // n126 expects a ZIP+4 cut to five digits; the extractor keeps it whole, as the PATCH route and the corpus do.
  { name: 'N', right: 293, wrong: 1 },
  // o126 likewise (a ZIP+4).
  { name: 'O', right: 307, wrong: 1 },
  { name: 'P', right: 332, wrong: 0 },
  { name: 'Q', right: 230, wrong: 0 },
  { name: 'R', right: 308, wrong: 3 },
  { name: 'S', right: 351, wrong: 3 },
  { name: 'T', right: 271, wrong: 0 },
  { name: 'U', right: 267, wrong: 1 },
  { name: 'V', right: 249, wrong: 0 },
  // w49's "Ann Arbor, 2901 Hickorynut Dr" reads as a name before a street.
  { name: 'W', right: 347, wrong: 3 },
  { name: 'X', right: 314, wrong: 0 },
  { name: 'Y', right: 250, wrong: 2 },
  { name: 'Z', right: 359, wrong: 1 },
  { name: 'AA', right: 275, wrong: 1 },
  { name: 'AB', right: 241, wrong: 1 },
  { name: 'AC', right: 245, wrong: 0 },
  { name: 'AD', right: 280, wrong: 3 },
  { name: 'AE', right: 263, wrong: 1 },
  { name: 'AF', right: 195, wrong: 0 },
  { name: 'AG', right: 298, wrong: 1 },
  { name: 'AH', right: 285, wrong: 0 },
  { name: 'AI', right: 259, wrong: 2 },
  { name: 'AJ', right: 295, wrong: 0 },
  { name: 'AK', right: 303, wrong: 1 },
  // al117's signature gives the employer's office, which reads as the visitor's address.
  { name: 'AL', right: 285, wrong: 5 },
  // am69 thanks the assistant by name ("ok thanks Sam"), which reads as a sign-off.
  { name: 'AM', right: 224, wrong: 2 },
  { name: 'AN', right: 261, wrong: 0 },
  { name: 'AO', right: 272, wrong: 1 },
  { name: 'AP', right: 261, wrong: 1 },
  // AQ to AT were never tuned on: held to their blind scores, the last ones measured.
  { name: 'AQ', right: 256, wrong: 2 },
  { name: 'AR', right: 291, wrong: 4 },
  { name: 'AS', right: 364, wrong: 4 },
  { name: 'AT', right: 259, wrong: 2 }
]

t.test('batches B to AT stay at least where they scored', async (t) => {
  for (const { name, right, wrong } of FLOORS) {
    const batch = BATCHES[name]
    t.ok(batch.length >= 40, `batch ${name}: ${batch.length} conversations`)
    const { fields, misses } = scoreBatch(batch, CORPUS_OPTIONS)
    t.comment(`batch ${name}\n${scoreTable(fields)}`)
    for (const miss of misses) t.comment(`${miss.id} ${miss.field}: got ${JSON.stringify(miss.got)}, want ${JSON.stringify(miss.want)}`)
    const tp = SCALAR_FIELDS.reduce((n, f) => n + fields[f].tp, 0)
    const fp = SCALAR_FIELDS.reduce((n, f) => n + fields[f].fp, 0)
    t.ok(tp >= right && fp <= wrong, `batch ${name}: ${tp} right values (at least ${right}), ${fp} wrong ones (at most ${wrong})`)
  }
})

t.test('withdrawals are facts that empty a field; corrections restate it within one message', async (t) => {
  const facts = extractProfileFacts('We are at 14 Quarry Rd, Barre, VT 05641 — no, ignore that address', CORPUS_OPTIONS)
  t.same(facts.filter((f) => f.value === null).map((f) => f.field), ['address_street', 'address_city', 'address_state', 'address_zip'])
  t.notOk(facts.some((f) => f.value !== null && f.field.startsWith('address_')), 'the address before the withdrawal is not set again')
  t.equal(runConversation(['call 503-555-0124, scratch that, the number is 503-555-0142'], CORPUS_OPTIONS).phone, '+15035550142')
  t.equal(runConversation(["I'm Kate", 'sorry, my full name is Katherine Olsen'], CORPUS_OPTIONS).customer_name, 'Katherine Olsen')
  t.equal(runConversation(['zip 30301', "actually it's 30308"], CORPUS_OPTIONS).address_zip, '30308')
  t.equal(runConversation(["actually it's 30308"], CORPUS_OPTIONS).address_zip, null, 'a bare number never sets a first ZIP')
  t.equal(runConversation(["don't forget my phone number: 503-555-0124"], CORPUS_OPTIONS).phone, '+15035550124', '"don\'t forget" keeps it')
})

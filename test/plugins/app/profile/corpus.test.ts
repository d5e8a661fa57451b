// Runs every corpus conversation through extract + merge and holds each field to precision and recall targets.
import t from 'tap'
import { extractProfileFacts } from '../../../../plugins/app/profile/extract.ts'
import { deepEqual, emptyProfile, mergeProfile } from '../../../../plugins/app/profile/merge.ts'
import { SCALAR_FIELDS, type ProfileValues } from '../../../../plugins/app/profile/types.ts'
import { CORPUS_OPTIONS, PROFILE_CORPUS } from '../../../fixtures/profile-corpus.ts'

const MIN_CONFIDENCE = 0.6
const PRECISION_TARGET = 0.97
const RECALL_TARGET = 0.9
const FIELDS = [...SCALAR_FIELDS, 'products_of_interest', 'services_of_interest', 'preferences'] as const
type Field = typeof FIELDS[number]

interface Score { tp: number, fp: number, fn: number }

function run (messages: string[]): ProfileValues {
  return messages.reduce((profile, message) => {
    return mergeProfile(profile, extractProfileFacts(message, CORPUS_OPTIONS), MIN_CONFIDENCE).next
  }, emptyProfile())
}

function scoreScalar (predicted: string | null, expected: string | null): Score {
  if (predicted !== null && predicted === expected) return { tp: 1, fp: 0, fn: 0 }
  return { tp: 0, fp: predicted === null ? 0 : 1, fn: expected === null ? 0 : 1 }
}

function scoreArray (predicted: string[], expected: string[]): Score {
  const tp = predicted.filter((v) => expected.includes(v)).length
  return { tp, fp: predicted.length - tp, fn: expected.filter((v) => !predicted.includes(v)).length }
}

function scorePreferences (predicted: Record<string, unknown>, expected: Record<string, unknown>): Score {
  const score = { tp: 0, fp: 0, fn: 0 }
  for (const key of new Set([...Object.keys(predicted), ...Object.keys(expected)])) {
    const equal = key in predicted && deepEqual(predicted[key], expected[key])
    if (equal) score.tp++
    if (!equal && key in predicted) score.fp++
    if (!equal && key in expected) score.fn++
  }
  return score
}

function scoreField (field: Field, predicted: ProfileValues, expected: ProfileValues): Score {
  if (field === 'preferences') return scorePreferences(predicted.preferences, expected.preferences)
  if (field === 'products_of_interest' || field === 'services_of_interest') return scoreArray(predicted[field], expected[field])
  return scoreScalar(predicted[field], expected[field])
}

const ratio = (num: number, den: number): number => den === 0 ? 1 : num / den
const totals = new Map<Field, Score>(FIELDS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }]))
const messageCount = PROFILE_CORPUS.reduce((n, c) => n + c.messages.length, 0)

t.test('the corpus is large and varied enough to mean something', async (t) => {
  t.ok(PROFILE_CORPUS.length >= 15, `${PROFILE_CORPUS.length} conversations`)
  t.ok(messageCount >= 60, `${messageCount} messages`)
  t.equal(new Set(PROFILE_CORPUS.map((c) => c.id)).size, PROFILE_CORPUS.length, 'conversation ids are unique')
})

t.test('each conversation, message by message', async (t) => {
  for (const conversation of PROFILE_CORPUS) {
    const predicted = run(conversation.messages)
    for (const field of FIELDS) {
      const score = scoreField(field, predicted, conversation.expected)
      const total = totals.get(field) as Score
      total.tp += score.tp
      total.fp += score.fp
      total.fn += score.fn
      if (score.fp + score.fn > 0) {
        t.comment(`${conversation.id} ${field}: got ${JSON.stringify(predicted[field])}, want ${JSON.stringify(conversation.expected[field])}`)
      }
    }
  }
})

t.test('field-level precision and recall meet the targets', async (t) => {
  const rows = ['field                  TP  FP  FN  precision  recall']
  for (const field of FIELDS) {
    const { tp, fp, fn } = totals.get(field) as Score
    const precision = ratio(tp, tp + fp)
    const recall = ratio(tp, tp + fn)
    rows.push(`${field.padEnd(22)} ${String(tp).padStart(3)} ${String(fp).padStart(3)} ${String(fn).padStart(3)}  ${precision.toFixed(3).padStart(9)}  ${recall.toFixed(3).padStart(6)}`)
    t.ok(precision >= PRECISION_TARGET, `${field} precision ${precision.toFixed(3)} >= ${PRECISION_TARGET}`)
    t.ok(recall >= RECALL_TARGET, `${field} recall ${recall.toFixed(3)} >= ${RECALL_TARGET}`)
  }
  t.comment(`${PROFILE_CORPUS.length} conversations, ${messageCount} messages, min_confidence ${MIN_CONFIDENCE}\n${rows.join('\n')}`)
})

// Scores the rule extractor on a batch of conversations: each conversation runs message by message through
// extract + merge, and each scalar field's final value is compared with the expected one.
import { extractProfileFacts } from '../../plugins/app/profile/extract.ts'
import { emptyProfile, mergeProfile } from '../../plugins/app/profile/merge.ts'
import type { BatchConversation } from '../fixtures/profile-batch-a.ts'
import { SCALAR_FIELDS, type ExtractOptions, type ProfileValues, type ScalarField } from '../../plugins/app/profile/types.ts'

export interface FieldScore { tp: number, fp: number, fn: number, precision: number, recall: number }
export interface Miss { id: string, field: ScalarField, got: string | null, want: string | null }

export const MIN_CONFIDENCE = 0.6

export function runConversation (messages: string[], options: ExtractOptions): ProfileValues {
  return messages.reduce((profile, message, i) => {
    return mergeProfile(profile, extractProfileFacts(message, options, messages[i - 1] ?? null), MIN_CONFIDENCE).next
  }, emptyProfile())
}

const ratio = (num: number, den: number): number => den === 0 ? 1 : num / den

/** Per scalar field: a right value is a true positive; a wrong one is both a false positive and a false negative. */
export function scoreBatch (batch: BatchConversation[], options: ExtractOptions): { fields: Record<ScalarField, FieldScore>, misses: Miss[] } {
  const counts = new Map<ScalarField, { tp: number, fp: number, fn: number }>(SCALAR_FIELDS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }]))
  const misses: Miss[] = []
  for (const conversation of batch) {
    const predicted = runConversation(conversation.messages, options)
    for (const field of SCALAR_FIELDS) {
      const got = predicted[field]
      const want = conversation.expected[field] ?? null
      const count = counts.get(field) as { tp: number, fp: number, fn: number }
      if (got !== null && got === want) {
        count.tp++
        continue
      }
      if (got !== null) count.fp++
      if (want !== null) count.fn++
      if (got !== want) misses.push({ id: conversation.id, field, got, want })
    }
  }
  const fields = Object.fromEntries(SCALAR_FIELDS.map((field) => {
    const { tp, fp, fn } = counts.get(field) as { tp: number, fp: number, fn: number }
    return [field, { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) }]
  })) as Record<ScalarField, FieldScore>
  return { fields, misses }
}

export function scoreTable (fields: Record<ScalarField, FieldScore>): string {
  const rows = ['field              TP  FP  FN  precision  recall']
  for (const field of SCALAR_FIELDS) {
    const { tp, fp, fn, precision, recall } = fields[field]
    rows.push(`${field.padEnd(18)} ${String(tp).padStart(3)} ${String(fp).padStart(3)} ${String(fn).padStart(3)}  ${precision.toFixed(3).padStart(9)}  ${recall.toFixed(3).padStart(6)}`)
  }
  return rows.join('\n')
}

import t from 'tap'
import { uuidv7 } from '../../db/uuid7.ts'

t.test('ids are version 7, RFC variant, and carry the time', async (t) => {
  const before = Date.now()
  const id = uuidv7()
  t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  const ms = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)
  t.ok(ms >= before && ms <= Date.now())
})

t.test('ids made in the same millisecond sort in the order they were made', async (t) => {
  const ids = Array.from({ length: 10000 }, () => uuidv7(1_800_000_000_000))
  t.same([...ids].sort(), ids)
  t.equal(new Set(ids).size, ids.length)
})

t.test('a clock that goes back does not break the order', async (t) => {
  const a = uuidv7(1_900_000_000_000)
  const b = uuidv7(1_899_999_999_000)
  t.ok(b > a)
})

// UUIDv7 ids made by the app (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter (the RFC's "fixed-length
// dedicated counter", method 1) so ids minted within one millisecond still sort in the order they were made.
import { randomFillSync } from 'node:crypto'

const random = Buffer.alloc(4096)
let randomOffset = random.length
let lastMs = 0
let counter = 0

function randomBytes (n: number): Buffer {
  if (randomOffset + n > random.length) {
    randomFillSync(random)
    randomOffset = 0
  }
  const out = random.subarray(randomOffset, randomOffset + n)
  randomOffset += n
  return out
}

function nextTimestampAndCounter (now: number): [number, number] {
  if (now > lastMs) {
    lastMs = now
    // Start low in the counter space so a burst within this millisecond has room to count up.
    counter = randomBytes(2).readUInt16BE(0) & 0x1ff
  } else if (++counter > 0xfff) {
    // Counter exhausted (4096 ids in one ms) or the clock went back: borrow the next millisecond.
    lastMs += 1
    counter = 0
  }
  return [lastMs, counter]
}

export function uuidv7 (now: number = Date.now()): string {
  const [ms, seq] = nextTimestampAndCounter(now)
  const bytes = Buffer.allocUnsafe(16)
  bytes.writeUIntBE(ms, 0, 6)
  bytes.writeUInt16BE(0x7000 | seq, 6)
  randomBytes(8).copy(bytes, 8)
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

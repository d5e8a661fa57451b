import t from 'tap'
import { addDecimals, costNumberToDecimal, pricePerToken, tokensTimesPrice } from '../../../../plugins/app/llm/money.ts'

t.test('costNumberToDecimal gives the shortest decimal, never exponent notation', async (t) => {
  t.equal(costNumberToDecimal(1e-7), '0.0000001')
  t.equal(costNumberToDecimal(1.5e-10), '0.00000000015')
  t.equal(costNumberToDecimal(0.000123), '0.000123')
  t.equal(costNumberToDecimal(0.1), '0.1')
  t.equal(costNumberToDecimal(0), '0')
  t.equal(costNumberToDecimal(-0), '0')
  t.equal(costNumberToDecimal(12), '12')
  t.equal(costNumberToDecimal(1e21), '1000000000000000000000')
  t.equal(costNumberToDecimal(1.2345e-7), '0.00000012345')
  t.equal(costNumberToDecimal(-2.5e-8), '-0.000000025')
  t.equal(costNumberToDecimal(0.00002), '0.00002')
  t.throws(() => costNumberToDecimal(Number.NaN))
  t.throws(() => costNumberToDecimal(Infinity))
})

t.test('pricePerToken divides the per-million price exactly', async (t) => {
  t.equal(pricePerToken(0.03), '0.00000003')
  t.equal(pricePerToken(0.14), '0.00000014')
  t.equal(pricePerToken(3), '0.000003')
  t.equal(pricePerToken(15), '0.000015')
  t.equal(pricePerToken(0), '0')
  t.equal(pricePerToken(1e-7), '0.0000000000001')
})

t.test('tokensTimesPrice is exact where floating point is not', async (t) => {
  t.equal(tokensTimesPrice(3, '0.1'), '0.3') // 3 * 0.1 === 0.30000000000000004 in floating point
  t.equal(tokensTimesPrice(1234, '0.00000014'), '0.00017276')
  t.equal(tokensTimesPrice(0, '0.5'), '0')
  t.throws(() => tokensTimesPrice(1.5, '0.1'))
  t.throws(() => tokensTimesPrice(-1, '0.1'))
  t.throws(() => tokensTimesPrice(1, '1e-7'))
})

t.test('addDecimals sums exactly, across scales', async (t) => {
  t.equal(addDecimals('0.1', '0.2'), '0.3')
  t.equal(addDecimals('0.00000003', '0.00017276', '1'), '1.00017279')
  t.equal(addDecimals(), '0')
  t.equal(addDecimals('-0.5', '0.5'), '0')
  t.equal(addDecimals('10', '0.000000000000000001'), '10.000000000000000001')
  let sum = '0'
  for (let i = 0; i < 1000; i++) sum = addDecimals(sum, '0.0000001')
  t.equal(sum, '0.0001')
  t.throws(() => addDecimals('abc'))
})

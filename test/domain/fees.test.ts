// Specification of the fee rules: the amount in Vietnamese words as a fee receipt writes it, and the fee lines of a
// dossier (the online amount where the schedule sets one, per-copy fees times the copies asked for), and the fee a DMN
// decision gave, taken only when its lines add up.
import t from 'tap'
import { feeBill, feeBillFromDecision, maxFeeUnits } from '../../src/domain/fees/lines.js'
import { amountInWords } from '../../src/domain/fees/words.js'

t.test('amounts in words follow the reading rules (mươi, mười, mốt, lăm, tư, linh, không trăm)', async (t) => {
  const cases: Array<[number, string]> = [
    [0, 'Không đồng'],
    [8000, 'Tám nghìn đồng'],
    [10000, 'Mười nghìn đồng'],
    [15000, 'Mười lăm nghìn đồng'],
    [21000, 'Hai mươi mốt nghìn đồng'],
    [24000, 'Hai mươi tư nghìn đồng'],
    [25000, 'Hai mươi lăm nghìn đồng'],
    [50000, 'Năm mươi nghìn đồng'],
    [105000, 'Một trăm linh năm nghìn đồng'],
    [1005000, 'Một triệu không trăm linh năm nghìn đồng'],
    [1250000, 'Một triệu hai trăm năm mươi nghìn đồng'],
    [2000005000, 'Hai tỷ không trăm linh năm nghìn đồng'],
    [1000000000000, 'Một nghìn tỷ đồng'],
  ]
  for (const [n, words] of cases) t.equal(amountInWords(n), words, String(n))
  t.throws(() => amountInWords(-1))
  t.throws(() => amountInWords(1.5))
})

t.test(
  'fee lines: the online amount online, the counter amount at the counter, per-copy fees times the copies',
  async (t) => {
    const fees = [
      { name: 'Lệ phí', kind: 'le-phi' as const, amountVnd: 100000, onlineAmountVnd: 50000 },
      { name: 'Phí bản sao', kind: 'phi' as const, amountVnd: 8000, perField: 'soBanSao' },
    ]
    const online = feeBill(fees, { channel: 'online', formData: { soBanSao: 3 } })
    t.same(
      online.lines.map((l) => [l.unitVnd, l.quantity, l.amountVnd]),
      [
        [50000, 1, 50000],
        [8000, 3, 24000],
      ],
    )
    t.equal(online.totalVnd, 74000)
    t.ok(online.known)
    t.equal(feeBill(fees, { channel: 'counter', formData: { soBanSao: 3 } }).totalVnd, 124000, 'the counter amount')
    for (const copies of [undefined, 0, -2, 'ba', 1.5])
      t.equal(
        feeBill(fees, { channel: 'counter', formData: { soBanSao: copies } }).lines[1]!.quantity,
        1,
        `${copies}: one`,
      )
    t.equal(feeBill(fees, { channel: 'counter', formData: { soBanSao: 10_000 } }).lines[1]!.quantity, maxFeeUnits)
    const local = feeBill([{ name: 'Lệ phí do HĐND tỉnh quy định', amountVnd: null }], {
      channel: 'online',
      formData: {},
    })
    t.same([local.totalVnd, local.known], [0, false], 'a fee set locally and not known here counts 0, not known')
  },
)

t.test('postage is a line of its own, charged only when the result is delivered by post', async (t) => {
  const fees = [
    { name: 'Lệ phí', kind: 'le-phi' as const, amountVnd: 100000 },
    { name: 'Cước chuyển phát kết quả', kind: 'phi' as const, amountVnd: 30000, delivery: 'post' as const },
    { name: 'Cước chưa biết', amountVnd: null, delivery: 'post' as const },
  ]
  const posted = feeBill(fees.slice(0, 2), { channel: 'online', formData: {}, deliveryMethod: 'post' })
  t.same(
    posted.lines.map((l) => [l.name, l.amountVnd]),
    [
      ['Lệ phí', 100000],
      ['Cước chuyển phát kết quả', 30000],
    ],
  )
  t.equal(posted.totalVnd, 130000)
  const counter = feeBill(fees, { channel: 'online', formData: {}, deliveryMethod: 'counter' })
  t.same(
    counter.lines.map((l) => l.name),
    ['Lệ phí'],
    'no postage when the applicant collects the result',
  )
  t.ok(counter.known, 'an unknown postage does not make a bill without post unknown')
  t.notOk(feeBill(fees, { channel: 'online', formData: {}, deliveryMethod: 'post' }).known)
})

t.test('a fee decision’s result is charged only when it is {lines, totalVnd} and adds up', async (t) => {
  const line = { name: 'Lệ phí', kind: 'le-phi', unitVnd: 8000, quantity: 3, amountVnd: 24000 }
  t.same(feeBillFromDecision({ lines: [line, { name: 'Phí', unitVnd: 0, amountVnd: 0 }], totalVnd: 24000 }), {
    ok: true,
    bill: {
      lines: [line, { name: 'Phí', kind: 'le-phi', unitVnd: 0, quantity: 1, amountVnd: 0 }],
      totalVnd: 24000,
      known: true,
    },
  })
  const refused: Array<[unknown, RegExp]> = [
    [null, /is not a context/],
    [[line], /is not a context/],
    [{ totalVnd: 0 }, /has no list "lines"/],
    [{ lines: [{ ...line, name: '' }], totalVnd: 24000 }, /line 1 has no name/],
    [{ lines: [{ ...line, kind: 'thue' }], totalVnd: 24000 }, /kind "thue"/],
    [{ lines: [{ ...line, unitVnd: 8000.5 }], totalVnd: 24000 }, /not whole đồng/],
    [{ lines: [{ ...line, amountVnd: -1 }], totalVnd: 24000 }, /not whole đồng/],
    [{ lines: [{ ...line, quantity: maxFeeUnits + 1 }], totalVnd: 24000 }, /quantity/],
    [{ lines: [{ ...line, amountVnd: 25000 }], totalVnd: 25000 }, /8000 × 3 is not 25000/],
    [{ lines: [line], totalVnd: 30000 }, /totalVnd 30000, but its lines add up to 24000/],
  ]
  for (const [value, why] of refused) {
    const r = feeBillFromDecision(value)
    t.equal(r.ok, false, JSON.stringify(value))
    if (!r.ok) t.match(r.reason, why)
  }
})

// The manual carrier's tracking numbers: spaces and case forgiven, an S10 number (registered mail, EMS) checked by its
// check digit as UPU standard S10 defines it, anything else refused with MC_ERR_TRACKING_NUMBER.
import t from 'tap'
import { ManualCarrier, normaliseTrackingNumber, s10CheckDigit } from '../../src/delivery/carriers.js'

t.test('S10 check digits', async (t) => {
  // The standard's worked example (RR 47312482 9 ...): weights 8 6 4 2 3 5 9 7, 11 − (200 mod 11) = 9.
  t.equal(s10CheckDigit('47312482'), 9)
  t.equal(s10CheckDigit('12345678'), 5)
  // 11 − r = 10 → 0 and 11 − r = 11 → 5.
  t.equal(s10CheckDigit('00000008'), 0, 'sum 56, 11 − 1 = 10 → 0')
  t.equal(s10CheckDigit('00000001'), 4)
  t.equal(s10CheckDigit('00000000'), 5, 'sum 0 → 11 → 5')
})

t.test('typed numbers', async (t) => {
  t.equal(normaliseTrackingNumber(' eb 123456785 vn '), 'EB123456785VN', 'spaces and case')
  t.equal(normaliseTrackingNumber('RR473124829VN'), 'RR473124829VN')
  t.equal(normaliseTrackingNumber('VTP-2026-0001'), 'VTP-2026-0001', 'a number not in S10 form is taken as typed')
  for (const bad of ['EB123456784VN', 'EB123456786VN'])
    t.throws(() => normaliseTrackingNumber(bad), { code: 'MC_ERR_TRACKING_NUMBER' }, `${bad}: wrong check digit`)
  for (const bad of [
    '',
    '12345',
    'EB123456785VN\nX',
    'EB12345\t6785VN',
    'EB12345678;VN',
    'x'.repeat(31),
    'số hiệu 1234',
  ])
    t.throws(() => normaliseTrackingNumber(bad), { code: 'MC_ERR_TRACKING_NUMBER' }, JSON.stringify(bad))
})

t.test('the manual carrier wants the number typed', async (t) => {
  const vnpost = new ManualCarrier('vnpost', { vi: 'VNPost', en: 'VNPost' })
  const request = {
    dossierCode: 'X',
    recipientName: 'A',
    shippedOn: '2026-03-10',
    address: {
      provinceCode: '01',
      provinceName: 'Hà Nội',
      communeCode: '00004',
      communeName: 'Ba Đình',
      street: 'Số 1',
    },
  }
  await t.rejects(vnpost.ship(request), { code: 'MC_ERR_TRACKING_NUMBER' })
  t.same(await vnpost.ship({ ...request, trackingNumber: 'eb123456785vn' }), { trackingNumber: 'EB123456785VN' })
})

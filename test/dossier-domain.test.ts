import t from 'tap'
import { formatDossierCode, parseDossierCode } from '../src/domain/dossier/code.js'
import { canApply, statusByKey as S, transitions } from '../src/domain/dossier/status.js'

t.test('dossier codes follow Thông tư 01/2018: agency-YYMMDD-XXXX', async (t) => {
  t.equal(formatDossierCode('H21.65', '2022-09-14', 11), 'H21.65-220914-0011')
  t.equal(formatDossierCode('X99.20.30', '2026-03-02', 12345), 'X99.20.30-260302-12345')
  t.same(parseDossierCode('H21.65-220914-0011'), { agencyCode: 'H21.65', receiptDate: '2022-09-14', sequence: 11 })
  t.equal(parseDossierCode('H21.65-2209-0011'), undefined)
  t.equal(parseDossierCode("H21.65-220914-0011' OR 1=1"), undefined)
  t.throws(() => formatDossierCode('h21', '2022-09-14', 1), RangeError)
  t.throws(() => formatDossierCode('H21', '2022-9-14', 1), RangeError)
  t.throws(() => formatDossierCode('H21', '2022-09-14', 0), RangeError)
})

t.test('transitions only as the law allows', async (t) => {
  t.ok(canApply('withdraw', S.processing), 'withdraw before resolution')
  t.notOk(canApply('withdraw', S.resolved), 'no withdrawal once resolved')
  t.notOk(canApply('withdraw', S.returned))
  t.ok(canApply('returnResult', S.resolved))
  t.notOk(canApply('returnResult', S.processing), 'a result is returned only once resolved')
  t.ok(canApply('resume', S.waitingPayment))
  t.notOk(canApply('resolve', S.waitingSupplement), 'cannot resolve while waiting for the applicant')
  for (const final of [S.refused, S.withdrawn, S.stopped, S.returned]) {
    for (const [command, rule] of Object.entries(transitions)) {
      t.notOk(rule.from.includes(final), `${command} is not allowed from final status ${final}`)
    }
  }
})

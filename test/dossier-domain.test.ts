import t from 'tap'
import { formatDossierCode, parseDossierCode } from '../src/domain/dossier/code.js'
import { isOverdue, overdueSql } from '../src/domain/dossier/overdue.js'
import {
  canApply,
  IllegalTransition,
  isClockRunning,
  nextStatus,
  statusByKey as S,
  transitions,
} from '../src/domain/dossier/status.js'

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

t.test('the status machine decides the status a command leaves', async (t) => {
  t.equal(nextStatus('withdraw', S.processing), S.withdrawn)
  t.equal(nextStatus('extend', S.processing), S.processing, 'an extension leaves the status as it is')
  t.equal(nextStatus('resume', S.waitingPayment, { accepted: true }), S.processing, 'after acceptance: processing')
  t.equal(nextStatus('resume', S.waitingPayment, { accepted: false }), S.submitted, 'before: back to the counter')
  t.equal(nextStatus('submitSupplement', S.waitingSupplement, { accepted: false }), S.submitted)
  t.equal(nextStatus('refuseDuringProcessing', S.processing), S.processing, 'the process closes it as refused')
  t.throws(() => nextStatus('refuseDuringProcessing', S.received), IllegalTransition)
  t.throws(() => nextStatus('returnResult', S.processing), { code: 'MC_ERR_DOSSIER_STATE' })
  t.equal(nextStatus('receive', S.submitted), S.received, 'an accepted dossier is received, its processing not started')
})

t.test('the process jobs move the status through the same machine', async (t) => {
  t.equal(nextStatus('recordAcceptance', S.submitted), S.received, 'the receive job records acceptance')
  t.equal(nextStatus('startStep', S.received), S.processing, 'the first hand-off starts processing')
  t.equal(nextStatus('startStep', S.processing), S.processing, 'later hand-offs leave it')
  t.equal(nextStatus('askForSupplement', S.submitted), S.waitingSupplement, 'at reception (R6)')
  t.equal(nextStatus('askForSupplement', S.processing), S.waitingSupplement, 'during processing (R7)')
  t.equal(nextStatus('askForPayment', S.submitted), S.waitingPayment, 'a fee before acceptance')
  t.equal(nextStatus('issueResult', S.processing), S.resolved)
  t.equal(nextStatus('closeReturned', S.resolved), S.returned)
  t.equal(nextStatus('closeRefused', S.submitted), S.refused, 'refused at reception')
  t.equal(nextStatus('closeRefused', S.processing), S.refused, 'refused during processing')
  t.equal(nextStatus('closeStopped', S.waitingSupplement), S.stopped, 'the supplement period expired')
  t.throws(() => nextStatus('recordAcceptance', S.withdrawn), IllegalTransition, 'a withdrawn dossier is not accepted')
  t.throws(() => nextStatus('issueResult', S.waitingSupplement), IllegalTransition, 'no result while waiting')
  t.throws(() => nextStatus('closeReturned', S.processing), IllegalTransition, 'returned only once resolved')
})

t.test('the clock runs for an accepted dossier being processed and not waiting for the applicant', async (t) => {
  t.ok(isClockRunning({ status: S.received, paused: false }))
  t.ok(isClockRunning({ status: S.processing, paused: false }))
  t.notOk(isClockRunning({ status: S.processing, paused: true }), 'paused: within time (R10)')
  t.notOk(isClockRunning({ status: S.waitingPayment, paused: true }), 'suspended for payment (R8)')
  t.notOk(isClockRunning({ status: S.submitted, paused: false }), 'not accepted yet')
  t.notOk(isClockRunning({ status: S.resolved, paused: false }), 'resolved')
})

t.test('overdue: the clock runs and the due before any extension has passed (R9, R10)', async (t) => {
  const at = new Date('2026-03-17T09:00:00+07:00')
  const extended = {
    status: S.processing,
    paused: false,
    original_due_at: new Date('2026-03-16T23:59:59+07:00'),
    due_at: new Date('2026-03-20T23:59:59+07:00'),
  }
  t.ok(isOverdue(extended, at), 'judged against the original due')
  t.notOk(isOverdue({ ...extended, paused: true }, at), 'paused: within time')
  t.notOk(isOverdue({ ...extended, original_due_at: null }, at), 'no extension: the due in force')
  t.notOk(isOverdue({ ...extended, status: S.resolved }, at), 'resolved dossiers are not overdue')
  t.notOk(isOverdue({ ...extended, original_due_at: at }, at), 'a due is passed once the time is later than it')
  const sql = overdueSql('d', at)
  t.equal(sql.sql, 'd.status IN (2, 4) AND d.paused = false AND coalesce(d.original_due_at, d.due_at) < ?')
  t.same(sql.bindings, [at])
})

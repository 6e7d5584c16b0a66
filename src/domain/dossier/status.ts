// The ten dossier statuses synchronised with the national portal, which command may move a dossier from which status
// to which, and when its clock runs: the one status machine commands, workers, sweeps and reports ask.
export const dossierStatuses = {
  1: { key: 'submitted', vi: 'Mới đăng ký', en: 'Submitted, not yet received' },
  2: { key: 'received', vi: 'Được tiếp nhận', en: 'Received' },
  3: { key: 'refused', vi: 'Không được tiếp nhận', en: 'Refused' },
  4: { key: 'processing', vi: 'Đang xử lý', en: 'Processing' },
  5: { key: 'waitingSupplement', vi: 'Yêu cầu bổ sung', en: 'Waiting for a supplement' },
  6: { key: 'waitingPayment', vi: 'Nghĩa vụ tài chính', en: 'Waiting for payment of financial obligations' },
  7: { key: 'withdrawn', vi: 'Công dân rút', en: 'Withdrawn by the applicant' },
  8: { key: 'stopped', vi: 'Dừng xử lý', en: 'Stopped' },
  9: { key: 'resolved', vi: 'Đã xử lý xong', en: 'Resolved, result at the counter' },
  10: { key: 'returned', vi: 'Đã trả kết quả', en: 'Result returned' },
} as const

export type DossierStatus = keyof typeof dossierStatuses
export type DossierStatusKey = (typeof dossierStatuses)[DossierStatus]['key']

export const statusByKey = Object.fromEntries(
  Object.entries(dossierStatuses).map(([n, s]) => [s.key, Number(n) as DossierStatus]),
) as Record<DossierStatusKey, DossierStatus>

/** The statuses by name, for code that writes or compares one: `Status.processing`, never a bare 4. */
export const Status = statusByKey

export type DossierCommand =
  | 'submit'
  | 'receive'
  | 'requestSupplement'
  | 'submitSupplement'
  | 'refuse'
  | 'refuseDuringProcessing'
  | 'handOff'
  | 'returnToPreviousStep'
  | 'suspendForPayment'
  | 'resume'
  | 'extend'
  | 'withdraw'
  | 'stop'
  | 'resolve'
  | 'returnResult'

/**
 * What the process's own jobs do to the status (the `dossier.*` job workers): an officer's decision is routed by the
 * workflow, and the job that follows writes its effect — acceptance is recorded by the receive job, the result
 * numbered by the issue-result job, the dossier closed by the close job.
 */
export type DossierJobStep =
  | 'recordAcceptance'
  | 'startStep'
  | 'askForSupplement'
  | 'askForPayment'
  | 'issueResult'
  | 'closeReturned'
  | 'closeRefused'
  | 'closeStopped'

/** Every move the status machine knows: the people's commands and the process's jobs. */
export type DossierTransition = DossierCommand | DossierJobStep

const S = statusByKey

export interface Transition {
  from: readonly DossierStatus[]
  /** The status the command leaves; undefined: unchanged. */
  to?: DossierStatus
  /** The status it leaves instead when the dossier has not been accepted yet (it goes back to the counter). */
  toBeforeAcceptance?: DossierStatus
}

/**
 * From which statuses each command is allowed, and the status it leaves. A decision on a user task (receive,
 * requestSupplement, resolve, refuse) is checked here when the officer makes it; its `to` is the status the job that
 * follows writes (the job steps below).
 */
export const transitions: Record<DossierTransition, Transition> = {
  submit: { from: [], to: S.submitted },
  // Supplement requested at reception (R6) keeps the dossier "submitted" from the law's point of view,
  // but it waits for the applicant; re-submission brings it back to the counter.
  receive: { from: [S.submitted, S.waitingSupplement], to: S.received },
  requestSupplement: { from: [S.submitted, S.received, S.processing], to: S.waitingSupplement },
  // A supplement handed in goes on where it was asked: processing (R7) or, at reception (R6), back to the counter.
  submitSupplement: { from: [S.waitingSupplement], to: S.processing, toBeforeAcceptance: S.submitted },
  refuse: { from: [S.submitted, S.waitingSupplement], to: S.refused },
  // "Từ chối giải quyết": refused after acceptance, although the portal's status table only lists reception; it ends
  // as "refused" with the reason. The process closes it (dossier.close), so the command itself leaves it unchanged.
  refuseDuringProcessing: { from: [S.processing] },
  handOff: { from: [S.received, S.processing] },
  returnToPreviousStep: { from: [S.processing] },
  suspendForPayment: { from: [S.received, S.processing], to: S.waitingPayment },
  // A fee asked before acceptance (household business) lets the dossier go back to acceptance.
  resume: { from: [S.waitingPayment], to: S.processing, toBeforeAcceptance: S.submitted },
  extend: { from: [S.received, S.processing] },
  withdraw: { from: [S.submitted, S.received, S.processing, S.waitingSupplement, S.waitingPayment], to: S.withdrawn },
  stop: { from: [S.received, S.processing, S.waitingSupplement, S.waitingPayment], to: S.stopped },
  resolve: { from: [S.received, S.processing], to: S.resolved },
  returnResult: { from: [S.resolved], to: S.returned },

  // The process's jobs.
  // dossier.receive: the accepted dossier gets its code and appointment date (R1, R6).
  recordAcceptance: { from: [S.submitted], to: S.received },
  // dossier.handoff: the first hand-off after acceptance starts processing; later ones leave the status.
  startStep: { from: [S.received, S.processing], to: S.processing },
  // dossier.request-supplement: at reception (R6) or once during processing (R7).
  askForSupplement: { from: [S.submitted, S.received, S.processing], to: S.waitingSupplement },
  // dossier.request-payment: a fee asked before acceptance (household business) or during processing.
  askForPayment: { from: [S.submitted, S.received, S.processing], to: S.waitingPayment },
  // dossier.issue-result: the signed result is at the counter.
  issueResult: { from: [S.received, S.processing], to: S.resolved },
  // dossier.close, by the outcome the process names.
  closeReturned: { from: [S.resolved], to: S.returned },
  closeRefused: { from: [S.submitted, S.waitingSupplement, S.received, S.processing], to: S.refused },
  closeStopped: { from: [S.submitted, S.received, S.processing, S.waitingSupplement, S.waitingPayment], to: S.stopped },
}

export const finalStatuses: readonly DossierStatus[] = [S.refused, S.withdrawn, S.stopped, S.returned]

/** Refused, withdrawn, stopped or returned: nothing changes the dossier any more. */
export function isFinal(status: DossierStatus): boolean {
  return finalStatuses.includes(status)
}

/** Not final: what a unit's dossier list shows (the result waiting at the counter included). */
export const openStatuses: readonly DossierStatus[] = (
  Object.keys(dossierStatuses).map(Number) as DossierStatus[]
).filter((s) => !isFinal(s))

/** The result is at the counter or returned: the dossier was resolved (the statistics' "đã giải quyết"). */
export function isResolved(status: DossierStatus | number): boolean {
  return status === S.resolved || status === S.returned
}

export function canApply(command: DossierTransition, status: DossierStatus): boolean {
  return transitions[command].from.includes(status)
}

/** A command asked of a dossier whose status does not allow it. */
export class IllegalTransition extends Error {
  readonly code = 'MC_ERR_DOSSIER_STATE'
  constructor(
    readonly command: DossierTransition,
    readonly from: DossierStatus,
  ) {
    super(`${command} is not allowed in status ${from}`)
    this.name = 'IllegalTransition'
  }
}

/**
 * The status `command` leaves a dossier in `current` with; throws IllegalTransition when the command is not allowed
 * there. `accepted`: whether the dossier was accepted (for the commands that go back to the counter before it).
 */
export function nextStatus(
  command: DossierTransition,
  current: DossierStatus,
  opts: { accepted?: boolean } = {},
): DossierStatus {
  const rule = transitions[command]
  if (!rule.from.includes(current)) throw new IllegalTransition(command, current)
  if (opts.accepted === false && rule.toBeforeAcceptance !== undefined) return rule.toBeforeAcceptance
  return rule.to ?? current
}

/** The statuses in which the legal time runs, unless the dossier is paused: accepted and being processed (R8, R10). */
export const clockStatuses: readonly DossierStatus[] = [S.received, S.processing]

/** R8, R10: the clock runs for an accepted dossier being processed and not waiting for the applicant. */
export function isClockRunning(dossier: { status: DossierStatus | number; paused: boolean }): boolean {
  return (clockStatuses as readonly number[]).includes(dossier.status) && !dossier.paused
}

// The ten dossier statuses synchronised with the national portal, and which command may move a dossier from which status.
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

export type DossierCommand =
  | 'submit'
  | 'receive'
  | 'requestSupplement'
  | 'submitSupplement'
  | 'refuse'
  | 'handOff'
  | 'returnToPreviousStep'
  | 'suspendForPayment'
  | 'resume'
  | 'extend'
  | 'withdraw'
  | 'stop'
  | 'resolve'
  | 'returnResult'

const S = statusByKey

/** From which statuses each command is allowed, and the status it leaves (undefined: unchanged). */
export const transitions: Record<DossierCommand, { from: readonly DossierStatus[]; to?: DossierStatus }> = {
  submit: { from: [], to: S.submitted },
  // Supplement requested at reception (R6) keeps the dossier "submitted" from the law's point of view,
  // but it waits for the applicant; re-submission brings it back to the counter.
  receive: { from: [S.submitted, S.waitingSupplement], to: S.processing },
  requestSupplement: { from: [S.submitted, S.received, S.processing], to: S.waitingSupplement },
  submitSupplement: { from: [S.waitingSupplement] },
  refuse: { from: [S.submitted, S.waitingSupplement], to: S.refused },
  handOff: { from: [S.received, S.processing] },
  returnToPreviousStep: { from: [S.processing] },
  suspendForPayment: { from: [S.received, S.processing], to: S.waitingPayment },
  resume: { from: [S.waitingPayment], to: S.processing },
  extend: { from: [S.received, S.processing] },
  withdraw: { from: [S.submitted, S.received, S.processing, S.waitingSupplement, S.waitingPayment], to: S.withdrawn },
  stop: { from: [S.received, S.processing, S.waitingSupplement, S.waitingPayment], to: S.stopped },
  resolve: { from: [S.received, S.processing], to: S.resolved },
  returnResult: { from: [S.resolved], to: S.returned },
}

export const finalStatuses: readonly DossierStatus[] = [S.refused, S.withdrawn, S.stopped, S.returned]

export function canApply(command: DossierCommand, status: DossierStatus): boolean {
  return transitions[command].from.includes(status)
}

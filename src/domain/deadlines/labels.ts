// Stable English codes for deadline statuses and results, with the Vietnamese labels users read.

/** R10: how a finished dossier (or a step) is judged against its due date. */
export type Timeliness = 'early' | 'on_time' | 'late'
/** R10: where an open dossier stands at `now`. */
export type OpenStatus = 'within' | 'overdue' | 'paused'

export const timelinessLabels: Record<Timeliness, { vi: string; en: string }> = {
  early: { vi: 'Trước hạn', en: 'Early' },
  on_time: { vi: 'Đúng hạn', en: 'On time' },
  late: { vi: 'Quá hạn', en: 'Late' },
}

export const openStatusLabels: Record<OpenStatus, { vi: string; en: string }> = {
  within: { vi: 'Trong hạn', en: 'Within the deadline' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  paused: { vi: 'Tạm dừng (chờ công dân, tổ chức)', en: 'Paused (waiting for the applicant)' },
}

/** Decision 766 counts early and on-time results together as on time. */
export function countsAsOnTime(result: Timeliness): boolean {
  return result !== 'late'
}

// When a task is overdue or due soon, for the worklist's colours and words.
const dayMs = 24 * 60 * 60 * 1000

/**
 * The API says when a task is overdue (the dossier's `overdue`, or a step due already past) but not when it is due
 * soon, so "due soon" is computed here: due before the same time on the next working day, skipping Saturdays and
 * Sundays. Holidays and make-up Saturdays are not looked up, so next to a holiday the amber may come a day early.
 */
export function dueState(
  dueAt: string | null,
  dossierOverdue: boolean,
  now = new Date(),
): { overdue: boolean; dueSoon: boolean } {
  if (!dueAt) return { overdue: dossierOverdue, dueSoon: false }
  const due = new Date(dueAt).getTime()
  const overdue = dossierOverdue || due < now.getTime()
  let horizon = now.getTime() + dayMs
  // The weekday in Hà Nội (UTC+7 all year).
  const weekday = (ms: number) => new Date(ms + 7 * 60 * 60 * 1000).getUTCDay()
  while (weekday(horizon) === 0 || weekday(horizon) === 6) horizon += dayMs
  return { overdue, dueSoon: !overdue && due <= horizon }
}

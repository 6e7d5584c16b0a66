// A dossier or task list's query string as the queries take it: status as a dossier status, dueBefore as a Date.
import { dossierStatuses, type DossierStatus } from '../../domain/dossier/status.js'

const isDossierStatus = (n: number): n is DossierStatus => Object.hasOwn(dossierStatuses, n)

/** The list schemas bound `status` to 1…10, which are exactly the dossier statuses, and `dueBefore` to a date-time. */
export function listFilter<Q extends { status?: number; dueBefore?: string }>({ status, dueBefore, ...rest }: Q) {
  return {
    ...rest,
    ...(status !== undefined && isDossierStatus(status) ? { status } : {}),
    ...(dueBefore ? { dueBefore: new Date(dueBefore) } : {}),
  }
}

// Which units receive the dossiers of a procedure: those of its agency level that have an agency code (the code
// numbers the dossier). The one rule behind accepting a submission and listing the agencies an applicant may choose.
import type { AgencyLevel } from './definition.js'

/**
 * The unit levels (units.level) that receive a procedure of each agency level: a province's procedures at its service
 * centre (and branches) too. District procedures (history, before 1 July 2025) at the district and its offices.
 */
export const receivingUnitLevels: Record<AgencyLevel, readonly string[]> = {
  xa: ['commune'],
  huyen: ['district', 'office'],
  tinh: ['province', 'service_centre', 'service_centre_branch', 'department'],
}

/** The unit levels receiving dossiers of a procedure at `agencyLevel` (none for a level not known). */
export function unitLevelsFor(agencyLevel: string): readonly string[] {
  return receivingUnitLevels[agencyLevel as AgencyLevel] ?? []
}

/** True when `unit` receives dossiers of a procedure at `agencyLevel`. */
export function receivesProcedure(unit: { level: string; agency_code: string | null }, agencyLevel: string): boolean {
  return unitLevelsFor(agencyLevel).includes(unit.level) && Boolean(unit.agency_code)
}

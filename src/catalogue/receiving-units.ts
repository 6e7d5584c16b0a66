// Which units receive the dossiers of a procedure: those of its agency level (the portal lets the applicant choose one).
/** The unit levels (units.level) that receive a procedure of each agency level. */
export const receivingUnitLevels: Record<string, readonly string[]> = {
  tinh: ['province', 'department'],
  huyen: ['district'],
  xa: ['commune'],
}

/** The unit levels receiving dossiers of a procedure at `agencyLevel` (none for a level not known). */
export function unitLevelsFor(agencyLevel: string): readonly string[] {
  return receivingUnitLevels[agencyLevel] ?? []
}

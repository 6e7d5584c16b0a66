// Who is calling: the authenticated principal carried in the access token.
export const citizenKinds = ['citizen', 'organisation', 'enterprise'] as const
export const staffKinds = ['officer', 'supervisor', 'analyst', 'administrator'] as const
export type UserKind = (typeof citizenKinds)[number] | (typeof staffKinds)[number]

export interface Principal {
  userId: string
  username: string
  kind: UserKind
  /** Staff only: the unit the account belongs to and its materialised path (for subtree checks). */
  unitId?: string
  unitPath?: string
  groups: string[]
}

export function isStaff(p: Principal): boolean {
  return (staffKinds as readonly string[]).includes(p.kind)
}

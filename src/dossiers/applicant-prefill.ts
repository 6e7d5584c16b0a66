// The applicant block of a dossier form, pre-filled from the applicant's profile when a draft starts: every top-level
// group labelled "Người yêu cầu" / "Applicant" gets the profile's values for the fields it has.
import type { FormSchema } from '../catalogue/definition.js'

interface GroupNode {
  type?: unknown
  properties?: Record<string, unknown>
  'x-ui'?: { label?: { vi?: string; en?: string } }
}

/** Whether a top-level form property is the applicant's group (the reference forms name it so in both languages). */
function isApplicantGroup(node: GroupNode): boolean {
  const label = node['x-ui']?.label
  return node.type === 'object' && (label?.en === 'Applicant' || label?.vi === 'Người yêu cầu')
}

/** Form data with each applicant group holding the profile's values for the fields that group declares. */
export function prefillApplicant(form: FormSchema, values: Record<string, string>): Record<string, unknown> {
  const data: Record<string, unknown> = {}
  for (const [name, node] of Object.entries(form.properties)) {
    const group = node as GroupNode
    if (!isApplicantGroup(group) || !group.properties) continue
    const block = Object.fromEntries(Object.entries(values).filter(([field]) => field in group.properties!))
    if (Object.keys(block).length) data[name] = block
  }
  return data
}

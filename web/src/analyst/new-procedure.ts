// A new procedure starts from the process and dossier form of one the province already runs: the one-stop skeleton
// (intake, completeness check, reception, processing, return) is the same for most procedures, so the analyst
// changes steps rather than drawing reception from nothing. What identifies the procedure and what the law says
// about it (legal basis, sources) start empty: the draft lists them as problems until they are filled in.
import type { Definition } from './catalogue.js'

export interface NewProcedureIdentity {
  name: string
  /** The national database's code (mã TTHC), e.g. 1.001193. */
  code: string
  field: string
  agencyLevel: 'tinh' | 'xa'
  agency: string
}

/** "Đăng ký kết hôn" → "dang-ky-ket-hon": the slug the catalogue and the file name use. */
export function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
}

/** The BPMN process id of a new procedure (a QName; the catalogue keys deployments by it). */
export const processIdOf = (slug: string) => `Process_${slug.replace(/-/g, '_')}`

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function newProcedureFrom(
  template: { definition: Definition; bpmnXml: string },
  identity: NewProcedureIdentity,
): { definition: Definition; bpmnXml: string } {
  const slug = slugOf(identity.name)
  const from = template.definition as Definition & { workflow: { bpmnProcessId: string; file: string } }
  const processId = processIdOf(slug)
  // The process id appears as the process's id and as the diagram plane's bpmnElement (and a participant's
  // processRef in a collaboration); nothing else refers to it.
  const attribute = new RegExp(`(\\s(?:id|bpmnElement|processRef)=")${escapeRegExp(from.workflow.bpmnProcessId)}"`, 'g')
  const bpmnXml = template.bpmnXml.replace(attribute, `$1${processId}"`)
  const definition: Definition = {
    ...from,
    slug,
    code: identity.code.trim(),
    name: identity.name.trim(),
    field: identity.field.trim(),
    agencyLevel: identity.agencyLevel,
    agency: identity.agency.trim(),
    workflow: { bpmnProcessId: processId, file: `${slug}.bpmn` },
    legalBasis: [],
    sources: [],
  }
  for (const key of ['nameEn', 'levelNote', 'notes', 'durationNote', 'durationNoteEn'] as const) delete definition[key]
  return { definition, bpmnXml }
}

// What the receipt (Mẫu 01) lists: the documents actually received, each as what it was received (paper original or
// copy digitised at the counter, an electronic copy submitted online, or one reused from an earlier dossier) and how
// many — never the procedure's list of components, whose conditional ones may not apply to this dossier.
import type { DossierComponent } from '../catalogue/definition.js'

export interface ReceivedAttachment {
  component_id: string
  digitisation: string
  reused_from_dossier_code: string | null
}

export interface ReceivedDocument {
  name: string
  /** Hình thức: bản chính, bản sao, bản điện tử … */
  form: string
  quantity: number
}

/** The paper the counter took, by the component's prescribed form; it was scanned there ("đã số hóa"). */
const paperForm: Record<DossierComponent['form'], string> = {
  original: 'Bản chính',
  copy: 'Bản sao',
  'original-or-copy': 'Bản chính hoặc bản sao',
  'present-original': 'Bản chính (xuất trình)',
}

function formOf(component: DossierComponent, a: ReceivedAttachment): string {
  switch (a.digitisation) {
    case 'scanned_at_counter':
      return `${paperForm[component.form]}, đã số hóa`
    case 'reused':
      return `Bản điện tử, dùng lại từ hồ sơ ${a.reused_from_dossier_code ?? ''}`.trim()
    default:
      return 'Bản điện tử (nộp trực tuyến)'
  }
}

/** In the procedure's order of components; one line per component and form, counting its documents. */
export function receivedDocuments(
  components: DossierComponent[],
  attachments: ReceivedAttachment[],
): ReceivedDocument[] {
  const lines: ReceivedDocument[] = []
  for (const component of components) {
    for (const a of attachments.filter((x) => x.component_id === component.id)) {
      const form = formOf(component, a)
      const same = lines.find((l) => l.name === component.name && l.form === form)
      if (same) same.quantity++
      else lines.push({ name: component.name, form, quantity: 1 })
    }
  }
  return lines
}

/** An address of the form as one line: the street part, then the commune and the province. */
export function addressLine(address: unknown): string | undefined {
  if (!address || typeof address !== 'object') return undefined
  const a = address as Record<string, unknown>
  const divisions = new Set(['tinh', 'maTinh', 'huyen', 'maHuyen', 'xa', 'maXa'])
  const street = Object.entries(a)
    .filter(([k, v]) => !divisions.has(k) && typeof v === 'string')
    .map(([, v]) => v as string)
  const line = [...street, a['xa'], a['huyen'], a['tinh']]
    .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
    .map((x) => x.trim())
    .join(', ')
  return line || undefined
}

/** The value at a JSON pointer ("/nguoiYeuCau/noiCuTru") of the form's data. */
export function atPointer(data: unknown, pointer: string): unknown {
  let here: unknown = data
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (!here || typeof here !== 'object') return undefined
    here = (here as Record<string, unknown>)[key]
  }
  return here
}

// What changed in a BPMN diagram between two versions, element by element: added, removed, renamed,
// another job type or candidate groups. Read with the browser's XML parser, no modeler needed.

export interface BpmnElementInfo {
  id: string
  type: string
  name: string
  jobType?: string
  candidateGroups?: string
}

export interface BpmnElementChange {
  id: string
  type: string
  name: string
  kind: 'added' | 'removed' | 'changed'
  changes: Array<{ property: 'name' | 'type' | 'jobType' | 'candidateGroups'; from?: string; to?: string }>
}

const BPMN = 'http://www.omg.org/spec/BPMN/20100524/MODEL'
const ZEEBE = 'http://camunda.org/schema/zeebe/1.0'
// Containers, definitions and annotations' children are not steps anyone reads as a change.
const skipped = new Set([
  'definitions',
  'process',
  'collaboration',
  'extensionElements',
  'incoming',
  'outgoing',
  'text',
  'documentation',
])

/** Every flow element (and message, error, signal) of a BPMN file by id. */
export function bpmnElements(xml: string): Map<string, BpmnElementInfo> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml')
  const found = new Map<string, BpmnElementInfo>()
  for (const el of Array.from(doc.getElementsByTagNameNS(BPMN, '*'))) {
    const id = el.getAttribute('id')
    if (!id || skipped.has(el.localName)) continue
    const jobType = el.getElementsByTagNameNS(ZEEBE, 'taskDefinition')[0]?.getAttribute('type') ?? undefined
    const candidateGroups =
      el.getElementsByTagNameNS(ZEEBE, 'assignmentDefinition')[0]?.getAttribute('candidateGroups') ?? undefined
    // A sub-process contains tasks; their Zeebe properties are theirs, not the sub-process's.
    const own = el.localName !== 'subProcess'
    found.set(id, {
      id,
      type: el.localName,
      name: el.getAttribute('name') ?? '',
      ...(own && jobType ? { jobType } : {}),
      ...(own && candidateGroups ? { candidateGroups } : {}),
    })
  }
  return found
}

export function diffBpmn(fromXml: string, toXml: string): BpmnElementChange[] {
  const a = bpmnElements(fromXml)
  const b = bpmnElements(toXml)
  const result: BpmnElementChange[] = []
  for (const [id, el] of b) {
    const old = a.get(id)
    if (!old) {
      result.push({ id, type: el.type, name: el.name, kind: 'added', changes: [] })
      continue
    }
    const changes = (['name', 'type', 'jobType', 'candidateGroups'] as const)
      .filter((p) => (old[p] ?? '') !== (el[p] ?? ''))
      .map((property) => ({
        property,
        ...(old[property] ? { from: old[property] } : {}),
        ...(el[property] ? { to: el[property] } : {}),
      }))
    if (changes.length > 0) result.push({ id, type: el.type, name: el.name, kind: 'changed', changes })
  }
  for (const [id, el] of a)
    if (!b.has(id)) result.push({ id, type: el.type, name: el.name, kind: 'removed', changes: [] })
  return result
}

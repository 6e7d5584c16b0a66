// Reads the parts of a BPMN file the catalogue cross-checks against: processes and their user tasks with candidate
// groups and task headers, and the decisions its business rule tasks call. Full deploy validation is
// src/engine/validation's job, not this one's.
import { BpmnModdle } from 'bpmn-moddle'
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' }

interface ModdleElement {
  $type: string
  id?: string
  isExecutable?: boolean
  flowElements?: ModdleElement[]
  rootElements?: ModdleElement[]
  extensionElements?: { values?: ModdleElement[] }
  candidateGroups?: string
  [key: string]: unknown
}

export interface ProcessSummary {
  id: string
  executable: boolean
  /** User tasks anywhere in the process (sub-processes included), by element id. */
  userTasks: Map<
    string,
    { name?: string; candidateGroups: string[]; dueDate?: string; headers: Record<string, string> }
  >
  /** Business rule tasks calling a DMN decision (zeebe:calledDecision), by element id: the decision id as written. */
  calledDecisions: Map<string, string>
}

export type ParsedBpmn = { ok: true; processes: ProcessSummary[] } | { ok: false; message: string }

// Summaries by XML text, the most recently used last: publishing a procedure reads its BPMN three times (the draft's
// check, the publication's, the agencies its steps name) and a handling-unit lookup reads a published one again;
// moddle's parse is the costly part. The summary depends on the text alone, and each caller gets its own copy.
const summaries = new Map<string, Promise<ParsedBpmn>>()
const summaryLimit = 16
let reads = 0

/** How many times moddle has read a BPMN text for the catalogue in this process (the cache saves the rest). */
export function bpmnReads(): number {
  return reads
}

/** What the catalogue reads from a BPMN file (a fresh copy per call; parsed once per text while it is cached). */
export async function parseBpmn(xml: string): Promise<ParsedBpmn> {
  let summary = summaries.get(xml)
  if (summary) summaries.delete(xml)
  else {
    summary = readBpmn(xml)
    if (summaries.size >= summaryLimit) summaries.delete(summaries.keys().next().value!)
  }
  summaries.set(xml, summary)
  return structuredClone(await summary)
}

async function readBpmn(xml: string): Promise<ParsedBpmn> {
  reads++
  const moddle = new BpmnModdle({ zeebe })
  let root: ModdleElement
  try {
    const result = await moddle.fromXML(xml)
    root = result.rootElement as unknown as ModdleElement
  } catch (err) {
    return { ok: false, message: (err as Error).message }
  }
  const processes = (root.rootElements ?? [])
    .filter((e) => e.$type === 'bpmn:Process')
    .map((p) => {
      const userTasks: ProcessSummary['userTasks'] = new Map()
      const calledDecisions = new Map<string, string>()
      collectTasks(p, userTasks, calledDecisions)
      return { id: p.id ?? '', executable: p.isExecutable === true, userTasks, calledDecisions }
    })
  return { ok: true, processes }
}

function collectTasks(
  container: ModdleElement,
  into: ProcessSummary['userTasks'],
  decisions: ProcessSummary['calledDecisions'],
): void {
  for (const el of container.flowElements ?? []) {
    if (el.$type === 'bpmn:BusinessRuleTask' && el.id) {
      const called = (el.extensionElements?.values ?? []).find((v) => v.$type === 'zeebe:CalledDecision')
      if (typeof called?.['decisionId'] === 'string') decisions.set(el.id, called['decisionId'])
    }
    if (el.$type === 'bpmn:UserTask' && el.id) {
      const ext = el.extensionElements?.values ?? []
      const assignment = ext.find((v) => v.$type === 'zeebe:AssignmentDefinition')
      const schedule = ext.find((v) => v.$type === 'zeebe:TaskSchedule')
      const groups =
        typeof assignment?.candidateGroups === 'string'
          ? assignment.candidateGroups
              .split(',')
              .map((g) => g.trim())
              .filter(Boolean)
          : []
      const dueDate = typeof schedule?.['dueDate'] === 'string' ? schedule['dueDate'] : undefined
      // zeebe:taskHeaders: the step's handling unit is one (src/dossiers/handling-unit.ts).
      const headers: Record<string, string> = {}
      for (const h of (ext.find((v) => v.$type === 'zeebe:TaskHeaders')?.['values'] as ModdleElement[]) ?? [])
        if (typeof h['key'] === 'string' && typeof h['value'] === 'string') headers[h['key']] = h['value']
      into.set(el.id, {
        headers,
        ...(typeof el['name'] === 'string' ? { name: el['name'] } : {}),
        candidateGroups: groups,
        ...(dueDate ? { dueDate } : {}),
      })
    }
    if (el.flowElements) collectTasks(el, into, decisions)
  }
}

// Reads Zeebe-flavoured BPMN with bpmn-moddle and compiles each executable process into a flat,
// id-indexed model the interpreter walks; parsing happens once per definition (cached by key).
import { BpmnModdle } from 'bpmn-moddle'
import { createRequire } from 'node:module'
import { taskListenersOf, type TaskListeners } from './task-listeners.js'

const require = createRequire(import.meta.url)
const zeebeModdle = require('zeebe-bpmn-moddle/resources/zeebe.json') as object

/* eslint-disable @typescript-eslint/no-explicit-any */
export type ModdleElement = any

export async function parseBpmn(xml: string): Promise<{ definitions: ModdleElement; warnings: string[] }> {
  const moddle = new BpmnModdle({ zeebe: zeebeModdle })
  const { rootElement, warnings } = await moddle.fromXML(xml)
  return { definitions: rootElement, warnings: (warnings ?? []).map((w: { message: string }) => w.message) }
}

export type ElementKind =
  | 'process'
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | 'jobTask'
  | 'userTask'
  | 'receiveTask'
  | 'scriptTask'
  | 'passTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'subProcess'
  | 'adHocSubProcess'
  | 'adHocInnerInstance'
  | 'eventSubProcess'
  | 'callActivity'

export type EventKind =
  'none' | 'message' | 'timer' | 'error' | 'terminate' | 'signal' | 'escalation' | 'link' | 'compensation'

export interface Mapping {
  source: string
  target: string
}

export interface Flow {
  id: string
  sourceId: string
  targetId: string
  condition?: string
}

export interface TimerDef {
  kind: 'duration' | 'date' | 'cycle'
  expression: string
}

/** A zeebe:executionListener: a job of `type` (static value or expression) with `retries` (default 3). */
export interface ExecutionListener {
  type: string
  retries?: string
  headers: Record<string, string>
}

export interface Element {
  id: string
  name?: string
  /** The BPMN type without prefix, e.g. `serviceTask`, as reported in events. */
  bpmnType: string
  kind: ElementKind
  /** Flow scope: the id of the enclosing process or sub-process. */
  scopeId: string | null
  incoming: string[]
  outgoing: Flow[]
  defaultFlowId?: string
  event: EventKind
  message?: { name: string; correlationKey?: string }
  timer?: TimerDef
  /** Error code thrown (end event) or caught (undefined = catch all). */
  errorCode?: string
  /** Signal name (static or `=expression`). */
  signal?: { name: string }
  /** Escalation code thrown (static or `=expression`) or caught (undefined = catch all). */
  escalationCode?: string
  /** Link event name: a link throw event continues at the link catch event of that name in its scope. */
  linkName?: string
  /**
   * Compensation (compensation.ts): a boundary event's handler (the activity its association leads to), a throw
   * event's activityRef (undefined: every compensable activity of its scope).
   */
  compensation?: { handlerId?: string; activityRef?: string }
  /** A compensation handler (isForCompensation): entered only by compensation, never by a sequence flow. */
  isForCompensation?: boolean
  interrupting: boolean
  attachedToId?: string
  boundaryIds: string[]
  jobType?: string
  jobRetries?: string
  headers: Record<string, string>
  inputs: Mapping[]
  outputs: Mapping[]
  userTask?: {
    assignee?: string
    candidateGroups?: string
    candidateUsers?: string
    dueDate?: string
    followUpDate?: string
    formKey?: string
    priority?: string
    /** No <zeebe:userTask/>: Zeebe's job worker implementation, a job of type io.camunda.zeebe:userTask. */
    jobBased?: boolean
  }
  script?: { expression: string; resultVariable: string }
  /** Business rule task evaluating a DMN decision (zeebe:calledDecision) instead of creating a job. */
  calledDecision?: {
    decisionId: string
    resultVariable: string
    bindingType: 'latest' | 'deployment' | 'versionTag'
    versionTag?: string
  }
  calledElement?: { processId: string; propagateAllChildVariables: boolean; propagateAllParentVariables: boolean }
  multiInstance?: {
    sequential: boolean
    inputCollection?: string
    inputElement?: string
    outputCollection?: string
    outputElement?: string
    completionCondition?: string
  }
  /**
   * Ad-hoc sub-process (elements/ad-hoc.ts, BPMN implementation): what it activates on entry, when it completes, what
   * it collects. `activatableIds`: its inner elements without incoming sequence flows; `innerInstanceId`: the
   * synthetic element each activation runs in (Zeebe's AD_HOC_SUB_PROCESS_INNER_INSTANCE, id `<id>#innerInstance`).
   */
  adHoc?: {
    activeElementsCollection?: string
    completionCondition?: string
    cancelRemainingInstances: boolean
    outputCollection?: string
    outputElement?: string
    activatableIds: string[]
    innerInstanceId: string
    /** `adHocSubProcessElements`, the metadata of the activatable elements Zeebe sets on activation. */
    elementsMetadata: Array<Record<string, unknown>>
  }
  /** Scopes only: none start event, event sub-processes and children. */
  noneStartId?: string
  eventSubProcessIds: string[]
  /** Event sub-process only: its single start event. */
  startEventId?: string
  /** Event-based gateway: the catch events (or receive tasks) after it. */
  eventTargetIds: string[]
  /** zeebe:executionListeners by event type, in model order. */
  executionListeners?: { start: ExecutionListener[]; end: ExecutionListener[] }
  /** zeebe:taskListeners of a Camunda user task, by event type (task-listeners.ts). */
  taskListeners?: TaskListeners
}

export interface CompiledProcess {
  bpmnProcessId: string
  /** Set by the engine's definition cache. */
  definitionKey: number
  version: number
  elements: Map<string, Element>
  flows: Map<string, Flow>
  messageStartIds: string[]
  timerStartIds: string[]
  signalStartIds: string[]
}

function ext(el: ModdleElement, type: string): ModdleElement | undefined {
  return el?.extensionElements?.values?.find((v: ModdleElement) => v.$type === type)
}

function localType(el: ModdleElement): string {
  const t = String(el.$type).replace(/^bpmn:/, '')
  return t.charAt(0).toLowerCase() + t.slice(1)
}

export function eventDefinitionOf(el: ModdleElement): {
  kind: EventKind | 'unsupported'
  def?: ModdleElement
  type?: string
} {
  const defs: ModdleElement[] = el.eventDefinitions ?? []
  if (defs.length === 0) return { kind: 'none' }
  if (defs.length > 1) return { kind: 'unsupported', type: 'multiple event definitions' }
  const def = defs[0]
  switch (def.$type) {
    case 'bpmn:MessageEventDefinition':
      return { kind: 'message', def }
    case 'bpmn:TimerEventDefinition':
      return { kind: 'timer', def }
    case 'bpmn:ErrorEventDefinition':
      return { kind: 'error', def }
    case 'bpmn:TerminateEventDefinition':
      return { kind: 'terminate', def }
    case 'bpmn:SignalEventDefinition':
      return { kind: 'signal', def }
    case 'bpmn:EscalationEventDefinition':
      return { kind: 'escalation', def }
    case 'bpmn:LinkEventDefinition':
      return { kind: 'link', def }
    case 'bpmn:CompensateEventDefinition':
      return { kind: 'compensation', def }
    default:
      return { kind: 'unsupported', def, type: String(def.$type).replace(/^bpmn:/, '') }
  }
}

function timerOf(def: ModdleElement): TimerDef | undefined {
  if (def.timeDuration?.body != null) return { kind: 'duration', expression: String(def.timeDuration.body).trim() }
  if (def.timeDate?.body != null) return { kind: 'date', expression: String(def.timeDate.body).trim() }
  if (def.timeCycle?.body != null) return { kind: 'cycle', expression: String(def.timeCycle.body).trim() }
  return undefined
}

function mappings(list: ModdleElement[] | undefined): Mapping[] {
  return (list ?? []).map((p) => ({ source: String(p.source ?? ''), target: String(p.target ?? '') }))
}

function kindOf(el: ModdleElement): ElementKind | undefined {
  switch (el.$type) {
    case 'bpmn:StartEvent':
      return 'startEvent'
    case 'bpmn:EndEvent':
      return 'endEvent'
    case 'bpmn:IntermediateCatchEvent':
      return 'intermediateCatchEvent'
    case 'bpmn:IntermediateThrowEvent':
      return 'intermediateThrowEvent'
    case 'bpmn:BoundaryEvent':
      return 'boundaryEvent'
    case 'bpmn:ServiceTask':
    case 'bpmn:SendTask':
    case 'bpmn:BusinessRuleTask':
      return 'jobTask'
    case 'bpmn:ScriptTask':
      return ext(el, 'zeebe:Script') ? 'scriptTask' : 'jobTask'
    case 'bpmn:UserTask':
      return 'userTask'
    case 'bpmn:ReceiveTask':
      return 'receiveTask'
    case 'bpmn:Task':
    case 'bpmn:ManualTask':
      return 'passTask'
    case 'bpmn:ExclusiveGateway':
      return 'exclusiveGateway'
    case 'bpmn:ParallelGateway':
      return 'parallelGateway'
    case 'bpmn:InclusiveGateway':
      return 'inclusiveGateway'
    case 'bpmn:EventBasedGateway':
      return 'eventBasedGateway'
    case 'bpmn:SubProcess':
      return el.triggeredByEvent ? 'eventSubProcess' : 'subProcess'
    case 'bpmn:CallActivity':
      return 'callActivity'
    case 'bpmn:AdHocSubProcess':
      return 'adHocSubProcess'
    default:
      return undefined
  }
}

/** The element's zeebe:executionListeners, split by event type (the subset check refuses other event types). */
export function executionListenersOf(
  fe: ModdleElement,
): { start: ExecutionListener[]; end: ExecutionListener[] } | undefined {
  const all: ModdleElement[] = ext(fe, 'zeebe:ExecutionListeners')?.listeners ?? []
  if (all.length === 0) return undefined
  const compile = (l: ModdleElement): ExecutionListener => {
    const headers: Record<string, string> = {}
    for (const h of l.headers?.values ?? []) headers[String(h.key)] = String(h.value ?? '')
    return { type: String(l.type ?? ''), ...(l.retries ? { retries: String(l.retries) } : {}), headers }
  }
  return {
    start: all.filter((l) => l.eventType === 'start').map(compile),
    end: all.filter((l) => l.eventType === 'end').map(compile),
  }
}

/** Executable processes of a definitions element. */
export function executableProcesses(definitions: ModdleElement): ModdleElement[] {
  return (definitions.rootElements ?? []).filter(
    (r: ModdleElement) => r.$type === 'bpmn:Process' && r.isExecutable !== false,
  )
}

export function compileProcess(proc: ModdleElement): CompiledProcess {
  const elements = new Map<string, Element>()
  const flows = new Map<string, Flow>()
  const compiled: CompiledProcess = {
    bpmnProcessId: proc.id,
    definitionKey: 0,
    version: 0,
    elements,
    flows,
    messageStartIds: [],
    timerStartIds: [],
    signalStartIds: [],
  }

  const base = (id: string, bpmnType: string, kind: ElementKind, scopeId: string | null): Element => ({
    id,
    bpmnType,
    kind,
    scopeId,
    incoming: [],
    outgoing: [],
    event: 'none',
    interrupting: true,
    boundaryIds: [],
    headers: {},
    inputs: [],
    outputs: [],
    eventSubProcessIds: [],
    eventTargetIds: [],
  })
  elements.set(proc.id, base(proc.id, 'process', 'process', null))
  const processListeners = executionListenersOf(proc)
  if (processListeners) elements.get(proc.id)!.executionListeners = processListeners

  // Associations (source id → target id): a compensation boundary event is associated with its handler.
  const associations: Array<{ sourceId?: string; targetId?: string }> = []
  const walk = (container: ModdleElement, scopeId: string): void => {
    const scope = elements.get(scopeId)!
    for (const a of container.artifacts ?? [])
      if (a.$type === 'bpmn:Association') associations.push({ sourceId: a.sourceRef?.id, targetId: a.targetRef?.id })
    for (const fe of container.flowElements ?? []) {
      if (fe.$type === 'bpmn:SequenceFlow') {
        const body = fe.conditionExpression?.body
        flows.set(fe.id, {
          id: fe.id,
          sourceId: fe.sourceRef.id,
          targetId: fe.targetRef.id,
          condition: body != null ? String(body).trim() : undefined,
        })
        continue
      }
      const kind = kindOf(fe)
      if (!kind) continue // data objects and the like carry no behaviour; the subset check rejects the rest
      const el = base(fe.id, localType(fe), kind, scopeId)
      if (fe.name) el.name = fe.name
      const ed = eventDefinitionOf(fe)
      if (ed.kind !== 'unsupported') el.event = ed.kind
      if (ed.kind === 'message') {
        const msg = ed.def.messageRef
        el.message = { name: String(msg?.name ?? ''), correlationKey: ext(msg, 'zeebe:Subscription')?.correlationKey }
      } else if (ed.kind === 'timer') {
        el.timer = timerOf(ed.def)
      } else if (ed.kind === 'error') {
        const code = ed.def.errorRef?.errorCode
        if (code != null && code !== '') el.errorCode = String(code)
      } else if (ed.kind === 'signal') {
        el.signal = { name: String(ed.def.signalRef?.name ?? '') }
      } else if (ed.kind === 'escalation') {
        const code = ed.def.escalationRef?.escalationCode
        if (code != null && code !== '') el.escalationCode = String(code)
      } else if (ed.kind === 'link') {
        el.linkName = String(ed.def.name ?? '')
      } else if (ed.kind === 'compensation') {
        el.compensation = ed.def.activityRef?.id ? { activityRef: String(ed.def.activityRef.id) } : {}
      }
      if (fe.isForCompensation) el.isForCompensation = true
      // Message throw and end events are job-based in Zeebe, like send tasks (zeebe:taskDefinition).
      if (ed.kind === 'message' && (kind === 'intermediateThrowEvent' || kind === 'endEvent')) el.kind = 'jobTask'
      if (kind === 'receiveTask' && fe.messageRef) {
        el.message = {
          name: String(fe.messageRef.name ?? ''),
          correlationKey: ext(fe.messageRef, 'zeebe:Subscription')?.correlationKey,
        }
        el.event = 'message'
      }
      if (kind === 'boundaryEvent') {
        el.attachedToId = fe.attachedToRef?.id
        el.interrupting = fe.cancelActivity !== false
      }
      if (kind === 'startEvent') el.interrupting = fe.isInterrupting !== false
      const td = ext(fe, 'zeebe:TaskDefinition')
      if (td) {
        el.jobType = td.type
        el.jobRetries = td.retries
      }
      for (const h of ext(fe, 'zeebe:TaskHeaders')?.values ?? []) el.headers[String(h.key)] = String(h.value ?? '')
      const listeners = executionListenersOf(fe)
      if (listeners) el.executionListeners = listeners
      const taskListeners = taskListenersOf(fe)
      if (taskListeners) el.taskListeners = taskListeners
      const io = ext(fe, 'zeebe:IoMapping')
      el.inputs = mappings(io?.inputParameters)
      el.outputs = mappings(io?.outputParameters)
      if (kind === 'userTask') {
        const a = ext(fe, 'zeebe:AssignmentDefinition')
        const s = ext(fe, 'zeebe:TaskSchedule')
        const f = ext(fe, 'zeebe:FormDefinition')
        const p = ext(fe, 'zeebe:PriorityDefinition')
        el.userTask = {
          assignee: a?.assignee,
          candidateGroups: a?.candidateGroups,
          candidateUsers: a?.candidateUsers,
          dueDate: s?.dueDate,
          followUpDate: s?.followUpDate,
          formKey: f?.formKey ?? f?.formId ?? f?.externalReference,
          priority: p?.priority,
        }
        if (!ext(fe, 'zeebe:UserTask')) el.userTask.jobBased = true
      }
      if (kind === 'scriptTask') {
        const sc = ext(fe, 'zeebe:Script')
        el.script = { expression: String(sc.expression ?? ''), resultVariable: String(sc.resultVariable ?? '') }
      }
      const cd = fe.$type === 'bpmn:BusinessRuleTask' ? ext(fe, 'zeebe:CalledDecision') : undefined
      if (cd) {
        const binding = String(cd.bindingType ?? 'latest')
        el.calledDecision = {
          decisionId: String(cd.decisionId ?? ''),
          resultVariable: String(cd.resultVariable ?? ''),
          bindingType: binding === 'deployment' || binding === 'versionTag' ? binding : 'latest',
          ...(cd.versionTag ? { versionTag: String(cd.versionTag) } : {}),
        }
      }
      if (kind === 'callActivity') {
        const ce = ext(fe, 'zeebe:CalledElement')
        el.calledElement = {
          processId: String(ce?.processId ?? ''),
          propagateAllChildVariables: ce?.propagateAllChildVariables !== false,
          propagateAllParentVariables: ce?.propagateAllParentVariables !== false,
        }
      }
      const lc = fe.loopCharacteristics
      if (lc?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
        const z = ext(lc, 'zeebe:LoopCharacteristics')
        el.multiInstance = {
          sequential: lc.isSequential === true,
          inputCollection: z?.inputCollection,
          inputElement: z?.inputElement,
          outputCollection: z?.outputCollection,
          outputElement: z?.outputElement,
          completionCondition:
            lc.completionCondition?.body != null ? String(lc.completionCondition.body).trim() : undefined,
        }
      }
      if (fe.default) el.defaultFlowId = fe.default.id
      elements.set(el.id, el)
      if (kind === 'adHocSubProcess') {
        el.adHoc = adHocOf(fe)
        const inner = base(el.adHoc.innerInstanceId, 'adHocSubProcessInnerInstance', 'adHocInnerInstance', fe.id)
        elements.set(inner.id, inner)
      }
      if (kind === 'subProcess' || kind === 'eventSubProcess' || kind === 'adHocSubProcess') {
        walk(fe, fe.id)
        if (kind === 'eventSubProcess') scope.eventSubProcessIds.push(fe.id)
      }
      if (kind === 'startEvent') {
        if (scope.kind === 'eventSubProcess') scope.startEventId = fe.id
        else if (el.event === 'none') scope.noneStartId = fe.id
        else if (scope.kind === 'process' && el.event === 'message') compiled.messageStartIds.push(fe.id)
        else if (scope.kind === 'process' && el.event === 'timer') compiled.timerStartIds.push(fe.id)
        else if (scope.kind === 'process' && el.event === 'signal') compiled.signalStartIds.push(fe.id)
      }
    }
  }
  walk(proc, proc.id)

  for (const flow of flows.values()) {
    elements.get(flow.sourceId)?.outgoing.push(flow)
    elements.get(flow.targetId)?.incoming.push(flow.id)
  }
  // A link throw event leads to the link catch event of its name in its scope (subset.ts checks there is one).
  for (const el of elements.values()) {
    if (el.kind !== 'intermediateThrowEvent' || el.event !== 'link') continue
    const target = [...elements.values()].find(
      (c) =>
        c.kind === 'intermediateCatchEvent' &&
        c.event === 'link' &&
        c.scopeId === el.scopeId &&
        c.linkName === el.linkName,
    )
    if (target) el.outgoing.push({ id: `${el.id}->${target.id}`, sourceId: el.id, targetId: target.id })
  }
  for (const el of elements.values()) {
    if (el.kind === 'boundaryEvent' && el.attachedToId) elements.get(el.attachedToId)?.boundaryIds.push(el.id)
    if (el.kind === 'eventBasedGateway') el.eventTargetIds = el.outgoing.map((f) => f.targetId)
    // An event sub-process' interrupting flag lives on its start event.
    if (el.kind === 'eventSubProcess' && el.startEventId) el.interrupting = elements.get(el.startEventId)!.interrupting
    // An ad-hoc sub-process activates the inner elements that no sequence flow leads to (Zeebe's adHocActivities).
    if (el.kind === 'adHocSubProcess')
      el.adHoc!.activatableIds = [...elements.values()]
        .filter((c) => c.scopeId === el.id && c.incoming.length === 0 && isActivatableInAdHoc(c))
        .map((c) => c.id)
    // A compensation boundary event's handler: the compensation activity its association joins it to (either way).
    if (el.kind === 'boundaryEvent' && el.event === 'compensation') {
      const handlerId = associations
        .map((a) => (a.sourceId === el.id ? a.targetId : a.targetId === el.id ? a.sourceId : undefined))
        .find((id) => id !== undefined && elements.get(id)?.isForCompensation)
      el.compensation = handlerId ? { handlerId } : {}
    }
  }
  return compiled
}

/** What an ad-hoc sub-process's activeElementsCollection may name: its inner flow nodes, not what hangs on them. */
function isActivatableInAdHoc(el: Element): boolean {
  return el.kind !== 'boundaryEvent' && el.kind !== 'eventSubProcess' && el.kind !== 'adHocInnerInstance'
}

function adHocOf(fe: ModdleElement): NonNullable<Element['adHoc']> {
  const z = ext(fe, 'zeebe:AdHoc')
  const condition = fe.completionCondition?.body
  const text = (v: unknown): string | undefined => (v != null && String(v) !== '' ? String(v) : undefined)
  const metadata = (c: ModdleElement): Record<string, unknown> => {
    const properties: Record<string, string> = {}
    for (const p of ext(c, 'zeebe:Properties')?.properties ?? []) properties[String(p.name)] = String(p.value ?? '')
    return {
      elementId: c.id,
      elementName: c.name ?? null,
      documentation: (c.documentation ?? []).map((d: ModdleElement) => String(d.text ?? '')).join('\n') || null,
      properties,
      parameters: [],
    }
  }
  const activatable = (fe.flowElements ?? []).filter(
    (c: ModdleElement) =>
      c.$type !== 'bpmn:SequenceFlow' &&
      c.$type !== 'bpmn:BoundaryEvent' &&
      !(c.$type === 'bpmn:SubProcess' && c.triggeredByEvent) &&
      kindOf(c) !== undefined &&
      !(fe.flowElements ?? []).some((f: ModdleElement) => f.$type === 'bpmn:SequenceFlow' && f.targetRef === c),
  )
  return {
    ...(text(z?.activeElementsCollection) ? { activeElementsCollection: String(z.activeElementsCollection) } : {}),
    ...(condition != null && String(condition).trim() !== '' ? { completionCondition: String(condition).trim() } : {}),
    cancelRemainingInstances: fe.cancelRemainingInstances !== false,
    ...(text(z?.outputCollection) ? { outputCollection: String(z.outputCollection) } : {}),
    ...(text(z?.outputElement) ? { outputElement: String(z.outputElement) } : {}),
    activatableIds: [],
    innerInstanceId: `${fe.id}#innerInstance`,
    elementsMetadata: activatable.map(metadata),
  }
}

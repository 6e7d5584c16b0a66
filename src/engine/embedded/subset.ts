// The BPMN subset the embedded engine executes: anything outside it is reported per element at deploy,
// never silently ignored. Exported for the deploy-validation module.
import type { DeployProblem } from '../port.js'
import { cronFields, isCronCycle } from './cron.js'
import { ExpressionError } from './feel.js'
import { eventDefinitionOf, executableProcesses, type ModdleElement } from './model.js'
import { staticValueProblems } from './feel-static.js'

const rule = 'embedded-engine-subset'

// Elements that carry data or documentation only; they do not change execution.
const inert = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference'])

const jobTaskTypes = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask', 'bpmn:ScriptTask'])

const known = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:IntermediateCatchEvent',
  'bpmn:IntermediateThrowEvent',
  'bpmn:BoundaryEvent',
  'bpmn:ServiceTask',
  'bpmn:SendTask',
  'bpmn:BusinessRuleTask',
  'bpmn:ScriptTask',
  'bpmn:UserTask',
  'bpmn:ReceiveTask',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:EventBasedGateway',
  'bpmn:SubProcess',
  'bpmn:AdHocSubProcess',
  'bpmn:CallActivity',
  'bpmn:SequenceFlow',
])

function ext(el: ModdleElement, type: string): ModdleElement | undefined {
  return el?.extensionElements?.values?.find((v: ModdleElement) => v.$type === type)
}

function short(type: string): string {
  return String(type).replace(/^bpmn:/, '')
}

// Constructs Zeebe 8.8 executes that the embedded engine does not, named as a modeler names them.
const constructNames: Record<string, string> = {
  Transaction: 'a transaction sub-process',
}

/** A BPMN type in plain words: bpmn:IntermediateThrowEvent → "intermediate throw event". */
function words(type: string): string {
  return short(type)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
}

/** "a" or "an" before a phrase. */
function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase}`
}

/** How a refusal of a construct the embedded engine does not execute reads, whatever the construct. */
function unsupported(elementId: string | undefined, construct: string, hint = ''): string {
  return `Element "${elementId ?? '?'}": ${construct} is not supported by the embedded engine${hint ? `; ${hint}` : ''}.`
}

/** An event definition type in plain words: SignalEventDefinition → "signal", Compensate… → "compensation". */
function eventWords(definitionType: string): string {
  const kind = definitionType.replace(/EventDefinition$/, '')
  return kind === 'Compensate' ? 'compensation' : words(kind)
}

const scopeWords = {
  process: 'in a process',
  subProcess: 'in an embedded sub-process',
  eventSubProcess: 'in an event sub-process',
  adHocSubProcess: 'in an ad-hoc sub-process',
}

const gateways = new Set([
  'bpmn:ExclusiveGateway',
  'bpmn:InclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:EventBasedGateway',
])

/**
 * Execution listeners as Zeebe 8.8 runs them (listeners.ts); what it does not run is refused, as Zeebe's deployment
 * does: https://docs.camunda.io/docs/components/concepts/execution-listeners/#limitations
 */
function checkExecutionListeners(el: ModdleElement, report: (id: string, message: string) => void): void {
  const listeners: ModdleElement[] = ext(el, 'zeebe:ExecutionListeners')?.listeners ?? []
  if (listeners.length === 0) return
  const type = el.$type as string
  const what = `${short(type)} "${el.id}"`
  const seen = new Set<string>()
  for (const l of listeners) {
    const eventType = String(l.eventType ?? '')
    if (eventType !== 'start' && eventType !== 'end') {
      report(el.id, `Execution listener event type "${eventType}" on ${what} is not supported; use start or end.`)
      continue
    }
    if (!l.type) report(el.id, `An execution listener (${eventType}) on ${what} has no job type.`)
    const key = `${eventType}\n${l.type}`
    if (seen.has(key))
      report(el.id, `${what} has two ${eventType} execution listeners of type "${l.type}"; each must be unique.`)
    seen.add(key)
    const event = eventDefinitionOf(el).kind
    const unsupported =
      eventType === 'start'
        ? type === 'bpmn:StartEvent' || type === 'bpmn:BoundaryEvent'
        : gateways.has(type) || (type === 'bpmn:EndEvent' && event === 'error')
    if (unsupported)
      report(
        el.id,
        `Zeebe does not run ${eventType} execution listeners on ${event === 'error' ? 'an error ' : ''}${what}.`,
      )
  }
}

/**
 * User task listeners as Zeebe 8.8 runs them (task-listeners.ts): on Camunda user tasks, one job type each, unique per
 * event type. https://docs.camunda.io/docs/components/concepts/user-task-listeners/
 */
function checkTaskListeners(el: ModdleElement, report: (id: string, message: string) => void): void {
  const listeners: ModdleElement[] = ext(el, 'zeebe:TaskListeners')?.listeners ?? []
  if (listeners.length === 0) return
  if (el.$type !== 'bpmn:UserTask' || !ext(el, 'zeebe:UserTask')) {
    report(el.id, `User task listeners on "${el.id}" need a Camunda user task (zeebe:userTask).`)
    return
  }
  const seen = new Set<string>()
  for (const l of listeners) {
    const eventType = String(l.eventType ?? '')
    if (!['creating', 'assigning', 'updating', 'completing', 'canceling'].includes(eventType)) {
      report(el.id, `User task listener event type "${eventType}" on "${el.id}" is not supported.`)
      continue
    }
    if (!l.type) report(el.id, `A user task listener (${eventType}) on "${el.id}" has no job type.`)
    const key = `${eventType}\n${l.type}`
    if (seen.has(key))
      report(
        el.id,
        `User task "${el.id}" has two ${eventType} task listeners of type "${l.type}"; each must be unique.`,
      )
    seen.add(key)
  }
}

/** A process's own execution listeners (start, end; listeners.ts), unique per event type and job type. */
function checkProcessListeners(p: ModdleElement, report: (id: string, message: string) => void): void {
  const seen = new Set<string>()
  for (const l of (ext(p, 'zeebe:ExecutionListeners')?.listeners ?? []) as ModdleElement[]) {
    const eventType = String(l.eventType ?? '')
    if (eventType !== 'start' && eventType !== 'end') {
      report(
        p.id,
        `Execution listener event type "${eventType}" on process "${p.id}" is not supported; use start or end.`,
      )
      continue
    }
    if (!l.type) report(p.id, `An execution listener (${eventType}) on process "${p.id}" has no job type.`)
    const key = `${eventType}\n${l.type}`
    if (seen.has(key))
      report(
        p.id,
        `Process "${p.id}" has two ${eventType} execution listeners of type "${l.type}"; each must be unique.`,
      )
    seen.add(key)
  }
}

type Report = (id: string, message: string) => void

/**
 * Ad-hoc sub-processes as Zeebe 8.8 runs them (elements/ad-hoc.ts): the BPMN implementation and the job worker
 * implementation (a zeebe:taskDefinition on it). Zeebe's deployment rules, with its messages
 * (AdHocSubProcessValidator): https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/#constraints
 */
function checkAdHocSubProcess(el: ModdleElement, report: Report): void {
  const inner: ModdleElement[] = (el.flowElements ?? []).filter((f: ModdleElement) => f.$type !== 'bpmn:SequenceFlow')
  const where = `Ad-hoc sub-process "${el.id}"`
  const td = ext(el, 'zeebe:TaskDefinition')
  if (td && !td.type) report(el.id, `${where} needs a zeebe:taskDefinition with a type (a job worker implementation).`)
  if (inner.length === 0) report(el.id, `${where}: Must have at least one activity.`)
  if (inner.some((f) => f.$type === 'bpmn:StartEvent')) report(el.id, `${where}: Must not contain a start event.`)
  if (inner.some((f) => f.$type === 'bpmn:EndEvent')) report(el.id, `${where}: Must not contain an end event.`)
  const z = ext(el, 'zeebe:AdHoc')
  if (!z?.outputElement !== !z?.outputCollection)
    report(
      el.id,
      `${where}: OutputElement and OutputCollection must both be set, or neither of them set. outputElement:${z?.outputElement ?? null} and outputCollection:${z?.outputCollection ?? null}.`,
    )
}

/** The sequence flows of a container (an element's incoming/outgoing lists are only filled when the XML has them). */
function flowsOf(container: ModdleElement): ModdleElement[] {
  return (container.flowElements ?? []).filter((f: ModdleElement) => f.$type === 'bpmn:SequenceFlow')
}

/** Every association of the processes and their sub-processes (a compensation boundary event's to its handler). */
function associationsOf(processes: ModdleElement[]): ModdleElement[] {
  const out: ModdleElement[] = []
  const visit = (container: ModdleElement): void => {
    for (const a of container.artifacts ?? []) if (a.$type === 'bpmn:Association') out.push(a)
    for (const fe of container.flowElements ?? [])
      if (fe.$type === 'bpmn:SubProcess' || fe.$type === 'bpmn:AdHocSubProcess') visit(fe)
  }
  processes.forEach(visit)
  return out
}

/**
 * Compensation as Zeebe 8.8 runs it (elements/compensation.ts): a compensation boundary event is associated with
 * one compensation handler and has no outgoing flow; a throw event waits for its handlers and names, if any, an
 * activity of its scope with a compensation boundary event.
 * https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/
 */
function checkCompensationEvent(
  el: ModdleElement,
  def: ModdleElement,
  container: ModdleElement,
  associations: ModdleElement[],
  report: Report,
): void {
  if (el.$type === 'bpmn:BoundaryEvent') {
    const handlers = associations
      .map((a) => (a.sourceRef === el ? a.targetRef : a.targetRef === el ? a.sourceRef : undefined))
      .filter((h) => h !== undefined)
    if (handlers.length !== 1 || !handlers[0].isForCompensation)
      report(
        el.id,
        `Compensation boundary event "${el.id}" needs an association with one compensation handler (an activity marked isForCompensation).`,
      )
    if (flowsOf(container).some((f) => f.sourceRef === el))
      report(el.id, `Compensation boundary event "${el.id}" cannot have an outgoing sequence flow.`)
    return
  }
  if (def.waitForCompletion === false)
    report(
      el.id,
      unsupported(el.id, 'a compensation throw event that does not wait for completion', 'Zeebe always waits'),
    )
  const ref = def.activityRef
  if (!ref) return
  // Inside an event sub-process, the activity may also be one of the scope the event sub-process runs in.
  const scopes = [container, ...(container.triggeredByEvent ? [container.$parent] : [])]
  const inScope = scopes.some((c) => (c?.flowElements ?? []).includes(ref))
  const compensable = scopes.some((c) =>
    (c?.flowElements ?? []).some(
      (b: ModdleElement) =>
        b.$type === 'bpmn:BoundaryEvent' && b.attachedToRef === ref && eventDefinitionOf(b).kind === 'compensation',
    ),
  )
  if (!inScope || !compensable)
    report(
      el.id,
      `Compensation event "${el.id}" names activity "${ref.id}", which is not an activity of its scope with a compensation boundary event.`,
    )
}

/** At most one compensation boundary event on an activity. */
function checkCompensationBoundaries(container: ModdleElement, report: Report): void {
  const seen = new Set<ModdleElement>()
  for (const b of container.flowElements ?? []) {
    if (b.$type !== 'bpmn:BoundaryEvent' || eventDefinitionOf(b).kind !== 'compensation') continue
    if (seen.has(b.attachedToRef))
      report(b.id, `Activity "${b.attachedToRef?.id}" has more than one compensation boundary event.`)
    seen.add(b.attachedToRef)
  }
}

/** A compensation handler is entered by compensation only: no sequence flow leads to it or leaves it. */
function checkCompensationHandler(el: ModdleElement, container: ModdleElement, report: Report): void {
  if (flowsOf(container).some((f) => f.sourceRef === el || f.targetRef === el))
    report(el.id, `Compensation handler "${el.id}" cannot have incoming or outgoing sequence flows.`)
}

/** Lists every element of the definitions the embedded engine cannot execute, with the reason. */
export function checkSupportedSubset(definitions: ModdleElement, resourceName = ''): DeployProblem[] {
  const problems: DeployProblem[] = []
  const report = (elementId: string | undefined, message: string): void => {
    problems.push({ resourceName, elementId, rule, message, severity: 'error' })
  }
  const processes = executableProcesses(definitions)
  if (processes.length === 0) report(undefined, 'No executable process (isExecutable="true") in the resource.')

  const checkMessage = (el: ModdleElement, msg: ModdleElement, needsKey: boolean): void => {
    if (!msg || !msg.name) report(el.id, `${short(el.$type)} "${el.id}" needs a message with a name.`)
    else if (needsKey && !ext(msg, 'zeebe:Subscription')?.correlationKey)
      report(el.id, `Message "${msg.name}" used by "${el.id}" needs a zeebe:subscription correlationKey.`)
  }

  // Zeebe: a link throw event needs exactly one link catch event of its name in the same scope.
  const checkLinks = (container: ModdleElement): void => {
    const links = (kind: string): ModdleElement[] =>
      (container.flowElements ?? []).filter(
        (f: ModdleElement) => f.$type === kind && eventDefinitionOf(f).kind === 'link',
      )
    const catchNames = new Map<string, number>()
    for (const c of links('bpmn:IntermediateCatchEvent')) {
      const name = String(eventDefinitionOf(c).def.name ?? '')
      catchNames.set(name, (catchNames.get(name) ?? 0) + 1)
      if (catchNames.get(name) === 2) report(c.id, `More than one link catch event is named "${name}" in this scope.`)
    }
    for (const t of links('bpmn:IntermediateThrowEvent')) {
      const name = String(eventDefinitionOf(t).def.name ?? '')
      if (name && !catchNames.has(name))
        report(t.id, `Link throw event "${t.id}" has no link catch event named "${name}" in its scope.`)
    }
  }

  // Zeebe: at most one escalation catch event per code, and one catch-all, for each activity and each scope.
  const checkEscalationCatches = (events: ModdleElement[], where: string): void => {
    const seen = new Set<string>()
    for (const e of events) {
      const ed = eventDefinitionOf(e)
      if (ed.kind !== 'escalation') continue
      const code = String(ed.def.escalationRef?.escalationCode ?? '')
      if (seen.has(code))
        report(
          e.id,
          code
            ? `More than one escalation catch event with the code "${code}" on ${where}.`
            : `More than one catch-all escalation event on ${where}.`,
        )
      seen.add(code)
    }
  }

  const associations = associationsOf(processes)
  const walk = (container: ModdleElement, scopeKind: keyof typeof scopeWords): void => {
    checkLinks(container)
    checkCompensationBoundaries(container, report)
    const flowElements: ModdleElement[] = container.flowElements ?? []
    checkEscalationCatches(
      flowElements
        .filter((f) => f.$type === 'bpmn:SubProcess' && f.triggeredByEvent)
        .flatMap((f) => (f.flowElements ?? []).filter((s: ModdleElement) => s.$type === 'bpmn:StartEvent')),
      `the event sub-processes of "${container.id}"`,
    )
    for (const activity of flowElements)
      checkEscalationCatches(
        flowElements.filter((b) => b.$type === 'bpmn:BoundaryEvent' && b.attachedToRef === activity),
        `"${activity.id}"`,
      )
    for (const el of container.flowElements ?? []) {
      const type = el.$type as string
      if (inert.has(type)) continue
      if (!known.has(type)) {
        report(el.id, unsupported(el.id, constructNames[short(type)] ?? withArticle(words(type))))
        continue
      }
      if (type === 'bpmn:SequenceFlow') continue
      // Reported once by checkAdHocSubProcess (Zeebe's own messages).
      if (scopeKind === 'adHocSubProcess' && (type === 'bpmn:StartEvent' || type === 'bpmn:EndEvent')) continue
      if (el.isForCompensation) checkCompensationHandler(el, container, report)
      checkExecutionListeners(el, report)
      checkTaskListeners(el, report)

      const ed = eventDefinitionOf(el)
      if (ed.kind === 'unsupported') {
        report(
          el.id,
          unsupported(
            el.id,
            ed.def
              ? (constructNames[short(String(ed.type))] ?? withArticle(`${eventWords(String(ed.type))} ${words(type)}`))
              : `${withArticle(words(type))} with ${String(ed.type)}`,
          ),
        )
      } else {
        const allowed: Record<string, string[]> = {
          'bpmn:StartEvent':
            scopeKind === 'process'
              ? ['none', 'message', 'timer', 'signal']
              : scopeKind === 'eventSubProcess'
                ? ['message', 'timer', 'error', 'signal', 'escalation']
                : ['none'],
          'bpmn:EndEvent': ['none', 'error', 'terminate', 'signal', 'escalation', 'message', 'compensation'],
          'bpmn:IntermediateCatchEvent': ['message', 'timer', 'signal', 'link'],
          'bpmn:IntermediateThrowEvent': ['none', 'signal', 'escalation', 'link', 'message', 'compensation'],
          'bpmn:BoundaryEvent': ['message', 'timer', 'error', 'signal', 'escalation', 'compensation'],
        }
        const ok = allowed[type]
        const where = type === 'bpmn:StartEvent' ? ` ${scopeWords[scopeKind]}` : ''
        // What a construct needs is said only of constructs that run: a refused message end event does not also
        // "need a message with a name".
        const refused = ok !== undefined && !ok.includes(ed.kind)
        if (refused)
          report(
            el.id,
            unsupported(el.id, withArticle(`${ed.kind} ${words(type)}${where}`), `supported here: ${ok.join(', ')}`),
          )
        const throwing = type === 'bpmn:IntermediateThrowEvent' || type === 'bpmn:EndEvent'
        if (refused) {
          // What a construct needs is said only of constructs that run.
        } else if (ed.kind === 'message' && throwing) {
          // Job-based in Zeebe, like a send task.
          if (!ext(el, 'zeebe:TaskDefinition')?.type)
            report(el.id, `Message ${short(type)} "${el.id}" needs a zeebe:taskDefinition with a type (a job).`)
        } else if (ed.kind === 'message')
          checkMessage(el, ed.def.messageRef, type !== 'bpmn:StartEvent' || scopeKind === 'eventSubProcess')
        if (!refused && ed.kind === 'signal' && !ed.def.signalRef?.name)
          report(el.id, `Signal event "${el.id}" needs a signal with a name.`)
        if (!refused && ed.kind === 'escalation' && throwing && !ed.def.escalationRef?.escalationCode)
          report(el.id, `Escalation throw event "${el.id}" needs an escalation with an escalationCode.`)
        if (!refused && ed.kind === 'escalation' && type === 'bpmn:BoundaryEvent') {
          const host = el.attachedToRef?.$type
          if (host !== 'bpmn:SubProcess' && host !== 'bpmn:CallActivity')
            report(el.id, `Escalation boundary event "${el.id}" must be attached to a sub-process or call activity.`)
        }
        if (
          !refused &&
          ed.kind === 'escalation' &&
          !throwing &&
          String(ed.def.escalationRef?.escalationCode ?? '').startsWith('=')
        )
          report(el.id, `Escalation catch event "${el.id}" must have a static escalationCode (not an expression).`)
        if (!refused && ed.kind === 'link' && !ed.def.name) report(el.id, `Link event "${el.id}" needs a link name.`)
        if (!refused && ed.kind === 'compensation') checkCompensationEvent(el, ed.def, container, associations, report)
        if (!refused && ed.kind === 'timer' && ed.def.timeCycle?.body != null) {
          const cycle = String(ed.def.timeCycle.body).trim()
          if (!cycle.startsWith('=') && isCronCycle(cycle))
            try {
              cronFields(cycle)
            } catch (err) {
              if (!(err instanceof ExpressionError)) throw err
              report(el.id, `Timer "${el.id}": ${err.message}`)
            }
        }
        if (!refused && ed.kind === 'timer' && !ed.def.timeDuration && !ed.def.timeDate && !ed.def.timeCycle)
          report(el.id, `Timer "${el.id}" has no timeDuration, timeDate or timeCycle.`)
        if (!refused && ed.kind === 'error' && type === 'bpmn:EndEvent' && !ed.def.errorRef?.errorCode)
          report(el.id, `Error end event "${el.id}" needs an error with an errorCode.`)
      }

      if (jobTaskTypes.has(type)) {
        const calledDecision = type === 'bpmn:BusinessRuleTask' ? ext(el, 'zeebe:CalledDecision') : undefined
        if (calledDecision) {
          // Both attributes are required by Zeebe (business rule tasks, "Defining a called decision").
          if (!calledDecision.decisionId || !calledDecision.resultVariable)
            report(el.id, `Business rule task "${el.id}" needs a zeebe:calledDecision decisionId and resultVariable.`)
          if (calledDecision.bindingType === 'versionTag' && !calledDecision.versionTag)
            report(el.id, `Business rule task "${el.id}" binds its decision by version tag but names no versionTag.`)
        } else if (type === 'bpmn:ScriptTask' && ext(el, 'zeebe:Script')) {
          if (!ext(el, 'zeebe:Script').resultVariable) report(el.id, `Script task "${el.id}" needs a resultVariable.`)
        } else if (!ext(el, 'zeebe:TaskDefinition')?.type)
          report(el.id, `${short(type)} "${el.id}" needs a zeebe:taskDefinition with a type.`)
      }
      if (type === 'bpmn:ReceiveTask') checkMessage(el, el.messageRef, true)
      if (type === 'bpmn:CallActivity' && !ext(el, 'zeebe:CalledElement')?.processId)
        report(el.id, `Call activity "${el.id}" needs a zeebe:calledElement processId.`)
      if (type === 'bpmn:BoundaryEvent' && !el.attachedToRef)
        report(el.id, `Boundary event "${el.id}" is not attached to an activity.`)

      const lc = el.loopCharacteristics
      if (lc) {
        if (lc.$type !== 'bpmn:MultiInstanceLoopCharacteristics')
          report(
            el.id,
            unsupported(el.id, `a ${words(lc.$type).replace(/ characteristics$/, '')}`, 'use multi-instance'),
          )
        else if (!ext(lc, 'zeebe:LoopCharacteristics')?.inputCollection)
          report(el.id, `Multi-instance "${el.id}" needs a zeebe:loopCharacteristics inputCollection.`)
      }

      if (type === 'bpmn:ExclusiveGateway' || type === 'bpmn:InclusiveGateway') {
        const outgoing: ModdleElement[] = el.outgoing ?? []
        if (outgoing.length > 1)
          for (const f of outgoing)
            if (f !== el.default && !f.conditionExpression?.body)
              report(
                f.id,
                `Sequence flow "${f.id}" leaves gateway "${el.id}" without a condition and is not its default flow.`,
              )
      }
      if (type === 'bpmn:EventBasedGateway') {
        for (const f of el.outgoing ?? []) {
          const target = f.targetRef
          const tk = eventDefinitionOf(target).kind
          if (target.$type === 'bpmn:IntermediateCatchEvent' && tk !== 'message' && tk !== 'timer' && tk !== 'signal') {
            // An intermediate catch event is what an event-based gateway needs; this kind is not executed here.
            const kind = tk === 'unsupported' ? eventWords(String(eventDefinitionOf(target).type)) : tk
            report(
              target.id,
              unsupported(
                target.id,
                `${withArticle(`${kind} intermediate catch event`)} after event-based gateway "${el.id}"`,
                'supported after it: message, timer and signal intermediate catch events, receive tasks',
              ),
            )
          } else if (!(target.$type === 'bpmn:ReceiveTask' || target.$type === 'bpmn:IntermediateCatchEvent'))
            report(
              target.id,
              `"${target.id}" follows event-based gateway "${el.id}" but is not an intermediate catch event or receive task.`,
            )
        }
      }
      if (type === 'bpmn:AdHocSubProcess') {
        checkAdHocSubProcess(el, report)
        walk(el, 'adHocSubProcess')
      }
      if (type === 'bpmn:SubProcess') {
        if (el.triggeredByEvent) {
          const starts = (el.flowElements ?? []).filter((f: ModdleElement) => f.$type === 'bpmn:StartEvent')
          if (starts.length !== 1) report(el.id, `Event sub-process "${el.id}" needs exactly one start event.`)
          walk(el, 'eventSubProcess')
        } else {
          const starts = (el.flowElements ?? []).filter((f: ModdleElement) => f.$type === 'bpmn:StartEvent')
          if (starts.length !== 1) report(el.id, `Sub-process "${el.id}" needs exactly one none start event.`)
          walk(el, 'subProcess')
        }
      }
    }
  }
  for (const p of processes) {
    checkProcessListeners(p, report)
    const starts = (p.flowElements ?? []).filter((f: ModdleElement) => f.$type === 'bpmn:StartEvent')
    if (starts.filter((s: ModdleElement) => (s.eventDefinitions ?? []).length === 0).length > 1)
      report(p.id, `Process "${p.id}" has more than one none start event.`)
    if (starts.length === 0) report(p.id, `Process "${p.id}" has no start event.`)
    walk(p, 'process')
  }
  // Static values where Zeebe needs an expression (feel-static.ts).
  problems.push(...staticValueProblems(definitions, resourceName))
  return problems
}

// The BPMN subset the embedded engine executes: anything outside it is reported per element at deploy,
// never silently ignored. Exported for the deploy-validation module.
import type { DeployProblem } from '../port.js'
import { eventDefinitionOf, executableProcesses, type ModdleElement } from './model.js'

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
  'bpmn:CallActivity',
  'bpmn:SequenceFlow',
])

function ext(el: ModdleElement, type: string): ModdleElement | undefined {
  return el?.extensionElements?.values?.find((v: ModdleElement) => v.$type === type)
}

function short(type: string): string {
  return String(type).replace(/^bpmn:/, '')
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
  if (el.loopCharacteristics)
    report(el.id, `Execution listeners on multi-instance ${what} are not supported by the embedded engine yet.`)
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

  const walk = (container: ModdleElement, scopeKind: 'process' | 'subProcess' | 'eventSubProcess'): void => {
    for (const el of container.flowElements ?? []) {
      const type = el.$type as string
      if (inert.has(type)) continue
      if (!known.has(type)) {
        report(el.id, `${short(type)} is not supported by the embedded engine.`)
        continue
      }
      if (type === 'bpmn:SequenceFlow') continue
      checkExecutionListeners(el, report)
      if (ext(el, 'zeebe:TaskListeners'))
        report(
          el.id,
          `User task listeners (zeebe:taskListeners) on "${el.id}" are not supported by the embedded engine yet.`,
        )

      const ed = eventDefinitionOf(el)
      if (ed.kind === 'unsupported') {
        report(el.id, `${ed.type} on ${short(type)} "${el.id}" is not supported by the embedded engine.`)
      } else {
        const allowed: Record<string, string[]> = {
          'bpmn:StartEvent':
            scopeKind === 'process'
              ? ['none', 'message', 'timer']
              : scopeKind === 'eventSubProcess'
                ? ['message', 'timer', 'error']
                : ['none'],
          'bpmn:EndEvent': ['none', 'error', 'terminate'],
          'bpmn:IntermediateCatchEvent': ['message', 'timer'],
          'bpmn:IntermediateThrowEvent': ['none'],
          'bpmn:BoundaryEvent': ['message', 'timer', 'error'],
        }
        const ok = allowed[type]
        if (ok && !ok.includes(ed.kind))
          report(
            el.id,
            `A ${ed.kind} ${short(type)} ("${el.id}") is not supported here by the embedded engine; allowed: ${ok.join(', ')}.`,
          )
        if (ed.kind === 'message')
          checkMessage(el, ed.def.messageRef, type !== 'bpmn:StartEvent' || scopeKind === 'eventSubProcess')
        if (ed.kind === 'timer' && !ed.def.timeDuration && !ed.def.timeDate && !ed.def.timeCycle)
          report(el.id, `Timer "${el.id}" has no timeDuration, timeDate or timeCycle.`)
        if (ed.kind === 'error' && type === 'bpmn:EndEvent' && !ed.def.errorRef?.errorCode)
          report(el.id, `Error end event "${el.id}" needs an error with an errorCode.`)
      }

      if (jobTaskTypes.has(type)) {
        if (type === 'bpmn:BusinessRuleTask' && ext(el, 'zeebe:CalledDecision'))
          report(
            el.id,
            `Business rule task "${el.id}" calls a DMN decision; the embedded engine only runs it as a job (zeebe:taskDefinition).`,
          )
        else if (type === 'bpmn:ScriptTask' && ext(el, 'zeebe:Script')) {
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
          report(el.id, `${short(lc.$type)} on "${el.id}" is not supported; use multi-instance.`)
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
          if (!(
            target.$type === 'bpmn:ReceiveTask' ||
            (target.$type === 'bpmn:IntermediateCatchEvent' && (tk === 'message' || tk === 'timer'))
          ))
            report(
              target.id,
              `"${target.id}" follows event-based gateway "${el.id}" but is not a message/timer catch event or receive task.`,
            )
        }
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
    if (ext(p, 'zeebe:ExecutionListeners'))
      report(p.id, `Execution listeners on process "${p.id}" are not supported by the embedded engine yet.`)
    const starts = (p.flowElements ?? []).filter((f: ModdleElement) => f.$type === 'bpmn:StartEvent')
    if (starts.filter((s: ModdleElement) => (s.eventDefinitions ?? []).length === 0).length > 1)
      report(p.id, `Process "${p.id}" has more than one none start event.`)
    if (starts.length === 0) report(p.id, `Process "${p.id}" has no start event.`)
    walk(p, 'process')
  }
  return problems
}

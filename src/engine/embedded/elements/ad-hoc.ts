// Ad-hoc sub-processes, BPMN implementation, as Zeebe 8.8 runs them
// (https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/): on entry the elements named by
// activeElementsCollection are activated, each in an inner instance of its own (Zeebe's
// AD_HOC_SUB_PROCESS_INNER_INSTANCE); when an inner instance's flow completes, its outputElement joins the
// outputCollection and the completionCondition is evaluated; without one, the sub-process completes when nothing
// inside is active.
// The job worker implementation (a zeebe:taskDefinition on the sub-process; same page, "Job worker implementation"):
// on activation a job is created; its worker completes it with a job result of type adHocSubProcess that activates
// elements (with variables local to each activation) or fulfils the completion condition (optionally canceling what
// still runs). Whenever a flow inside completes (an activation, a non-interrupting event sub-process), the job is
// created again, replacing one not completed yet (there is one job at a time; completing the old one is NOT_FOUND).
import { EngineError, type JobResult, type Variables } from '../../port.js'
import { ExpressionError, evalCondition, evalValue } from '../feel.js'
import type { Element } from '../model.js'
import type { EiRow } from '../rows.js'
import type { Inst, Step } from '../step.js'
import type { ElementBehaviours } from './behaviour.js'
import { openBoundaries, openScopeEvents } from './events.js'
import { createJob } from './tasks.js'

/** The element ids activeElementsCollection names, checked as Zeebe checks them (an incident otherwise). */
function elementsToActivate(step: Step, inst: Inst, ei: EiRow, el: Element): string[] {
  const spec = el.adHoc!
  if (!spec.activeElementsCollection) return []
  const expr = spec.activeElementsCollection
  const value = evalValue(expr, step.visible(inst, ei.key))
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    const was = value === null ? 'NULL' : Array.isArray(value) ? 'a list of other values' : typeof value
    throw new ExpressionError(
      `Failed to activate ad-hoc elements. Expected result of the expression '${expr.replace(/^\s*=/, '')}' to be 'ARRAY' of 'STRING', but was '${was}'.`,
    )
  }
  const ids = value as string[]
  const missing = ids.filter((id) => !spec.activatableIds.includes(id))
  if (missing.length > 0)
    throw new ExpressionError(
      `Expected to activate activities for ad-hoc sub-process with key '${ei.key}', but the given elements [${missing.join(', ')}] do not exist.`,
    )
  return ids
}

/** One activation: an inner instance (a scope of its own) with the element inside it. */
async function activateInner(
  step: Step,
  inst: Inst,
  adHoc: EiRow,
  el: Element,
  elementId: string,
  variables?: Variables,
): Promise<void> {
  const spec = el.adHoc!
  const inner = await step.createEi(inst, step.el(inst, spec.innerInstanceId), adHoc.key)
  inner.state = 'ACTIVATED'
  inner.data = { entered: true }
  step.emitElement(inst, 'element.entered', inner)
  // The output element's variable exists in the activation, so a job's result of that name stays there.
  const name = outputVariableName(spec.outputElement)
  if (name) inner.variables = { [name]: null }
  if (variables) inner.variables = { ...inner.variables, ...variables }
  const target = step.el(inst, elementId)
  const child = await step.createEi(inst, target, inner.key, target.multiInstance ? 'multiInstanceBody' : undefined)
  step.enqueueActivate(inst, child)
}

/** `=result` → `result`: an output element that reads one variable. */
function outputVariableName(outputElement: string | undefined): string | undefined {
  const m = /^\s*=\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(outputElement ?? '')
  return m?.[1]
}

/**
 * An inner instance's flow completed (Zeebe's before/afterExecutionPathCompleted): the output is collected, then the
 * completion condition decides; without one the sub-process completes once nothing inside it is active.
 */
export async function adHocInnerCompleted(
  step: Step,
  inst: Inst,
  adHoc: EiRow,
  innerVisible: Variables,
): Promise<void> {
  const el = step.el(inst, adHoc.element_id)
  const spec = el.adHoc!
  if (spec.outputCollection && spec.outputElement) {
    const collected = adHoc.variables[spec.outputCollection]
    const list = Array.isArray(collected) ? collected : []
    const value = evalValue(spec.outputElement, innerVisible)
    adHoc.variables = { ...adHoc.variables, [spec.outputCollection]: [...list, value ?? null] }
    step.dirty(inst, adHoc)
  }
  await evaluateCompletion(step, inst, adHoc, el)
}

/** The job worker decides again: the ad-hoc sub-process's job is created anew, replacing one still open. */
async function renewJob(step: Step, inst: Inst, adHoc: EiRow, el: Element): Promise<void> {
  if (adHoc.data.adHocJobKey !== undefined) step.jobs.delete(adHoc.data.adHocJobKey)
  adHoc.data = { ...adHoc.data, adHocJobKey: await createJob(step, inst, adHoc, el) }
  step.dirty(inst, adHoc)
}

/**
 * The worker of an ad-hoc sub-process's job completed it (its job result, type adHocSubProcess): its variables go
 * to the sub-process (locally with output mappings, else propagated as a job's), then the elements it names are
 * activated, or the completion condition is fulfilled. An unknown element, or activating while fulfilling, refuses
 * the completion (nothing changes).
 */
export async function adHocJobCompleted(
  step: Step,
  inst: Inst,
  adHoc: EiRow,
  variables: Variables | undefined,
  result: JobResult | undefined,
): Promise<void> {
  const el = step.el(inst, adHoc.element_id)
  const spec = el.adHoc!
  const activate = result?.activateElements ?? []
  const fulfilled = result?.isCompletionConditionFulfilled === true
  const unknown = activate.filter((a) => !spec.activatableIds.includes(a.elementId)).map((a) => a.elementId)
  if (unknown.length > 0)
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Expected to activate activities for ad-hoc sub-process with key '${adHoc.key}', but the given elements [${unknown.join(', ')}] do not exist.`,
    )
  if (fulfilled && activate.length > 0)
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Expected to complete the job of ad-hoc sub-process '${adHoc.element_id}' with elements to activate and a fulfilled completion condition; a job result cannot do both.`,
    )
  adHoc.data = { ...adHoc.data }
  delete adHoc.data.adHocJobKey
  step.dirty(inst, adHoc)
  if (variables && Object.keys(variables).length > 0) {
    if (el.outputs.length > 0) adHoc.variables = { ...adHoc.variables, ...variables }
    else step.propagate(inst, adHoc.key, variables)
  }
  for (const a of activate) await activateInner(step, inst, adHoc, el, a.elementId, a.variables)
  if (!fulfilled) return
  adHoc.data = { ...adHoc.data, adHocFulfilled: true }
  if (result?.isCancelRemainingInstances === true) {
    let waits = false
    for (const c of step.children(inst, adHoc.key)) if (await step.terminate(inst, c)) waits = true
    if (waits) return step.holdUntilTerminated(inst, adHoc.key, { complete: 'adHoc' })
    return await completeAdHoc(step, inst, adHoc)
  }
  if (step.children(inst, adHoc.key).length === 0) await completeAdHoc(step, inst, adHoc)
}

/** Completes the ad-hoc sub-process if its completion condition (or, without one, its emptiness) says so. */
async function evaluateCompletion(step: Step, inst: Inst, adHoc: EiRow, el: Element): Promise<void> {
  const spec = el.adHoc!
  const active = step.children(inst, adHoc.key).length > 0
  if (el.jobType) {
    // The job worker decides, unless it fulfilled the completion condition already (then: once nothing runs).
    if (!adHoc.data.adHocFulfilled) return await renewJob(step, inst, adHoc, el)
    if (!active) await completeAdHoc(step, inst, adHoc)
    return
  }
  if (!spec.completionCondition) {
    if (!active) await completeAdHoc(step, inst, adHoc)
    return
  }
  let fulfilled: boolean
  try {
    fulfilled = evalCondition(spec.completionCondition, step.visible(inst, adHoc.key))
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err
    err.message = `Failed to evaluate completion condition. ${err.message}`
    throw err
  }
  if (!fulfilled) return
  if (spec.cancelRemainingInstances) {
    let waits = false
    for (const c of step.children(inst, adHoc.key)) if (await step.terminate(inst, c)) waits = true
    // An activation's user task runs its canceling listeners first (step.afterChildTerminated completes it then).
    if (waits) return step.holdUntilTerminated(inst, adHoc.key, { complete: 'adHoc' })
    return await completeAdHoc(step, inst, adHoc)
  }
  // cancelRemainingInstances="false": the activations still running finish first; the condition is evaluated again.
  if (!active) await completeAdHoc(step, inst, adHoc)
}

/** The ad-hoc sub-process completes: its output collection goes to the parent scope, then its output mappings. */
export async function completeAdHoc(step: Step, inst: Inst, adHoc: EiRow): Promise<void> {
  if (adHoc.data.adHocJobKey !== undefined) step.jobs.delete(adHoc.data.adHocJobKey)
  const oc = step.el(inst, adHoc.element_id).adHoc!.outputCollection
  if (oc) step.propagate(inst, adHoc.scope_key, { [oc]: adHoc.variables[oc] ?? [] })
  await step.completeActivity(inst, adHoc)
}

/**
 * A token ended directly in the ad-hoc sub-process (an event sub-process inside it completed): an interrupting one
 * completes it (as in Zeebe), otherwise the completion is decided as after an activation.
 */
export async function adHocPathEnded(step: Step, inst: Inst, adHoc: EiRow): Promise<void> {
  const el = step.el(inst, adHoc.element_id)
  if (adHoc.data.interrupted) return await completeAdHoc(step, inst, adHoc)
  await evaluateCompletion(step, inst, adHoc, el)
}

/** After an incident on the completion condition was resolved: the condition is evaluated again. */
export async function retryAdHocCompletion(step: Step, inst: Inst, adHoc: EiRow): Promise<void> {
  await evaluateCompletion(step, inst, adHoc, step.el(inst, adHoc.element_id))
}

/** The first activation of an ad-hoc sub-process: its special variables, events, and the elements it activates. */
async function activateAdHoc(step: Step, inst: Inst, ei: EiRow, el: Element, isActivity: boolean): Promise<void> {
  const spec = el.adHoc!
  const locals: Variables = { adHocSubProcessElements: spec.elementsMetadata }
  if (spec.outputCollection) locals[spec.outputCollection] = []
  // Zeebe sets these before the input mappings; an input mapping of the same name wins here as it would there.
  ei.variables = { ...locals, ...ei.variables }
  step.dirty(inst, ei)
  // With a job worker implementation, its worker activates the elements (activeElementsCollection is not read).
  const ids = el.jobType ? [] : elementsToActivate(step, inst, ei, el)
  if (isActivity) await openBoundaries(step, inst, ei, el)
  await openScopeEvents(step, inst, ei.key, el)
  for (const id of ids) await activateInner(step, inst, ei, el, id)
  if (el.jobType) await renewJob(step, inst, ei, el)
}

export const adHocBehaviours: ElementBehaviours<'adHocSubProcess' | 'adHocInnerInstance'> = {
  adHocSubProcess: { activate: activateAdHoc },
  adHocInnerInstance: {
    activate() {
      // Created already active by activateInner, never entered through a sequence flow.
      return Promise.reject(new Error('an ad-hoc inner instance is not activated as an element'))
    },
  },
}

// Multi-instance activities: the body element instance runs the activity once per item of its input
// collection (in parallel or in sequence), collects output, and completes on its completion condition.
import type { Variables } from '../../port.js'
import { ExpressionError, evalCondition, evalValue } from '../feel.js'
import type { Element } from '../model.js'
import type { EiRow } from '../rows.js'
import type { Inst, Step } from '../step.js'
import { openBoundaries } from './events.js'
import { compensationOnCompleted } from './compensation.js'

export async function activateMultiInstance(step: Step, inst: Inst, body: EiRow, el: Element): Promise<void> {
  const mi = el.multiInstance!
  const ctx = step.visible(inst, body.key)
  const items = evalValue(mi.inputCollection!, ctx)
  if (!Array.isArray(items))
    throw new ExpressionError(
      `Expected result of the expression '${mi.inputCollection}' to be 'ARRAY', but was '${items === null ? 'NULL' : typeof items}'.`,
    )
  body.state = 'ACTIVATED'
  body.data = { ...body.data, mi: { items, completed: 0, next: 0 } }
  if (mi.outputCollection) body.variables = { ...body.variables, [mi.outputCollection]: items.map(() => null) }
  step.dirty(inst, body)
  await openBoundaries(step, inst, body, el)
  if (items.length === 0) return await completeMultiInstance(step, inst, body, el)
  const count = mi.sequential ? 1 : items.length
  for (let i = 0; i < count; i++) await createInner(step, inst, body, el)
}

async function createInner(step: Step, inst: Inst, body: EiRow, el: Element): Promise<void> {
  const mi = body.data.mi!
  const index = mi.next
  mi.next++
  step.dirty(inst, body)
  const inner = await step.createEi(inst, el, body.key)
  inner.data = { inner: true }
  inner.variables = { loopCounter: index + 1 }
  if (el.multiInstance!.inputElement) inner.variables[el.multiInstance!.inputElement] = mi.items[index] ?? null
  step.enqueueActivate(inst, inner)
}

/** An inner instance completed: collects its output, then starts the next one or completes the body. */
export async function onInnerCompleted(
  step: Step,
  inst: Inst,
  body: EiRow,
  el: Element,
  innerVisible: Variables,
): Promise<void> {
  const mi = body.data.mi!
  const spec = el.multiInstance!
  if (spec.outputCollection && spec.outputElement) {
    const index = Number(innerVisible['loopCounter']) - 1
    const coll = [...((body.variables[spec.outputCollection] as unknown[]) ?? [])]
    coll[index] = evalValue(spec.outputElement, innerVisible)
    body.variables = { ...body.variables, [spec.outputCollection]: coll }
  }
  mi.completed++
  step.dirty(inst, body)
  if (spec.completionCondition) {
    const active = step.children(inst, body.key).length
    const ctx = {
      ...step.visible(inst, body.key),
      numberOfInstances: mi.items.length,
      numberOfCompletedInstances: mi.completed,
      numberOfActiveInstances: active,
    }
    if (evalCondition(spec.completionCondition, ctx)) {
      let waits = false
      for (const c of step.children(inst, body.key)) if (await step.terminate(inst, c)) waits = true
      // An inner user task runs its canceling listeners first (step.afterChildTerminated completes the body then).
      if (waits) return step.holdUntilTerminated(inst, body.key, { complete: 'multiInstance' })
      return await completeMultiInstance(step, inst, body, el)
    }
  }
  if (spec.sequential && mi.next < mi.items.length) return await createInner(step, inst, body, el)
  if (mi.completed >= mi.items.length) await completeMultiInstance(step, inst, body, el)
}

export async function completeMultiInstance(step: Step, inst: Inst, body: EiRow, el: Element): Promise<void> {
  const oc = el.multiInstance!.outputCollection
  if (oc) step.propagate(inst, body.scope_key, { [oc]: body.variables[oc] })
  step.closeTriggers(body)
  step.removeEi(inst, body)
  step.emitElement(inst, 'element.completed', body)
  if (await compensationOnCompleted(step, inst, body, el)) return
  await step.leave(inst, el, body.scope_key)
}

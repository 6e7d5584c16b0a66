// Compensation, as Zeebe 8.8 runs it (its BpmnCompensationSubscriptionBehaviour):
// https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/
// https://docs.camunda.io/docs/components/modeler/bpmn/compensation-handler/
//
// - An activity with a compensation boundary event that completes leaves a compensation subscription in its flow
//   scope; so does a completed embedded sub-process (or multi-instance body) with subscriptions inside it, without a
//   handler of its own unless it has a compensation boundary too. A multi-instance activity's subscription is its
//   body's: its handler runs once, and only when every instance completed. Activities that did not complete (active,
//   terminated) leave none.
// - A compensation intermediate throw or end event triggers the subscriptions of its scope (all of them, or those of
//   its activityRef), and from each one those inside it (completed sub-processes, nested): every handler is
//   activated at once, as a child of the throw event's scope (created latest-completed first; Zeebe names no order).
//   Inside an event sub-process the scope around the event sub-process is searched too. No subscription: the throw
//   event completes at once; otherwise it waits until the last handler it invoked completed.
// - A completed handler completes its subscription, then the sub-process subscriptions above it that have no
//   subscription left inside; subscriptions are triggered once. Terminating a handler (its scope interrupted) drops
//   its subscription; terminating a sub-process drops the subscriptions inside it.
//
// The subscriptions live in the process instance's `data` column (one JSON list per instance), so they are written
// with the instance in the step's single statement: no table of their own.
import type { Element } from '../model.js'
import type { EiRow } from '../rows.js'
import type { Inst, Step } from '../step.js'

export interface CompensationSubscription {
  /** Taken from the key sequence when the activity completed: a later completion has a greater key. */
  key: number
  activityId: string
  activityInstanceKey: number
  /** The flow scope the activity completed in (the instance key for the process). */
  scopeKey: number
  /** The handler of the activity's compensation boundary event; none for a sub-process holding subscriptions. */
  handlerId?: string
  /** Set when triggered: the throw event waiting for it, and the handler instance it activated. */
  throwEventInstanceKey?: number
  handlerInstanceKey?: number
}

function subscriptions(inst: Inst): CompensationSubscription[] {
  return inst.pi.data.compensation ?? []
}

function setSubscriptions(inst: Inst, subs: CompensationSubscription[]): void {
  if (subs.length > 0) inst.pi.data = { ...inst.pi.data, compensation: subs }
  else {
    const { compensation: _c, ...rest } = inst.pi.data
    inst.pi.data = rest
  }
  inst.piDirty = true
}

/** The compensation boundary event attached to an activity (a multi-instance activity: its body's). */
function compensationBoundary(step: Step, inst: Inst, el: Element): Element | undefined {
  return el.boundaryIds.map((id) => step.el(inst, id)).find((b) => b.event === 'compensation')
}

/**
 * An activity completed (and left its element instance): records its compensation subscription when it has a
 * compensation boundary event or, for a sub-process or multi-instance body, subscriptions inside. A compensation
 * handler that completed instead completes its subscription and, after the last one, its throw event. True when the
 * token must not move on (a handler: it has no outgoing flow and its throw event goes on for it).
 */
export async function compensationOnCompleted(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<boolean> {
  if (ei.data.compensationHandler) {
    await handlerCompleted(step, inst, ei)
    return true
  }
  const subs = subscriptions(inst)
  // Inner instances of a multi-instance activity: its boundary events belong to the body.
  const handlerId = ei.data.inner ? undefined : compensationBoundary(step, inst, el)?.compensation?.handlerId
  const isScope =
    el.kind === 'subProcess' ||
    el.kind === 'adHocSubProcess' ||
    el.kind === 'adHocInnerInstance' ||
    ei.element_type === 'multiInstanceBody'
  const hasInner = isScope && subs.some((s) => s.scopeKey === ei.key)
  if (handlerId === undefined && !hasInner) return false
  const sub: CompensationSubscription = {
    key: await step.key(),
    activityId: el.id,
    activityInstanceKey: ei.key,
    scopeKey: ei.scope_key,
  }
  if (handlerId !== undefined) sub.handlerId = handlerId
  setSubscriptions(inst, [...subs, sub])
  return false
}

/**
 * A compensation throw event (intermediate or end) was entered: triggers the subscriptions of its scope. True when
 * handlers were invoked (the event waits for them); false when there was nothing to compensate.
 */
export async function throwCompensation(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<boolean> {
  const scopes = [ei.scope_key]
  const scopeEl = el.scopeId ? step.el(inst, el.scopeId) : undefined
  // In an event sub-process, compensation also reaches the scope the event sub-process runs in.
  if (scopeEl?.kind === 'eventSubProcess') {
    const esp = inst.els.get(ei.scope_key)
    if (esp) scopes.push(esp.scope_key)
  }
  const open = subscriptions(inst).filter((s) => s.throwEventInstanceKey === undefined)
  const ref = el.compensation?.activityRef
  const chosen = open
    .filter((s) => scopes.includes(s.scopeKey) && (ref === undefined || s.activityId === ref))
    .sort((a, b) => b.key - a.key)
  if (chosen.length === 0) return false
  const triggered = new Map<number, CompensationSubscription>()
  const triggerOne = async (sub: CompensationSubscription): Promise<void> => {
    if (triggered.has(sub.key)) return
    const t: CompensationSubscription = { ...sub, throwEventInstanceKey: ei.key }
    triggered.set(sub.key, t)
    if (sub.handlerId !== undefined) t.handlerInstanceKey = await activateHandler(step, inst, ei, sub)
    // Into the sub-process it completed: the subscriptions left inside it.
    for (const inner of open.filter((s) => s.scopeKey === sub.activityInstanceKey).sort((a, b) => b.key - a.key))
      await triggerOne(inner)
  }
  for (const sub of chosen) await triggerOne(sub)
  setSubscriptions(
    inst,
    subscriptions(inst).map((s) => triggered.get(s.key) ?? s),
  )
  return true
}

/** Enters (and completes) the compensation boundary event, then activates its handler in the throw event's scope. */
async function activateHandler(step: Step, inst: Inst, throwEi: EiRow, sub: CompensationSubscription): Promise<number> {
  const activity = step.el(inst, sub.activityId)
  const boundary = compensationBoundary(step, inst, activity)!
  const boundaryEvent = { key: await step.key(), element_id: boundary.id, element_type: boundary.bpmnType }
  step.emitElement(inst, 'element.entered', boundaryEvent)
  step.emitElement(inst, 'element.completed', boundaryEvent)
  const handlerEl = step.el(inst, sub.handlerId!)
  const handler = await step.createEi(
    inst,
    handlerEl,
    throwEi.scope_key,
    handlerEl.multiInstance ? 'multiInstanceBody' : undefined,
  )
  handler.data = { compensationHandler: true }
  step.enqueueActivate(inst, handler)
  return handler.key
}

/** A compensation handler completed: its subscription and the emptied sub-process ones above it complete. */
async function handlerCompleted(step: Step, inst: Inst, handler: EiRow): Promise<void> {
  // A handler that is a sub-process: what completed inside it is not compensable once it is done (Zeebe deletes the
  // subscriptions of a completed compensation handler's sub-process).
  let subs = withoutInside(subscriptions(inst), handler.key)
  if (subs.length !== subscriptions(inst).length) setSubscriptions(inst, subs)
  const done = subs.find((s) => s.handlerInstanceKey === handler.key)
  if (!done) return await step.leave(inst, step.el(inst, handler.element_id), handler.scope_key)
  subs = subs.filter((s) => s !== done)
  // Bottom-up: a sub-process subscription with nothing left inside it completes too.
  let scopeKey = done.scopeKey
  while (!subs.some((s) => s.scopeKey === scopeKey)) {
    const scopeSub = subs.find((s) => s.activityInstanceKey === scopeKey && s.handlerId === undefined)
    if (!scopeSub) break
    subs = subs.filter((s) => s !== scopeSub)
    scopeKey = scopeSub.scopeKey
  }
  setSubscriptions(inst, subs)
  const throwKey = done.throwEventInstanceKey!
  if (subs.some((s) => s.throwEventInstanceKey === throwKey)) return
  const throwEi = inst.els.get(throwKey)
  if (throwEi) await step.completeActivity(inst, throwEi)
  // Its throw event is gone: the handler's token ends in its scope like any token without an outgoing flow.
  else await step.leave(inst, step.el(inst, handler.element_id), handler.scope_key)
}

/**
 * An element instance is terminated: a handler's subscription goes (an interrupted handler is not activated again),
 * and so do the subscriptions inside a terminated sub-process.
 */
export function compensationOnTerminated(inst: Inst, ei: EiRow): void {
  const subs = subscriptions(inst)
  if (subs.length === 0) return
  const kept = withoutInside(
    subs.filter((s) => s.handlerInstanceKey !== ei.key),
    ei.key,
  )
  if (kept.length !== subs.length) setSubscriptions(inst, kept)
}

/** The subscriptions left once those inside a scope instance (and inside their sub-processes, nested) are dropped. */
function withoutInside(subs: CompensationSubscription[], scopeKey: number): CompensationSubscription[] {
  const gone = new Set<number>([scopeKey])
  let kept = subs
  for (let changed = true; changed;) {
    changed = false
    for (const s of kept)
      if (gone.has(s.scopeKey)) {
        gone.add(s.activityInstanceKey)
        changed = true
      }
    kept = kept.filter((s) => !gone.has(s.scopeKey))
  }
  return kept
}

// Events: start, end (none, error, terminate), intermediate catch and throw, boundary events, and what
// they wait on — timers and message subscriptions — with the firing of those triggers and BPMN errors.
import type { Variables } from '../../port.js'
import { scheduleTimerDef } from '../cron.js'
import { throwEscalation } from '../escalations.js'
import { evalString } from '../feel.js'
import type { Element } from '../model.js'
import type { EiRow, SubRow, TimerRow } from '../rows.js'
import type { Inst, Step } from '../step.js'
import type { ElementBehaviours } from './behaviour.js'
import { broadcastInStep, openSignal } from '../signals.js'
import { triggerEventSubProcess } from './subprocesses.js'
import { throwCompensation } from './compensation.js'

/** Something that owns triggers: an element instance, or a scope (the instance itself for the root). */
type Owner = { key: number }

export async function openTimer(step: Step, inst: Inst, owner: Owner, eventEl: Element, ctx: Variables): Promise<void> {
  const s = scheduleTimerDef(eventEl.timer!, ctx, step.now)
  const t: TimerRow = {
    key: await step.key(),
    due_at: s.dueAt.toISOString(),
    process_instance_key: inst.pi.key,
    element_instance_key: owner.key,
    element_id: eventEl.id,
    definition_key: inst.pi.definition_key,
    repetitions: s.repetitions,
    interval: s.interval ?? null,
  }
  step.timers.insert(t)
  step.timerDueHints.push(s.dueAt)
}

export async function openMessage(
  step: Step,
  inst: Inst,
  owner: Owner,
  eventEl: Element,
  ctx: Variables,
): Promise<void> {
  const name = evalString(eventEl.message!.name, ctx, 'message name')
  const correlationKey = evalString(eventEl.message!.correlationKey ?? '', ctx, 'correlation key')
  const sub: SubRow = {
    key: await step.key(),
    message_name: name,
    correlation_key: correlationKey,
    process_instance_key: inst.pi.key,
    element_instance_key: owner.key,
    element_id: eventEl.id,
    created_at: step.now.toISOString(),
  }
  step.subs.insert(sub)
  // Serialises with publishers of this name + key, so a message published meanwhile is not missed.
  await step.sql('SELECT pg_advisory_xact_lock(hashtext(?))', [`${name}\u001f${correlationKey}`])
  const { rows } = await step.sql(
    `SELECT key, variables FROM engine_messages m
        WHERE name = ? AND correlation_key = ? AND expires_at > ?
          AND NOT EXISTS (SELECT 1 FROM engine_message_correlations c WHERE c.message_key = m.key AND c.process_instance_key = ?)
        ORDER BY key LIMIT 1`,
    [name, correlationKey, step.now, inst.pi.key],
  )
  const msg = rows[0] as { key: number; variables: Variables } | undefined
  if (msg && !step.writes.hasCorrelation(msg.key, inst.pi.key)) {
    step.writes.recordCorrelation(msg.key, inst.pi.key)
    step.later(() => correlate(step, inst, sub, msg.variables))
  }
}

/** Opens the timers and message subscriptions of an activity's boundary events. */
export async function openBoundaries(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<void> {
  if (el.boundaryIds.length === 0) return
  const ctx = step.visible(inst, ei.key)
  for (const id of el.boundaryIds) {
    const b = step.el(inst, id)
    if (b.event === 'timer') await openTimer(step, inst, ei, b, ctx)
    else if (b.event === 'message') await openMessage(step, inst, ei, b, ctx)
    else if (b.event === 'signal') await openSignal(step, inst, ei, b, ctx)
  }
}

/** Opens the timer/message start events of a scope's event sub-processes. */
export async function openScopeEvents(step: Step, inst: Inst, scopeKey: number, scopeEl: Element): Promise<void> {
  if (scopeEl.eventSubProcessIds.length === 0) return
  const ctx = step.visible(inst, scopeKey)
  for (const espId of scopeEl.eventSubProcessIds) {
    const start = step.el(inst, step.el(inst, espId).startEventId!)
    if (start.event === 'timer') await openTimer(step, inst, { key: scopeKey }, start, ctx)
    else if (start.event === 'message') await openMessage(step, inst, { key: scopeKey }, start, ctx)
    else if (start.event === 'signal') await openSignal(step, inst, { key: scopeKey }, start, ctx)
  }
}

/** A message or timer fired for an element that waits on it. */
export async function trigger(
  step: Step,
  inst: Inst,
  ownerKey: number,
  eventElementId: string,
  vars: Variables | undefined,
  closeOwnTrigger: () => void,
): Promise<void> {
  const eventEl = step.el(inst, eventElementId)
  if (eventEl.kind === 'startEvent' && eventEl.scopeId && step.el(inst, eventEl.scopeId).kind === 'eventSubProcess') {
    const esp = step.el(inst, eventEl.scopeId)
    if (esp.interrupting) closeOwnTrigger()
    return await triggerEventSubProcess(step, inst, ownerKey, esp, vars)
  }
  const owner = inst.els.get(ownerKey)
  if (!owner) return closeOwnTrigger()
  if (eventEl.kind === 'boundaryEvent') {
    if (eventEl.interrupting) closeOwnTrigger()
    return await triggerBoundary(step, inst, owner, eventEl, vars)
  }
  closeOwnTrigger()
  if (owner.element_type === 'eventBasedGateway') {
    step.closeTriggers(owner)
    step.removeEi(inst, owner)
    step.emitElement(inst, 'element.completed', owner)
    const target = await step.createEi(inst, eventEl, owner.scope_key)
    step.enqueueActivate(inst, target, vars ?? null)
    return
  }
  await step.completeActivity(inst, owner, vars)
}

/** A message reached a subscription. */
export async function correlate(step: Step, inst: Inst, sub: SubRow, vars: Variables): Promise<void> {
  await trigger(step, inst, sub.element_instance_key, sub.element_id, vars, () => step.subs.delete(sub.key))
}

export async function triggerBoundary(
  step: Step,
  inst: Inst,
  attached: EiRow,
  boundary: Element,
  vars: Variables | undefined,
): Promise<void> {
  // The attached element's user task may run canceling listeners first: the boundary event activates after them.
  if (boundary.interrupting && (await step.terminate(inst, attached))) {
    attached.data = { ...attached.data, boundaryAfterTermination: { boundaryId: boundary.id, variables: vars ?? null } }
    return step.dirty(inst, attached)
  }
  const be = await step.createEi(inst, boundary, attached.scope_key)
  step.enqueueActivate(inst, be, vars ?? null)
}

function pickCatch(candidates: Element[], code: string): Element | undefined {
  return candidates.find((c) => c.errorCode === code) ?? candidates.find((c) => c.errorCode === undefined)
}

/**
 * The error codes of the catch events a thrown error passed without matching, grouped by the element instance that
 * hosts them (innermost first), for the incident of an uncaught error.
 */
export type ConsideredCatchEvents = Map<string, string[]>

function consider(considered: ConsideredCatchEvents | undefined, host: string, events: Element[]): void {
  if (!considered) return
  const codes = considered.get(host) ?? []
  for (const e of events) if (e.errorCode !== undefined) codes.push(e.errorCode)
  considered.set(host, codes)
}

/**
 * Zeebe's incident text for an error nothing caught, listing the codes of the error catch events in scope: each
 * hosting element instance's codes in descending order, innermost first (Zeebe's CatchEventAnalyzer), e.g.
 * `Expected to throw an error event with the code 'x' with message 'm', but it was not caught. Available error
 * events are [b, a]` (https://docs.camunda.io/docs/components/modeler/bpmn/error-events/#unhandled-errors).
 */
export function uncaughtErrorMessage(
  code: string,
  errorMessage: string | undefined,
  considered: ConsideredCatchEvents,
) {
  const available = [...considered.values()].flatMap((codes) => [...codes].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)))
  return (
    `Expected to throw an error event with the code '${code}'${errorMessage ? ` with message '${errorMessage}'` : ''}` +
    ', but it was not caught.' +
    (available.length === 0
      ? ' No error events are available in the scope.'
      : ` Available error events are [${available.join(', ')}]`)
  )
}

/**
 * Throws a BPMN error from an element: the nearest boundary event or error event sub-process with
 * the code (or a catch-all) takes it, across call activities. False when nothing catches it; `considered` then holds
 * the codes of the catch events it passed (uncaughtErrorMessage).
 */
export async function throwError(
  step: Step,
  inst: Inst,
  from: EiRow,
  code: string,
  vars: Variables | undefined,
  considered?: ConsideredCatchEvents,
): Promise<boolean> {
  let curInst = inst
  let cur = from
  for (;;) {
    const el = step.el(curInst, cur.element_id)
    // Boundary events hang on the activity (the multi-instance body, not its inner instances).
    if (!cur.data.inner) {
      const boundaries = el.boundaryIds.map((id) => step.el(curInst, id)).filter((x) => x.event === 'error')
      const b = pickCatch(boundaries, code)
      if (b) {
        await triggerBoundary(step, curInst, cur, b, vars)
        return true
      }
      consider(considered, `${curInst.pi.key}:${cur.key}`, boundaries)
    }
    const scopeKey = cur.scope_key
    const scopeEi = scopeKey === curInst.pi.key ? undefined : curInst.els.get(scopeKey)!
    if (scopeEi?.element_type !== 'multiInstanceBody') {
      const scopeEl = scopeEi ? step.el(curInst, scopeEi.element_id) : step.el(curInst, curInst.proc.bpmnProcessId)
      const starts = scopeEl.eventSubProcessIds
        .map((id) => step.el(curInst, step.el(curInst, id).startEventId!))
        .filter((x) => x.event === 'error')
      const start = pickCatch(starts, code)
      if (start && !step.scopeData(curInst, scopeKey).interrupted) {
        await triggerEventSubProcess(step, curInst, scopeKey, step.el(curInst, start.scopeId!), vars)
        return true
      }
      consider(considered, `${curInst.pi.key}:${scopeKey}`, starts)
    }
    if (scopeEi) {
      cur = scopeEi
      continue
    }
    // Uncaught in this instance: a called process hands the error to its call activity.
    if (curInst.pi.parent_process_instance_key == null) return false
    const parent = await step.load(curInst.pi.parent_process_instance_key)
    const callEi = parent?.els.get(curInst.pi.parent_element_instance_key!)
    if (!parent || !callEi) return false
    curInst = parent
    cur = callEi
  }
}

async function activateEndEvent(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<void> {
  if (el.event === 'error') {
    // A thrown error's code may be an expression (Zeebe 8.2+); a catching event's code is static.
    const code = evalString(el.errorCode!, step.visible(inst, ei.key), 'error code')
    const considered: ConsideredCatchEvents = new Map()
    const caught = await throwError(step, inst, ei, code, undefined, considered)
    if (!caught)
      await step.raiseIncident(inst, ei, 'UNHANDLED_ERROR_EVENT', uncaughtErrorMessage(code, undefined, considered))
    return
  }
  if (el.event === 'signal' || el.event === 'escalation') {
    if (await throwFrom(step, inst, ei, el)) await step.completeActivity(inst, ei)
    return
  }
  // Waits for the compensation handlers it invoked (compensation.ts completes it after the last one).
  if (el.event === 'compensation' && (await throwCompensation(step, inst, ei, el))) return
  if (el.event === 'terminate') {
    // A sibling waiting for canceling listeners keeps the scope open until it ends (step.afterChildTerminated).
    for (const sibling of step.children(inst, ei.scope_key)) if (sibling !== ei) await step.terminate(inst, sibling)
    const data = step.scopeData(inst, ei.scope_key)
    if (data.joins) {
      delete data.joins
      step.touchScope(inst, ei.scope_key)
    }
  }
  await step.completeActivity(inst, ei)
}

/**
 * What a throw event (intermediate or end) does before its token moves on: broadcast its signal (with its
 * input mappings' variables, its local scope) or throw its escalation. False when that ended the event
 * (an interrupting catch in its own instance).
 */
async function throwFrom(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<boolean> {
  const ctx = step.visible(inst, ei.key)
  if (el.event === 'signal') await broadcastInStep(step, evalString(el.signal!.name, ctx, 'signal name'), ei.variables)
  else if (el.event === 'escalation')
    await throwEscalation(step, inst, ei, evalString(el.escalationCode!, ctx, 'escalation code'))
  return inst.els.get(ei.key) === ei && inst.pi.state === 'ACTIVE'
}

const passThrough = { activate: (step: Step, inst: Inst, ei: EiRow) => step.completeActivity(inst, ei) }

export const eventBehaviours: ElementBehaviours<
  'startEvent' | 'endEvent' | 'intermediateCatchEvent' | 'intermediateThrowEvent' | 'boundaryEvent'
> = {
  startEvent: passThrough,
  // A link throw event's outgoing flow leads to its link catch event (model.ts).
  intermediateThrowEvent: {
    async activate(step, inst, ei, el) {
      if (el.event === 'compensation' && (await throwCompensation(step, inst, ei, el))) return
      if (await throwFrom(step, inst, ei, el)) await step.completeActivity(inst, ei)
    },
  },
  // Activated once its trigger fired (the trigger's variables were merged on the way in).
  boundaryEvent: passThrough,
  endEvent: { activate: (step, inst, ei, el) => activateEndEvent(step, inst, ei, el) },
  intermediateCatchEvent: {
    async activate(step, inst, ei, el) {
      if (el.event === 'timer') return await openTimer(step, inst, ei, el, step.visible(inst, ei.key))
      if (el.event === 'signal') return await openSignal(step, inst, ei, el, step.visible(inst, ei.key))
      // Entered from its link throw event: it passes the token on.
      if (el.event === 'link') return await step.completeActivity(inst, ei)
      return await openMessage(step, inst, ei, el, step.visible(inst, ei.key))
    },
  },
}

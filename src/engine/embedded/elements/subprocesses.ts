// Sub-processes: embedded sub-processes, event sub-processes (started by an event in their scope,
// interrupting it or not) and call activities (a child process instance).
import type { Variables } from '../../port.js'
import { ExpressionError, evalString } from '../feel.js'
import type { Element } from '../model.js'
import type { EiRow } from '../rows.js'
import type { Inst, Step } from '../step.js'
import type { ElementBehaviours } from './behaviour.js'
import { openBoundaries, openScopeEvents } from './events.js'

/** An event sub-process's start event fired in a scope: interrupts the scope if it must, then runs. */
export async function triggerEventSubProcess(
  step: Step,
  inst: Inst,
  scopeKey: number,
  esp: Element,
  vars: Variables | undefined,
): Promise<void> {
  const data = step.scopeData(inst, scopeKey)
  if (data.interrupted) return
  if (esp.interrupting) {
    let waits = false
    for (const c of step.children(inst, scopeKey)) if (await step.terminate(inst, c)) waits = true
    closeEventSubProcessStarts(step, inst, scopeKey)
    data.interrupted = true
    delete data.joins
    step.touchScope(inst, scopeKey)
    // Zeebe activates the event sub-process once the scope's children are terminated, canceling listeners included.
    if (waits) return step.holdUntilTerminated(inst, scopeKey, { eventSubProcess: esp.id, variables: vars ?? {} })
  }
  await startEventSubProcess(step, inst, scopeKey, esp, vars)
}

/** The event sub-process starts in its scope (interrupted already, if it interrupts). */
export async function startEventSubProcess(
  step: Step,
  inst: Inst,
  scopeKey: number,
  esp: Element,
  vars: Variables | undefined,
): Promise<void> {
  const ei = await step.createEi(inst, esp, scopeKey)
  ei.data = { trigger: vars ?? {} }
  step.enqueueActivate(inst, ei)
}

/** Closes the event sub-process start triggers of a scope (keeps its boundary events). */
function closeEventSubProcessStarts(step: Step, inst: Inst, scopeKey: number): void {
  const scopeEl =
    scopeKey === inst.pi.key
      ? step.el(inst, inst.proc.bpmnProcessId)
      : step.el(inst, inst.els.get(scopeKey)!.element_id)
  const ids = scopeEl.eventSubProcessIds.map((id) => step.el(inst, id).startEventId!)
  step.writes.closeTriggersOf(scopeKey, ids)
}

async function activateCallActivity(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<void> {
  const ce = el.calledElement!
  const ctx = step.visible(inst, ei.key)
  const processId = evalString(ce.processId, ctx, 'called process id')
  const def = await step.host.latestDefinition(processId, step.db)
  if (!def)
    throw new ExpressionError(
      `Expected process with BPMN process id '${processId}' to be deployed, but not found.`,
      'CALLED_ELEMENT_ERROR',
    )
  const vars = ce.propagateAllParentVariables ? ctx : { ...ei.variables }
  const child = await step.createInstance(def.key, vars, { parent: { pik: inst.pi.key, eik: ei.key } })
  ei.data = { ...ei.data, childKey: child.pi.key }
  step.dirty(inst, ei)
}

export const subProcessBehaviours: ElementBehaviours<'subProcess' | 'eventSubProcess' | 'callActivity'> = {
  subProcess: {
    async activate(step, inst, ei, el, isActivity) {
      if (isActivity) await openBoundaries(step, inst, ei, el)
      await openScopeEvents(step, inst, ei.key, el)
      step.enqueueActivate(inst, await step.createEi(inst, step.el(inst, el.noneStartId!), ei.key))
    },
  },
  eventSubProcess: {
    async activate(step, inst, ei, el) {
      await openScopeEvents(step, inst, ei.key, el)
      // Its start event fired already: that is why the event sub-process was activated.
      const start = await step.createEi(inst, step.el(inst, el.startEventId!), ei.key)
      step.enqueueActivate(inst, start, ei.data.trigger ?? null)
    },
  },
  callActivity: {
    async activate(step, inst, ei, el, isActivity) {
      await activateCallActivity(step, inst, ei, el)
      if (isActivity) await openBoundaries(step, inst, ei, el)
    },
  },
}

// Escalations: thrown by an intermediate throw or end event, caught by at most one catch event, the one of the
// nearest enclosing flow scope (a boundary event on a sub-process or call activity, or an escalation event
// sub-process), across call activities. Unlike an error an escalation is non-critical: nothing catching it is
// not an incident, and the throwing event goes on unless an interrupting catch ended it.
// https://docs.camunda.io/docs/components/modeler/bpmn/escalation-events/
import type { Element } from './model.js'
import type { EiRow } from './rows.js'
import type { Inst, Step } from './step.js'
import { triggerBoundary } from './elements/events.js'
import { triggerEventSubProcess } from './elements/subprocesses.js'

function pickCatch(candidates: Element[], code: string): Element | undefined {
  return candidates.find((c) => c.escalationCode === code) ?? candidates.find((c) => c.escalationCode === undefined)
}

/** Throws an escalation from an element instance; true when a catch event took it. */
export async function throwEscalation(step: Step, inst: Inst, from: EiRow, code: string): Promise<boolean> {
  let curInst = inst
  let cur = from
  for (;;) {
    const el = step.el(curInst, cur.element_id)
    if (cur !== from && !cur.data.inner) {
      const b = pickCatch(
        el.boundaryIds.map((id) => step.el(curInst, id)).filter((x) => x.event === 'escalation'),
        code,
      )
      if (b) {
        await triggerBoundary(step, curInst, cur, b, undefined)
        return true
      }
    }
    const scopeKey = cur.scope_key
    const scopeEi = scopeKey === curInst.pi.key ? undefined : curInst.els.get(scopeKey)!
    if (scopeEi?.element_type !== 'multiInstanceBody') {
      const scopeEl = scopeEi ? step.el(curInst, scopeEi.element_id) : step.el(curInst, curInst.proc.bpmnProcessId)
      const starts = scopeEl.eventSubProcessIds
        .map((id) => step.el(curInst, step.el(curInst, id).startEventId!))
        .filter((x) => x.event === 'escalation')
      const start = pickCatch(starts, code)
      if (start && !step.scopeData(curInst, scopeKey).interrupted) {
        await triggerEventSubProcess(step, curInst, scopeKey, step.el(curInst, start.scopeId!), undefined)
        return true
      }
    }
    if (scopeEi) {
      cur = scopeEi
      continue
    }
    if (curInst.pi.parent_process_instance_key == null) return false
    const parent = await step.load(curInst.pi.parent_process_instance_key)
    const callEi = parent?.els.get(curInst.pi.parent_element_instance_key!)
    if (!parent || !callEi) return false
    curInst = parent
    cur = callEi
  }
}

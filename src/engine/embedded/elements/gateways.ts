// Gateways: exclusive and inclusive (conditions, default flow), parallel, event-based; and joining —
// tokens wait at a joining gateway in their scope's data until the join may fire.
import { ExpressionError, evalCondition } from '../feel.js'
import type { Element, Flow } from '../model.js'
import type { EiRow } from '../rows.js'
import type { Inst, Step } from '../step.js'
import type { ElementBehaviours } from './behaviour.js'
import { openMessage, openTimer } from './events.js'
import { openSignal } from '../signals.js'

async function activateConditionalGateway(step: Step, inst: Inst, ei: EiRow, el: Element): Promise<void> {
  const ctx = step.visible(inst, ei.key)
  const candidates = el.outgoing.filter((f) => f.id !== el.defaultFlowId)
  let taken: Flow[] = []
  if (el.outgoing.length === 1 && !el.outgoing[0]!.condition) taken = [el.outgoing[0]!]
  else {
    for (const f of candidates) {
      if (!f.condition || evalCondition(f.condition, ctx)) {
        taken.push(f)
        if (el.kind === 'exclusiveGateway') break
      }
    }
    if (taken.length === 0 && el.defaultFlowId) taken = [el.outgoing.find((f) => f.id === el.defaultFlowId)!]
  }
  if (taken.length === 0 && el.outgoing.length > 0)
    throw new ExpressionError(
      `Expected at least one condition to evaluate to true, or to have a default flow`,
      'CONDITION_ERROR',
    )
  step.closeTriggers(ei)
  ei.state = 'COMPLETING'
  step.removeEi(inst, ei)
  step.emitElement(inst, 'element.completed', ei)
  await step.takeFlows(inst, taken, ei.scope_key)
}

/** A gateway with several incoming flows that joins (waits for) tokens rather than passing each on. */
export function isJoin(el: Element): boolean {
  return (el.kind === 'parallelGateway' || el.kind === 'inclusiveGateway') && el.incoming.length > 1
}

/** A token arrives at a joining gateway on a flow: it is counted in the scope's data. */
export function arriveAtJoin(step: Step, inst: Inst, scopeKey: number, gateway: Element, flow: Flow): void {
  const data = step.scopeData(inst, scopeKey)
  const joins = (data.joins ??= {})
  const g = (joins[gateway.id] ??= {})
  g[flow.id] = (g[flow.id] ?? 0) + 1
  step.touchScope(inst, scopeKey)
}

/** Fires joining gateways whose tokens are complete (parallel) or can get no more tokens (inclusive). */
export async function tryJoins(step: Step, inst: Inst, scopeKey: number): Promise<void> {
  const data = step.scopeData(inst, scopeKey)
  if (!data.joins) return
  const joins = data.joins
  for (const [gatewayId, tokens] of Object.entries(joins)) {
    const gw = step.el(inst, gatewayId)
    const missing = gw.incoming.filter((f) => !tokens[f])
    let fire = missing.length === 0
    if (!fire && gw.kind === 'inclusiveGateway' && Object.keys(tokens).length > 0)
      fire = !canReach(step, inst, scopeKey, missing, gatewayId)
    if (!fire) continue
    for (const f of Object.keys(tokens)) if (--tokens[f]! <= 0) delete tokens[f]
    if (Object.keys(tokens).length === 0) delete joins[gatewayId]
    if (Object.keys(joins).length === 0) delete data.joins
    step.touchScope(inst, scopeKey)
    step.enqueueActivate(inst, await step.createEi(inst, gw, scopeKey))
  }
}

/** Whether a token still active in the scope could arrive on one of the given flows. */
function canReach(step: Step, inst: Inst, scopeKey: number, flowIds: string[], stopAt: string): boolean {
  const wanted = new Set(flowIds)
  const seen = new Set<string>()
  const stack = step.children(inst, scopeKey).map((c) => c.element_id)
  const joins = step.scopeData(inst, scopeKey).joins ?? {}
  for (const [g, tokens] of Object.entries(joins)) if (g !== stopAt && Object.keys(tokens).length > 0) stack.push(g)
  while (stack.length > 0) {
    const id = stack.pop()!
    if (seen.has(id)) continue
    seen.add(id)
    const el = inst.proc.elements.get(id)
    if (!el) continue
    const outs = [...el.outgoing]
    for (const b of el.boundaryIds) outs.push(...step.el(inst, b).outgoing)
    for (const f of outs) {
      if (wanted.has(f.id)) return true
      if (f.targetId !== stopAt) stack.push(f.targetId)
    }
  }
  return false
}

const conditional = { activate: activateConditionalGateway }

export const gatewayBehaviours: ElementBehaviours<
  'exclusiveGateway' | 'inclusiveGateway' | 'parallelGateway' | 'eventBasedGateway'
> = {
  exclusiveGateway: conditional,
  inclusiveGateway: conditional,
  // Reached only once its join fired (or with one incoming flow): every outgoing flow is taken.
  parallelGateway: { activate: (step, inst, ei) => step.completeActivity(inst, ei) },
  // Waits on every target event; the first to fire takes the token (events.ts: trigger).
  eventBasedGateway: {
    async activate(step, inst, ei, el) {
      const ctx = step.visible(inst, ei.key)
      for (const id of el.eventTargetIds) {
        const target = step.el(inst, id)
        if (target.event === 'timer') await openTimer(step, inst, ei, target, ctx)
        else if (target.event === 'signal') await openSignal(step, inst, ei, target, ctx)
        else await openMessage(step, inst, ei, target, ctx)
      }
    },
  },
}

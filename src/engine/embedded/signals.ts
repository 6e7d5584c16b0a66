// Signals: a broadcast triggers every signal catch event (intermediate, boundary, event sub-process start)
// waiting for its name, in any instance, and starts one instance per process with a signal start event of
// that name. Signals are not buffered (https://docs.camunda.io/docs/components/modeler/bpmn/signal-events/).
// Subscriptions live in the message subscription tables under a reserved name, so closing an element's
// triggers closes its signal subscriptions too.
import type { BroadcastSignalRequest, Variables } from '../port.js'
import type { EngineCore } from './core.js'
import { evalString } from './feel.js'
import type { Element } from './model.js'
import type { SubRow } from './rows.js'
import type { Inst, Step } from './step.js'
import { trigger } from './elements/events.js'

// A unit separator cannot appear in a message name typed in the modeler, so no message reaches a signal.
const prefix = '\u001fsignal\u001f'

/** The subscription name under which a signal of this name waits. */
export function signalSubscriptionName(signalName: string): string {
  return `${prefix}${signalName}`
}

/** Opens a signal subscription for an element that waits for a signal (owner: element instance or scope). */
export async function openSignal(
  step: Step,
  inst: Inst,
  owner: { key: number },
  eventEl: Element,
  ctx: Variables,
): Promise<void> {
  const name = evalString(eventEl.signal!.name, ctx, 'signal name')
  const sub: SubRow = {
    key: await step.key(),
    message_name: signalSubscriptionName(name),
    correlation_key: '',
    process_instance_key: inst.pi.key,
    element_instance_key: owner.key,
    element_id: eventEl.id,
    created_at: step.now.toISOString(),
  }
  step.subs.insert(sub)
}

/**
 * Broadcasts a signal inside a step: every subscription open at this moment is triggered (those the step
 * opened itself included), then the signal start events start their instances.
 */
export async function broadcastInStep(step: Step, signalName: string, variables: Variables): Promise<void> {
  const name = signalSubscriptionName(signalName)
  const pending = [...step.subs.ins.values()].filter((s) => s.message_name === name)
  const { rows } = await step.sql(
    'SELECT DISTINCT process_instance_key FROM engine_message_subscriptions WHERE message_name = ? ORDER BY 1',
    [name],
  )
  const instanceKeys = new Set<number>([
    ...rows.map((r) => Number((r as { process_instance_key: number }).process_instance_key)),
    ...pending.map((s) => s.process_instance_key),
  ])
  const starts = await step.sql(
    'SELECT definition_key, element_id FROM engine_message_start_subscriptions WHERE message_name = ? ORDER BY bpmn_process_id',
    [name],
  )
  for (const pik of [...instanceKeys].sort((a, b) => a - b)) {
    const inst = await step.load(pik)
    if (!inst || inst.pi.state !== 'ACTIVE') continue
    // Read after the lock: the subscriptions as the instance's last step left them.
    const stored = (
      await step.sql('SELECT * FROM engine_message_subscriptions WHERE process_instance_key = ? AND message_name = ?', [
        pik,
        name,
      ])
    ).rows as SubRow[]
    const subs = [
      ...stored.filter((s) => !step.subs.del.has(Number(s.key))),
      ...pending.filter((s) => s.process_instance_key === pik),
    ]
    for (const raw of subs.sort((a, b) => Number(a.key) - Number(b.key))) {
      const sub = { ...raw, key: Number(raw.key), element_instance_key: Number(raw.element_instance_key) }
      if (inst.pi.state !== 'ACTIVE') break
      const owner = sub.element_instance_key
      // The owner (or the scope of an event sub-process start) may have ended earlier in this broadcast.
      if (owner !== inst.pi.key && !inst.els.has(owner)) continue
      await trigger(step, inst, owner, sub.element_id, variables, () => step.subs.delete(sub.key))
    }
  }
  for (const s of starts.rows as Array<{ definition_key: number; element_id: string }>)
    await step.createInstance(Number(s.definition_key), variables, { startElementId: s.element_id })
}

/** The port's broadcast: one step, so the signal reaches every subscription or none. */
export class Signals {
  constructor(private readonly core: EngineCore) {}

  async broadcastSignal(req: BroadcastSignalRequest): Promise<{ signalKey: string }> {
    return await this.core.runStep(async (step) => {
      const signalKey = await step.key()
      await broadcastInStep(step, req.signalName, req.variables ?? {})
      return { signalKey: String(signalKey) }
    })
  }
}

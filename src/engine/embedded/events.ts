// The event log: each step writes its events as one row of engine_events in its own transaction;
// listeners get them after the commit, in commit order, and a read model catches up with readEvents.
import type { EngineEvent, EngineEventListener } from '../port.js'
import { EngineEventLog, type EventRecord } from '../event-log.js'
import type { EngineCore } from './core.js'

export class EventLog {
  private readonly listeners = new Set<EngineEventListener>()
  private delivery: Promise<void> = Promise.resolve()
  private readonly log: EngineEventLog

  constructor(private readonly core: EngineCore) {
    this.log = new EngineEventLog(core.knex)
    core.onCommit((_step, events) => this.deliver(events))
  }

  private deliver(events: EngineEvent[]): void {
    if (events.length === 0 || this.listeners.size === 0) return
    const listeners = [...this.listeners]
    // One chain keeps delivery in commit order, so each instance's events arrive in order.
    this.delivery = this.delivery.then(async () => {
      for (const e of events)
        for (const l of listeners) {
          try {
            await l(e)
          } catch (err) {
            this.core.log('event listener failed', err)
          }
        }
    })
  }

  /** Resolves when every event delivered so far reached its listeners. */
  drained(): Promise<void> {
    return this.delivery
  }

  onEvent(listener: EngineEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Reads the durable event log (written in each step's transaction), for a read model that must catch
   * up after a crash: store the last id you applied, then read on from it.
   */
  readEvents(afterId: number, limit = 500): Promise<EventRecord[]> {
    return this.log.read(afterId, limit)
  }
}

// Wake-ups for job workers: in process at once, and across motcua processes sharing the database by
// LISTEN/NOTIFY (sent after the commit, on the listening connection); polling is the fallback.
import pg from 'pg'
import type { EngineCore } from './core.js'

const NOTIFY_CHANNEL = 'motcua_engine_jobs'

export class JobNotifications {
  private readonly jobWaiters = new Map<string, Set<() => void>>()
  private listenClient?: pg.Client
  private pendingNotify = new Set<string>()
  private notifyChain: Promise<void> = Promise.resolve()

  constructor(private readonly core: EngineCore) {
    core.onCommit((step) => {
      for (const type of step.wakeJobTypes) this.wake(type)
      if (core.notifies) for (const type of step.wakeJobTypes) this.notifyOthers(type)
      for (const { type, at } of step.laterJobWakes)
        setTimeout(() => this.wake(type), Math.max(0, at.getTime() - Date.now())).unref()
    })
  }

  /** Calls `listener` whenever a job of the type is announced (for workers); returns the unsubscribe. */
  subscribe(type: string, listener: () => void): () => void {
    let set = this.jobWaiters.get(type)
    if (!set) this.jobWaiters.set(type, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0 && this.jobWaiters.get(type) === set) this.jobWaiters.delete(type)
    }
  }

  wake(type: string): void {
    const set = this.jobWaiters.get(type)
    if (set) for (const w of [...set]) w()
  }

  /**
   * Tells other motcua processes (LISTEN) that jobs of a type are waiting. Batched per event-loop turn
   * and sent on the listening connection outside any step, so commits never wait for the notify lock.
   */
  private notifyOthers(type: string): void {
    if (this.pendingNotify.size === 0)
      setImmediate(() => {
        const types = [...this.pendingNotify]
        this.pendingNotify.clear()
        const client = this.listenClient
        if (!client) return
        this.notifyChain = this.notifyChain
          .then(() => client.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, types.join('\n')]))
          .then(
            () => undefined,
            (err) => this.core.log('notify failed', err),
          )
      })
    this.pendingNotify.add(type)
  }

  async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.core.db.url })
    client.on('notification', (n) => {
      for (const type of (n.payload ?? '').split('\n')) this.wake(type)
    })
    client.on('error', (err) => {
      this.core.log('notification connection lost; polling until it is back', err)
      this.listenClient = undefined
      if (!this.core.stopped) setTimeout(() => void this.listen().catch(() => undefined), 1000).unref()
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`)
      this.listenClient = client
    } catch (err) {
      this.core.log('could not LISTEN; workers fall back to polling', err)
      await client.end().catch(() => undefined)
      if (!this.core.stopped) setTimeout(() => void this.listen().catch(() => undefined), 2000).unref()
    }
  }

  async unlisten(): Promise<void> {
    const c = this.listenClient
    this.listenClient = undefined
    await c?.end().catch(() => undefined)
  }
}

// Engine events for Zeebe by polling its search API: the broker pushes nothing to clients.
//
// What this can and cannot see (the real-world path for complete, ordered events is a Zeebe
// exporter writing to motcua's database or a queue):
// - userTask.created / userTask.completed / userTask.canceled, from user task search by
//   creationDate / completionDate;
// - incident.created, from incident search by creationTime;
// - instance.completed / instance.terminated, from process instance search by endDate.
// Not emitted: element.* (one search per element would not scale), userTask.assigned (no
// assignment timestamp to search by) and incident.resolved (no resolution timestamp).
// Search reads Camunda's secondary storage, which lags the broker by seconds; each poll looks back
// over `lagMs` and drops keys it already emitted, so events are at least once but may be late,
// and order within an instance is only as good as the timestamps.
// With a `log`, what each poll finds is appended to the durable event log (engine_events) before
// listeners hear of it, and the watermark is stored, so a read model reads Zeebe's events the same way
// as the embedded engine's, and a restart reads on from where the last poll got to.
import type { EngineEventLog } from '../event-log.js'
import type { EngineEvent, EngineEventListener } from '../port.js'
import type { ZeebeClient } from './client.js'
import { toIncident, toUserTask } from './mapping.js'

export interface EventPollerOptions {
  intervalMs?: number
  /** How far back each poll looks, to catch records exported late. */
  lagMs?: number
  /** Where the first poll starts; default: when start() is called. */
  since?: Date
  now?: () => Date
  onError?: (err: unknown) => void
  /** The durable log to append polled events to; polls then run with no listener too. */
  log?: EngineEventLog
  /** Names this poller's stored watermark (one per Zeebe cluster). Default 'zeebe'. */
  logName?: string
}

const PAGE = 200
const NO_WAIT = { consistency: { waitUpToMs: 0 } }

export class EventPoller {
  private readonly listeners = new Set<EngineEventListener>()
  private readonly emitted = new Map<string, number>()
  private watermark: Date
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private readonly intervalMs: number
  private readonly lagMs: number
  private readonly now: () => Date
  private readonly logName: string

  constructor(
    private readonly client: ZeebeClient,
    private readonly opts: EventPollerOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 2_000
    this.lagMs = opts.lagMs ?? 30_000
    this.now = opts.now ?? (() => new Date())
    this.watermark = opts.since ?? this.now()
    this.logName = opts.logName ?? 'zeebe'
  }

  subscribe(listener: EngineEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async start(): Promise<void> {
    if (this.timer) return
    const log = this.opts.log
    if (log && !this.opts.since) this.watermark = (await log.watermark(this.logName)) ?? this.watermark
    this.timer = setInterval(() => {
      if (this.running || (this.listeners.size === 0 && !log)) return
      this.running = this.poll()
        .catch((err) => this.opts.onError?.(err))
        .finally(() => (this.running = undefined))
    }, this.intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.running
  }

  /** One poll: every event found since the watermark (minus the lag window), oldest first. */
  async poll(): Promise<void> {
    const pollStartedAt = this.now()
    const lookBack = new Date(this.watermark.getTime() - this.lagMs).toISOString()
    const events: Array<{ key: string; event: EngineEvent }> = []
    let full = false
    /** A stream's page; a full page is read on from its last timestamp, so a burst is not stuck on page one. */
    const pages = async <T>(
      search: (from: string) => Promise<{ items?: T[] }>,
      stamp: (item: T) => string | undefined,
    ): Promise<T[]> => {
      const all: T[] = []
      let from = lookBack
      for (let page = 0; page < 10; page++) {
        const items = (await search(from)).items ?? []
        all.push(...items)
        const last = items.length > 0 ? stamp(items[items.length - 1]!) : undefined
        if (items.length < PAGE || !last || last === from) return all
        from = last
      }
      full = true
      return all
    }

    const created = await pages(
      (from) =>
        this.client.searchUserTasks(
          {
            filter: { creationDate: { $gte: from } },
            sort: [{ field: 'creationDate', order: 'ASC' }],
            page: { limit: PAGE },
          },
          NO_WAIT,
        ),
      (t) => t.creationDate,
    )
    for (const item of created) {
      const task = toUserTask(item)
      events.push({
        key: `ut-created:${task.userTaskKey}`,
        event: {
          type: 'userTask.created',
          at: task.creationDate,
          processInstanceKey: task.processInstanceKey,
          userTask: task,
        },
      })
    }
    const ended = await pages(
      (from) =>
        this.client.searchUserTasks(
          {
            filter: { completionDate: { $gte: from } },
            sort: [{ field: 'completionDate', order: 'ASC' }],
            page: { limit: PAGE },
          },
          NO_WAIT,
        ),
      (t) => t.completionDate,
    )
    for (const item of ended) {
      const task = toUserTask(item)
      if (task.state === 'CREATED') continue
      const type = task.state === 'COMPLETED' ? 'userTask.completed' : 'userTask.canceled'
      events.push({
        key: `ut-ended:${task.userTaskKey}`,
        event: {
          type,
          at: task.completionDate ?? pollStartedAt,
          processInstanceKey: task.processInstanceKey,
          userTask: task,
        },
      })
    }
    const incidents = await pages(
      (from) =>
        this.client.searchIncidents(
          {
            filter: { creationTime: { $gte: from } },
            sort: [{ field: 'creationTime', order: 'ASC' }],
            page: { limit: PAGE },
          },
          NO_WAIT,
        ),
      (i) => i.creationTime,
    )
    for (const item of incidents) {
      const incident = toIncident(item)
      events.push({
        key: `incident:${incident.incidentKey}`,
        event: {
          type: 'incident.created',
          at: incident.createdAt,
          processInstanceKey: incident.processInstanceKey,
          incident,
        },
      })
    }
    const instances = await pages(
      (from) =>
        this.client.searchProcessInstances(
          { filter: { endDate: { $gte: from } }, sort: [{ field: 'endDate', order: 'ASC' }], page: { limit: PAGE } },
          NO_WAIT,
        ),
      (p) => p.endDate,
    )
    for (const item of instances) {
      if (item.state !== 'COMPLETED' && item.state !== 'TERMINATED') continue
      const type = item.state === 'COMPLETED' ? 'instance.completed' : 'instance.terminated'
      events.push({
        key: `pi:${item.processInstanceKey}`,
        event: {
          type,
          at: item.endDate ? new Date(item.endDate) : pollStartedAt,
          processInstanceKey: item.processInstanceKey,
          bpmnProcessId: item.processDefinitionId,
        },
      })
    }

    events.sort((a, b) => a.event.at.getTime() - b.event.at.getTime())
    const fresh = events.filter((e) => !this.emitted.has(e.key))
    // Durable first: a poll that fails here is repeated, and the log drops what it holds already.
    await this.opts.log?.append(fresh)
    for (const { key, event } of fresh) {
      for (const listener of this.listeners) await listener(event)
      this.emitted.set(key, event.at.getTime())
    }
    // After ten full pages of one stream, keep the watermark: the next poll reads on (the dedupe
    // drops what was already emitted) rather than skip what is still unread.
    if (!full) {
      this.watermark = pollStartedAt
      await this.opts.log?.saveWatermark(this.logName, pollStartedAt)
    }
    // Keys older than the look-back window can never be returned again.
    const horizon = this.watermark.getTime() - this.lagMs - this.intervalMs
    for (const [key, at] of this.emitted) if (at < horizon) this.emitted.delete(key)
  }
}

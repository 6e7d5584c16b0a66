// The durable engine event log (engine_events), shared by both adapters: the embedded engine writes it
// in each step's transaction; the Zeebe adapter appends what it polls. A read model reads on from the
// last record id it applied (Engine.readEvents).
import type { Knex } from 'knex'
import type { EngineEvent } from './port.js'

export interface EventRecord {
  id: number
  events: EngineEvent[]
}

/** An event as a polled source saw it, with the key that names it in that source. */
export interface SourcedEvent {
  key: string
  event: EngineEvent
}

/** Events come back from jsonb with their dates as strings. */
export function reviveEvent(e: EngineEvent): EngineEvent {
  const out = { ...e, at: new Date(e.at) } as EngineEvent
  if ('incident' in out) out.incident = { ...out.incident, createdAt: new Date(out.incident.createdAt) }
  if ('userTask' in out) {
    const u = { ...out.userTask, creationDate: new Date(out.userTask.creationDate) }
    if (u.dueDate) u.dueDate = new Date(u.dueDate)
    if (u.followUpDate) u.followUpDate = new Date(u.followUpDate)
    if (u.completionDate) u.completionDate = new Date(u.completionDate)
    out.userTask = u
  }
  return out
}

export class EngineEventLog {
  constructor(private readonly knex: Knex) {}

  async read(afterId: number, limit = 500): Promise<EventRecord[]> {
    const { rows } = await this.knex.raw('SELECT id, events FROM engine_events WHERE id > ? ORDER BY id LIMIT ?', [
      afterId,
      limit,
    ])
    return (rows as Array<{ id: number; events: EngineEvent[] }>).map((r) => ({
      id: Number(r.id),
      events: r.events.map((e) => reviveEvent(e)),
    }))
  }

  /**
   * Appends polled events, one record each, in the given order; an event whose key is in the log
   * already is skipped. Returns the keys appended. Skipped rows take no id: the filter runs before
   * the insert, so the log has no gap for them (only a concurrent append of the same key leaves one).
   */
  async append(events: SourcedEvent[]): Promise<string[]> {
    if (events.length === 0) return []
    const records = events.map((e, i) => ({
      n: i,
      key: e.key,
      process_instance_key: e.event.processInstanceKey,
      events: [e.event],
    }))
    const { rows } = await this.knex.raw(
      `INSERT INTO engine_events (process_instance_key, events, source_key)
       SELECT x.process_instance_key::bigint, x.events, x.key
         FROM jsonb_to_recordset(?::jsonb) AS x(n int, key text, process_instance_key text, events jsonb)
        WHERE NOT EXISTS (SELECT 1 FROM engine_events e WHERE e.source_key = x.key)
        ORDER BY x.n
       ON CONFLICT (source_key) WHERE source_key IS NOT NULL DO NOTHING
       RETURNING source_key`,
      [JSON.stringify(records)],
    )
    return (rows as Array<{ source_key: string }>).map((r) => r.source_key)
  }

  /** Where the poller of this name got to (undefined before its first poll). */
  async watermark(name: string): Promise<Date | undefined> {
    const row = await this.knex('engine_event_watermarks').where({ name }).first('watermark')
    return row ? new Date(row.watermark) : undefined
  }

  async saveWatermark(name: string, at: Date): Promise<void> {
    await this.knex.raw(
      `INSERT INTO engine_event_watermarks (name, watermark) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET watermark = greatest(engine_event_watermarks.watermark, excluded.watermark)`,
      [name, at],
    )
  }
}

// The audit log's one write (the table is append-only), for modules whose tables have no repository of their own.
import type { Knex } from 'knex'

type Db = Knex | Knex.Transaction

export interface AuditEvent {
  /** Absent for what the system does by itself (seeding). */
  actorId?: string
  action: string
  subjectType: string
  subjectId: string
  /** A jsonb value: an object, or the JSON text of one. */
  data: Record<string, unknown> | string
}

export function auditRepository(db: Db) {
  return {
    /** Adds an event; call it with the transaction that makes the change it records. */
    async record(event: AuditEvent): Promise<void> {
      await db('audit_events').insert({
        ...(event.actorId !== undefined ? { actor_id: event.actorId } : {}),
        action: event.action,
        subject_type: event.subjectType,
        subject_id: event.subjectId,
        data: event.data,
      })
    },
  }
}

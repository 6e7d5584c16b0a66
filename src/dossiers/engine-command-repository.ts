// SQL of the engine-command relay: claiming recorded engine calls by lease, recording their outcome, the dossier's
// instance.
import type { DossierStatus } from '../domain/dossier/status.js'
import type { Db, EngineCommand } from './repository.js'

/** A recorded engine call as the relay claims it. */
export interface CommandRow {
  id: string | number
  dossier_id: string
  kind: EngineCommand['kind']
  payload: Record<string, unknown>
  attempts: number
}

export function engineCommandRepository(db: Db) {
  return {
    /**
     * Claims up to `limit` pending commands (of the given ids, if any) whose lease is free, in one committed statement,
     * counting the attempt; SKIP LOCKED lets several relays claim side by side. Returned in the order they were
     * decided.
     */
    async claim(opts: { leaseMs: number; limit: number; ids?: string[] }): Promise<CommandRow[]> {
      const { ids } = opts
      const { rows } = (await db.raw(
        `UPDATE engine_commands SET locked_until = now() + (? || ' milliseconds')::interval, attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM engine_commands
           WHERE status = 'pending' AND (locked_until IS NULL OR locked_until < now()) ${ids ? 'AND id = ANY(?::bigint[])' : ''}
           ORDER BY id LIMIT ${Number(opts.limit)} FOR UPDATE SKIP LOCKED)
         RETURNING id, dossier_id, kind, payload, attempts`,
        ids ? [String(opts.leaseMs), ids] : [String(opts.leaseMs)],
      )) as { rows: CommandRow[] }
      return rows.sort((a, b) => Number(a.id) - Number(b.id))
    },

    async markDone(id: CommandRow['id']): Promise<void> {
      await db('engine_commands').where({ id }).update({ status: 'done', done_at: db.fn.now(), last_error: null })
    },

    /**
     * Records a failed attempt: pending again after `retryInSeconds` (the lease doubles as the earliest retry), or
     * failed.
     */
    async markAttemptFailed(
      id: CommandRow['id'],
      outcome: { failed: boolean; error: string; retryInSeconds: number },
    ): Promise<void> {
      await db('engine_commands')
        .where({ id })
        .update({
          status: outcome.failed ? 'failed' : 'pending',
          last_error: outcome.error.slice(0, 2000),
          locked_until: db.raw(`now() + interval '1 second' * ?`, [outcome.retryInSeconds]),
        })
    },

    /** The dossier's process instance key and status (undefined when there is no such dossier). */
    async instanceOf(
      dossierId: string,
    ): Promise<{ process_instance_key: string | null; status: DossierStatus } | undefined> {
      return (await db('dossiers').where({ id: dossierId }).first('process_instance_key', 'status')) as
        { process_instance_key: string | null; status: DossierStatus } | undefined
    },
  }
}

export type EngineCommandRepository = ReturnType<typeof engineCommandRepository>

// SQL of the read-model projector: the leased cursor row per projector, and the database's clock and open transactions.
import type { Db } from './repository.js'

export function readModelCursorRepository(db: Db) {
  return {
    /**
     * Takes (or renews) the lease on the projector's cursor row, creating the row on first use; returns the cursor,
     * or undefined when another owner's lease has not expired.
     */
    async lease(name: string, owner: string, leaseMs: number): Promise<number | undefined> {
      await db('read_model_cursors').insert({ name }).onConflict('name').ignore()
      const { rows } = (await db.raw(
        `UPDATE read_model_cursors
            SET locked_by = ?, locked_until = now() + ? * interval '1 millisecond'
          WHERE name = ? AND (locked_by IS NULL OR locked_by = ? OR locked_until < now())
          RETURNING last_event_id`,
        [owner, leaseMs, name, owner],
      )) as { rows: Array<{ last_event_id: number | string }> }
      return rows[0] ? Number(rows[0].last_event_id) : undefined
    },

    /** Moves the cursor, if the owner still holds the lease. */
    async advance(name: string, owner: string, lastEventId: number): Promise<void> {
      await db('read_model_cursors')
        .where({ name, locked_by: owner })
        .update({ last_event_id: lastEventId, updated_at: db.fn.now() })
    },

    /** Gives up the owner's lease, so another process may take over at once. */
    async release(name: string, owner: string): Promise<void> {
      await db('read_model_cursors').where({ name, locked_by: owner }).update({ locked_by: null, locked_until: null })
    },

    /** The database's clock now (not the transaction's start), as text to compare with exactly. */
    async clock(): Promise<string> {
      const { rows } = (await db.raw('SELECT clock_timestamp()::text AS t')) as { rows: Array<{ t: string }> }
      return rows[0]!.t
    },

    /**
     * How many transactions of this database, other than this connection's, began at or before `since` and are still
     * open. Other databases of the server are left out: their transactions cannot hold this log's records.
     */
    async openTransactionsSince(since: string): Promise<number> {
      const { rows } = (await db.raw(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND xact_start <= ?::timestamptz',
        [since],
      )) as { rows: Array<{ n: number }> }
      return rows[0]!.n
    },
  }
}

// SQL of the retention sweep: what may be deleted from the operational tables that only ever grow. Each statement
// deletes at most `limit` rows, so a sweep over a large backlog holds no long lock and can stop between batches.
import type { Knex } from 'knex'

/** Tables the sweep prunes, by the rule each one follows (docs/reliability.md, "Retention"). */
export const prunedTables = [
  'engine_events',
  'altcha_spent',
  'oidc_authorizations',
  'password_resets',
  'email_verifications',
  'refresh_tokens',
  'login_throttle',
] as const
export type PrunedTable = (typeof prunedTables)[number]

export function retentionRepository(knex: Knex) {
  // RETURNING counts the rows the same way on the PostgreSQL server and on PGlite.
  const deleted = async (sql: string, bindings: Knex.RawBinding[]): Promise<number> => {
    const { rows } = (await knex.raw(`${sql} RETURNING 1`, bindings)) as { rows: unknown[] }
    return rows.length
  }
  return {
    /**
     * Engine events every read model has applied (at or below the lowest cursor) and older than `before`. No cursor
     * yet, nothing applied: nothing goes. The log's ids are never reused, so a read model reads on past the hole.
     */
    engineEvents(before: Date, limit: number): Promise<number> {
      return deleted(
        `DELETE FROM engine_events WHERE id IN (
           SELECT id FROM engine_events
            WHERE id <= (SELECT min(last_event_id) FROM read_model_cursors) AND created_at < ?
            ORDER BY id LIMIT ?)`,
        [before, limit],
      )
    },

    /** Rows whose own expiry has passed: a spent ALTCHA challenge or an OIDC request can no longer be used. */
    expired(table: 'altcha_spent' | 'oidc_authorizations', now: Date, limit: number): Promise<number> {
      const key = table === 'altcha_spent' ? 'challenge_id' : 'state_hash'
      return deleted(
        `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE expires_at < ? LIMIT ?)`,
        [now, limit],
      )
    },

    /**
     * Mailed links and refresh tokens expired before `before`: kept for the retention period after their expiry so a
     * late click is still told "expired", and a reused refresh token still revokes its family, then deleted.
     */
    expiredTokens(
      table: 'password_resets' | 'email_verifications' | 'refresh_tokens',
      before: Date,
      limit: number,
    ): Promise<number> {
      const key = table === 'refresh_tokens' ? 'id' : 'token_hash'
      return deleted(
        `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE expires_at < ? LIMIT ?)`,
        [before, limit],
      )
    },

    /** Failed-login counts last touched before `before` and not blocking now. */
    loginThrottle(before: Date, now: Date, limit: number): Promise<number> {
      return deleted(
        `DELETE FROM login_throttle WHERE key IN (
           SELECT key FROM login_throttle
            WHERE last_failure_at < ? AND (blocked_until IS NULL OR blocked_until < ?) LIMIT ?)`,
        [before, now, limit],
      )
    },

    /** Row counts of the pruned tables (for the benchmark and the operator). */
    async sizes(): Promise<Record<PrunedTable, number>> {
      const out = {} as Record<PrunedTable, number>
      for (const table of prunedTables) {
        const row = (await knex(table).count({ n: '*' }).first()) as { n: string | number }
        out[table] = Number(row.n)
      }
      return out
    },
  }
}

// SQL of the login throttle: failed logins counted per (account, address) pair and per account (migration 0920).
import type { Knex } from 'knex'

type Db = Knex | Knex.Transaction

export interface ThrottleRow {
  key: string
  failures: number
  last_failure_at: Date
  blocked_until: Date | null
}

export function loginThrottleRepository(db: Db) {
  return {
    /** The rows of these keys (absent: no failure counted). */
    async rows(keys: string[]): Promise<ThrottleRow[]> {
      return (await db('login_throttle')
        .whereIn('key', keys)
        .select('key', 'failures', 'last_failure_at', 'blocked_until')) as ThrottleRow[]
    },

    /**
     * Counts one more failure for the key in one statement (several processes may count at once); the count starts
     * again at 1 when the last failure is older than `windowStart`. Returns the new count.
     */
    async addFailure(key: string, scope: 'pair' | 'account', now: Date, windowStart: Date): Promise<number> {
      const result = await db.raw<{ rows: Array<{ failures: number }> }>(
        `INSERT INTO login_throttle (key, scope, failures, last_failure_at) VALUES (?, ?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN login_throttle.last_failure_at < ? THEN 1 ELSE login_throttle.failures + 1 END,
           last_failure_at = excluded.last_failure_at
         RETURNING failures`,
        [key, scope, now, windowStart],
      )
      return Number(result.rows[0]!.failures)
    },

    async block(key: string, until: Date): Promise<void> {
      await db('login_throttle').where({ key }).update({ blocked_until: until })
    },

    async clear(key: string): Promise<void> {
      await db('login_throttle').where({ key }).delete()
    },

    /** Forgets counts whose last failure is older than `before` and that block nothing any more. */
    async purge(before: Date, now: Date): Promise<void> {
      await db('login_throttle')
        .where('last_failure_at', '<', before)
        .andWhere((q) => q.whereNull('blocked_until').orWhere('blocked_until', '<', now))
        .delete()
    },
  }
}

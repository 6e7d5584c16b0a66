// The engine event log for an engine whose events are polled (Zeebe): each record names the event it
// holds (source_key), so a record polled again — by a later poll, another motcua process, or after a
// restart — is not appended twice; and where each poller got to, so a restart reads on from there.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE engine_events ADD COLUMN source_key text;
    CREATE UNIQUE INDEX engine_events_source_key_idx ON engine_events (source_key) WHERE source_key IS NOT NULL;
    CREATE TABLE engine_event_watermarks (
      name text PRIMARY KEY,
      watermark timestamptz NOT NULL
    );
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS engine_event_watermarks;
    DROP INDEX IF EXISTS engine_events_source_key_idx;
    ALTER TABLE engine_events DROP COLUMN IF EXISTS source_key;
  `)
}

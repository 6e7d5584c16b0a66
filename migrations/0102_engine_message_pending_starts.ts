// Instances a published message still owes to message start events (one row per process), written in
// the publishing transaction and deleted by the step that starts the instance, so a crash in between is
// finished by the engine's recovery sweep.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine_message_pending_starts (
      message_key bigint NOT NULL,
      bpmn_process_id text NOT NULL,
      name text NOT NULL,
      correlation_key text NOT NULL,
      variables jsonb NOT NULL DEFAULT '{}',
      buffered boolean NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (message_key, bpmn_process_id)
    );
    CREATE INDEX engine_mpending_starts_created_idx ON engine_message_pending_starts (created_at);
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS engine_message_pending_starts')
}

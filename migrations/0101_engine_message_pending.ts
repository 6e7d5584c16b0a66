// Correlations a published message still owes to instances that were waiting when it was published.
// Written in the publishing transaction, deleted by the step that correlates (or finds nothing to do),
// so a crash between the two is finished by the engine's recovery sweep.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine_message_pending (
      message_key bigint NOT NULL,
      process_instance_key bigint NOT NULL,
      name text NOT NULL,
      correlation_key text NOT NULL,
      variables jsonb NOT NULL DEFAULT '{}',
      buffered boolean NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (message_key, process_instance_key)
    );
    CREATE INDEX engine_mpending_created_idx ON engine_message_pending (created_at);
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS engine_message_pending')
}

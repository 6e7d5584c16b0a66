// DMN decisions deployed to the embedded engine: each decision requirements graph (one .dmn resource) is stored
// with its XML and a version per DRG id; each decision in it gets its own version per decision id (as in Zeebe),
// its version tag (zeebe:versionTag) and the deployment it came with (binding type `deployment`).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine_decision_requirements (
      key bigint PRIMARY KEY,
      drg_id text NOT NULL,
      name text,
      version int NOT NULL,
      resource_name text NOT NULL,
      checksum text NOT NULL,
      xml text NOT NULL,
      deployment_key bigint NOT NULL REFERENCES engine_deployments(key),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (drg_id, version)
    );
    CREATE TABLE engine_decisions (
      key bigint PRIMARY KEY,
      decision_id text NOT NULL,
      name text,
      version int NOT NULL,
      version_tag text,
      drg_key bigint NOT NULL REFERENCES engine_decision_requirements(key),
      deployment_key bigint NOT NULL REFERENCES engine_deployments(key),
      UNIQUE (decision_id, version)
    );
    CREATE INDEX engine_decisions_deployment_idx ON engine_decisions (deployment_key, decision_id);
    CREATE INDEX engine_decisions_tag_idx ON engine_decisions (decision_id, version_tag);
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS engine_decisions;
    DROP TABLE IF EXISTS engine_decision_requirements;
  `)
}

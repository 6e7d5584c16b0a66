// Tables of the embedded workflow engine: every piece of process state is a row here, nothing lives in memory.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- Keys are handed out in blocks of 100 so a step rarely needs a round trip for a key.
    CREATE SEQUENCE engine_key_seq INCREMENT BY 100 START WITH 2251799813685249;

    CREATE TABLE engine_deployments (
      key bigint PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE engine_process_definitions (
      key bigint PRIMARY KEY,
      bpmn_process_id text NOT NULL,
      version int NOT NULL,
      resource_name text NOT NULL,
      checksum text NOT NULL,
      xml text NOT NULL,
      deployment_key bigint NOT NULL REFERENCES engine_deployments(key),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (bpmn_process_id, version)
    );

    -- The root scope of an instance: its variables live in this row, join tokens of the root scope in data.
    CREATE TABLE engine_process_instances (
      key bigint PRIMARY KEY,
      definition_key bigint NOT NULL,
      bpmn_process_id text NOT NULL,
      version int NOT NULL,
      state text NOT NULL,
      variables jsonb NOT NULL DEFAULT '{}',
      data jsonb NOT NULL DEFAULT '{}',
      parent_process_instance_key bigint,
      parent_element_instance_key bigint,
      created_at timestamptz NOT NULL,
      ended_at timestamptz
    );
    CREATE INDEX engine_pi_parent_idx ON engine_process_instances (parent_process_instance_key) WHERE parent_process_instance_key IS NOT NULL;
    CREATE INDEX engine_pi_active_idx ON engine_process_instances (bpmn_process_id) WHERE state = 'ACTIVE';

    -- Only element instances still active are kept; history goes to engine_events.
    CREATE TABLE engine_element_instances (
      key bigint PRIMARY KEY,
      process_instance_key bigint NOT NULL,
      scope_key bigint NOT NULL,
      element_id text NOT NULL,
      element_type text NOT NULL,
      state text NOT NULL,
      variables jsonb NOT NULL DEFAULT '{}',
      data jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL
    );
    CREATE INDEX engine_ei_instance_idx ON engine_element_instances (process_instance_key);

    CREATE TABLE engine_jobs (
      key bigint PRIMARY KEY,
      type text NOT NULL,
      -- ACTIVATABLE, ACTIVATED, or FAILED (an incident is open and it waits for an operator).
      state text NOT NULL,
      -- When the job may next be handed out: creation/back-off time, or the lock deadline once activated.
      due_at timestamptz NOT NULL,
      retries int NOT NULL,
      worker text,
      process_instance_key bigint NOT NULL,
      element_instance_key bigint NOT NULL,
      element_id text NOT NULL,
      bpmn_process_id text NOT NULL,
      definition_key bigint NOT NULL,
      version int NOT NULL,
      custom_headers jsonb NOT NULL DEFAULT '{}',
      error_message text,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX engine_jobs_activatable_idx ON engine_jobs (type, due_at) WHERE state IN ('ACTIVATABLE', 'ACTIVATED');
    CREATE INDEX engine_jobs_element_idx ON engine_jobs (element_instance_key);

    CREATE TABLE engine_timers (
      key bigint PRIMARY KEY,
      due_at timestamptz NOT NULL,
      -- Null for a timer start event (no instance yet).
      process_instance_key bigint,
      -- The element instance the timer belongs to (catch event, activity with a boundary, gateway, or scope).
      element_instance_key bigint,
      -- The timer event's element id.
      element_id text NOT NULL,
      definition_key bigint NOT NULL,
      -- Remaining repetitions (-1 = unbounded) and the cycle interval, for cycles.
      repetitions int NOT NULL DEFAULT 1,
      interval text
    );
    CREATE INDEX engine_timers_due_idx ON engine_timers (due_at);
    CREATE INDEX engine_timers_element_idx ON engine_timers (element_instance_key);

    CREATE TABLE engine_message_subscriptions (
      key bigint PRIMARY KEY,
      message_name text NOT NULL,
      correlation_key text NOT NULL,
      process_instance_key bigint NOT NULL,
      element_instance_key bigint NOT NULL,
      element_id text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX engine_msub_lookup_idx ON engine_message_subscriptions (message_name, correlation_key);
    CREATE INDEX engine_msub_element_idx ON engine_message_subscriptions (element_instance_key);

    -- Message start events of the latest version of each process.
    CREATE TABLE engine_message_start_subscriptions (
      message_name text NOT NULL,
      bpmn_process_id text NOT NULL,
      definition_key bigint NOT NULL,
      element_id text NOT NULL,
      PRIMARY KEY (message_name, bpmn_process_id)
    );

    -- Buffered messages (TTL > 0) until they expire.
    CREATE TABLE engine_messages (
      key bigint PRIMARY KEY,
      name text NOT NULL,
      correlation_key text NOT NULL,
      message_id text,
      variables jsonb NOT NULL DEFAULT '{}',
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX engine_messages_lookup_idx ON engine_messages (name, correlation_key);
    CREATE INDEX engine_messages_expiry_idx ON engine_messages (expires_at);
    CREATE UNIQUE INDEX engine_messages_id_idx ON engine_messages (name, message_id) WHERE message_id IS NOT NULL;

    -- Which instances a buffered message already went to: a message correlates once per instance.
    CREATE TABLE engine_message_correlations (
      message_key bigint NOT NULL,
      process_instance_key bigint NOT NULL,
      PRIMARY KEY (message_key, process_instance_key)
    );
    CREATE INDEX engine_mcorr_instance_idx ON engine_message_correlations (process_instance_key);

    -- One active instance per (process, correlation key) started by a message start event.
    CREATE TABLE engine_message_start_locks (
      bpmn_process_id text NOT NULL,
      correlation_key text NOT NULL,
      process_instance_key bigint NOT NULL,
      PRIMARY KEY (bpmn_process_id, correlation_key)
    );
    CREATE INDEX engine_mslock_instance_idx ON engine_message_start_locks (process_instance_key);

    CREATE TABLE engine_user_tasks (
      key bigint PRIMARY KEY,
      name text NOT NULL,
      element_id text NOT NULL,
      element_instance_key bigint NOT NULL,
      process_instance_key bigint NOT NULL,
      definition_key bigint NOT NULL,
      bpmn_process_id text NOT NULL,
      state text NOT NULL,
      assignee text,
      candidate_groups text[] NOT NULL DEFAULT '{}',
      candidate_users text[] NOT NULL DEFAULT '{}',
      due_date timestamptz,
      follow_up_date timestamptz,
      form_key text,
      custom_headers jsonb NOT NULL DEFAULT '{}',
      priority int NOT NULL DEFAULT 50,
      created_at timestamptz NOT NULL,
      completed_at timestamptz
    );
    CREATE INDEX engine_ut_instance_idx ON engine_user_tasks (process_instance_key);
    CREATE INDEX engine_ut_open_idx ON engine_user_tasks (created_at) WHERE state = 'CREATED';
    CREATE INDEX engine_ut_groups_idx ON engine_user_tasks USING gin (candidate_groups) WHERE state = 'CREATED';

    CREATE TABLE engine_incidents (
      key bigint PRIMARY KEY,
      process_instance_key bigint NOT NULL,
      element_id text NOT NULL,
      element_instance_key bigint NOT NULL,
      job_key bigint,
      error_type text NOT NULL,
      error_message text NOT NULL,
      state text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX engine_incidents_instance_idx ON engine_incidents (process_instance_key) WHERE state = 'ACTIVE';

    -- Outbox of engine events, written in the step's transaction: one row per step, events in order.
    CREATE TABLE engine_events (
      id bigserial PRIMARY KEY,
      process_instance_key bigint NOT NULL,
      events jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS engine_events, engine_incidents, engine_user_tasks, engine_message_start_locks,
      engine_message_correlations, engine_messages, engine_message_start_subscriptions,
      engine_message_subscriptions, engine_timers, engine_jobs, engine_element_instances,
      engine_process_instances, engine_process_definitions, engine_deployments;
    DROP SEQUENCE IF EXISTS engine_key_seq;
  `)
}

// Dossiers and their read model: the dossier row, its timeline, gap-free code counters, officers' tasks, attachments,
// and pending engine calls.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dossiers', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    // Assigned at acceptance (the code carries the receipt date, Thông tư 01/2018 Điều 19).
    t.text('code').unique()
    t.uuid('procedure_id').notNullable().references('procedures.id')
    // The form and process version the dossier was submitted with; it stays on it.
    t.uuid('procedure_version_id').notNullable().references('procedure_versions.id')
    t.text('procedure_code').notNullable()
    t.text('procedure_slug').notNullable()
    t.text('procedure_name').notNullable()
    t.text('agency_unit_id').notNullable().references('units.id')
    t.text('unit_path').notNullable()
    t.uuid('applicant_id').references('users.id')
    t.text('applicant_name').notNullable()
    t.text('applicant_id_number')
    t.text('applicant_email')
    t.text('applicant_phone')
    t.uuid('submitted_by').references('users.id')
    t.text('channel').notNullable().checkIn(['online', 'counter'])
    t.text('delivery_method').notNullable().checkIn(['online', 'counter', 'post'])
    t.jsonb('form_data').notNullable().defaultTo('{}')
    t.smallint('status').notNullable()
    t.timestamp('submitted_at', { useTz: true }).notNullable()
    t.timestamp('accepted_at', { useTz: true })
    t.date('receipt_date')
    t.date('due_date')
    t.timestamp('due_at', { useTz: true })
    // R9: statistics judge against the due date before any extension.
    t.date('original_due_date')
    t.timestamp('original_due_at', { useTz: true })
    // The events computeDeadline replays (supplements, suspensions, extension, hand-offs, result).
    t.jsonb('deadline_events').notNullable().defaultTo('[]')
    t.boolean('paused').notNullable().defaultTo(false)
    t.boolean('suspended').notNullable().defaultTo(false)
    t.timestamp('paused_since', { useTz: true })
    t.integer('supplement_count').notNullable().defaultTo(0)
    t.text('supplement_stage')
    t.timestamp('supplement_due_at', { useTz: true })
    t.jsonb('supplement_request')
    t.timestamp('extended_at', { useTz: true })
    t.text('extension_reason')
    t.bigInteger('payment_amount_vnd')
    t.text('current_step')
    t.text('current_step_name')
    t.text('current_unit_role')
    t.text('current_assignee')
    t.timestamp('holder_since', { useTz: true })
    t.timestamp('step_due_at', { useTz: true })
    t.boolean('step_overdue').notNullable().defaultTo(false)
    t.timestamp('finished_at', { useTz: true })
    t.text('result').checkIn(['early', 'on_time', 'late'])
    t.text('result_no')
    t.timestamp('result_issued_at', { useTz: true })
    t.text('close_reason')
    t.boolean('overdue').notNullable().defaultTo(false)
    t.text('process_instance_key')
    // A retried submission with the same key returns the first dossier (per submitting account).
    t.uuid('idempotency_owner')
    t.text('idempotency_key')
    t.integer('version').notNullable().defaultTo(1)
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.unique(['idempotency_owner', 'idempotency_key'])
  })
  await knex.raw(`ALTER TABLE dossiers ADD CONSTRAINT dossiers_status_range CHECK (status BETWEEN 1 AND 10)`)
  await knex.raw('CREATE INDEX dossiers_applicant_idx ON dossiers (applicant_id, created_at DESC)')
  await knex.raw('CREATE INDEX dossiers_unit_due_idx ON dossiers (unit_path text_pattern_ops, due_at)')
  // The overdue sweep looks only at open dossiers not yet flagged.
  await knex.raw(
    'CREATE INDEX dossiers_overdue_sweep_idx ON dossiers (due_at) WHERE status IN (2, 4) AND overdue = false',
  )
  await knex.raw('CREATE INDEX dossiers_process_instance_idx ON dossiers (process_instance_key)')

  // The timeline; rows of kind 'step' are the Phiếu kiểm soát quá trình giải quyết hồ sơ.
  await knex.schema.createTable('dossier_events', (t) => {
    t.bigIncrements('id').primary()
    t.uuid('dossier_id').notNullable().references('dossiers.id')
    t.text('kind').notNullable()
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.uuid('actor_id')
    t.text('step_id')
    t.text('step_name')
    t.text('user_task_key')
    t.text('giver')
    t.text('receiver_unit_path')
    t.text('receiver_role')
    t.text('receiver_user')
    t.timestamp('step_due_at', { useTz: true })
    t.timestamp('finished_at', { useTz: true })
    t.text('step_result').checkIn(['early', 'on_time', 'late'])
    t.jsonb('data').notNullable().defaultTo('{}')
    t.index(['dossier_id', 'id'])
  })
  await knex.raw(
    `CREATE UNIQUE INDEX dossier_events_one_step_per_task ON dossier_events (user_task_key) WHERE kind = 'step'`,
  )

  await knex.schema.createTable('dossier_sequences', (t) => {
    t.text('agency_code').notNullable()
    t.date('day').notNullable()
    t.integer('last_value').notNullable()
    t.primary(['agency_code', 'day'])
  })

  await knex.schema.createTable('tasks', (t) => {
    t.text('user_task_key').primary()
    t.uuid('dossier_id').notNullable().references('dossiers.id')
    t.text('process_instance_key').notNullable()
    t.text('element_id').notNullable()
    t.text('name').notNullable()
    t.specificType('candidate_groups', 'text[]').notNullable().defaultTo('{}')
    t.text('unit_path').notNullable()
    t.text('assignee')
    t.timestamp('due_at', { useTz: true })
    t.text('state').notNullable().checkIn(['CREATED', 'COMPLETED', 'CANCELED'])
    t.jsonb('outcome')
    t.timestamp('created_at', { useTz: true }).notNullable()
    t.timestamp('completed_at', { useTz: true })
    t.index(['dossier_id'])
  })
  await knex.raw(
    `CREATE INDEX tasks_worklist_idx ON tasks (unit_path text_pattern_ops, due_at, user_task_key) WHERE state = 'CREATED'`,
  )
  await knex.raw(`CREATE INDEX tasks_groups_idx ON tasks USING gin (candidate_groups) WHERE state = 'CREATED'`)
  await knex.raw(`CREATE INDEX tasks_assignee_idx ON tasks (assignee, due_at) WHERE state = 'CREATED'`)

  await knex.schema.createTable('dossier_attachments', (t) => {
    t.bigIncrements('id').primary()
    t.uuid('dossier_id').notNullable().references('dossiers.id')
    t.text('component_id').notNullable()
    t.uuid('file_id').notNullable().references('files.id')
    t.text('reused_from_dossier_code')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['dossier_id', 'component_id'])
  })

  // Engine calls decided in a dossier transaction, executed by the relay after commit (and again
  // after a crash): the database change and the engine call can then never part ways.
  await knex.schema.createTable('engine_commands', (t) => {
    t.bigIncrements('id').primary()
    t.uuid('dossier_id').notNullable().references('dossiers.id')
    t.text('kind')
      .notNullable()
      .checkIn(['createInstance', 'completeTask', 'publishMessage', 'cancelInstance', 'assignTask'])
    t.jsonb('payload').notNullable()
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'done', 'failed'])
    t.integer('attempts').notNullable().defaultTo(0)
    t.timestamp('locked_until', { useTz: true })
    t.text('last_error')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('done_at', { useTz: true })
  })
  await knex.raw(`CREATE INDEX engine_commands_pending_idx ON engine_commands (id) WHERE status = 'pending'`)

  // Answers of jobs already handled, so a redelivered job gets the same answer without doing it twice.
  await knex.schema.createTable('dossier_jobs', (t) => {
    t.text('job_key').primary()
    t.text('job_type').notNullable()
    t.uuid('dossier_id')
    t.jsonb('output').notNullable().defaultTo('{}')
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'dossier_jobs',
    'engine_commands',
    'dossier_attachments',
    'tasks',
    'dossier_sequences',
    'dossier_events',
    'dossiers',
  ]) {
    await knex.schema.dropTableIfExists(table)
  }
}

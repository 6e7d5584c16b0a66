// A user task without <zeebe:userTask/> is a job of type io.camunda.zeebe:userTask (Zeebe's job worker
// implementation); the embedded engine also lists it as a user task, linked to its job by job_key.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('engine_user_tasks', (t) => {
    t.bigInteger('job_key')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('engine_user_tasks', (t) => {
    t.dropColumn('job_key')
  })
}

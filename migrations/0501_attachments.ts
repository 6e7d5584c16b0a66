// Uploaded files: one row per accepted upload; the bytes live in the blob store, content-addressed by SHA-256.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('files', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'))
    t.text('sha256').notNullable()
    t.bigInteger('size').notNullable()
    // Sniffed from the content, never taken from the name or the declared type.
    t.text('mime').notNullable()
    t.text('original_name').notNullable()
    // Several rows may share one key: the same content uploaded twice is stored once.
    t.text('storage_key').notNullable()
    t.uuid('created_by').references('users.id').onDelete('SET NULL')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['sha256'])
    t.index(['storage_key'])
    t.index(['created_by', 'created_at'])
  })
  await knex.raw(`ALTER TABLE files ADD CONSTRAINT files_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                                    ADD CONSTRAINT files_size_nonnegative CHECK (size >= 0)`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('files')
}

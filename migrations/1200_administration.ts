// Administration (issue #19): units that close and move with their history kept, officer accounts that are disabled
// (never deleted) and carry a signing-certificate reference, and the catalogue of groups (the candidate groups that
// BPMN user tasks name), with the groups the reference workflows and the demo accounts use.
import type { Knex } from 'knex'

/** The groups the reference workflows (workflows/*.bpmn) and the demo accounts name. */
const referenceGroups: Array<[code: string, name: string, nameEn: string]> = [
  ['mot-cua', 'Bộ phận một cửa', 'One-stop counter'],
  ['lanh-dao', 'Lãnh đạo', 'Leadership'],
  ['lanh-dao-xa', 'Lãnh đạo UBND xã', 'Commune leadership'],
  ['lanh-dao-ubnd', 'Lãnh đạo UBND (ký duyệt)', 'People’s Committee leadership (signing)'],
  ['lanh-dao-phong', 'Lãnh đạo phòng chuyên môn', 'Head of office'],
  ['tu-phap-ho-tich', 'Công chức tư pháp – hộ tịch', 'Justice and civil status officer'],
  ['xac-minh-lien-xa', 'Xác minh liên xã', 'Inter-commune verification'],
  ['kinh-te-ha-tang-do-thi', 'Kinh tế – hạ tầng – đô thị', 'Economy, infrastructure and urban affairs'],
  ['dang-ky-kinh-doanh', 'Đăng ký kinh doanh', 'Business registration'],
  ['co-quan-phoi-hop', 'Cơ quan phối hợp', 'Consulted agency'],
  ['cong-an-cu-tru', 'Công an – cư trú', 'Police – residence'],
  ['bhxh-the-bhyt', 'BHXH – thẻ bảo hiểm y tế', 'Social insurance – health card'],
  ['nghiep-vu', 'Nghiệp vụ (thiết kế quy trình)', 'Process design'],
  ['quan-tri', 'Quản trị hệ thống', 'System administration'],
]

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('units', (t) => {
    // A closed unit stays (dossiers, tasks and reports point at it) but takes no new units or accounts.
    t.timestamp('closed_at', { useTz: true })
  })
  // Every change of a unit (created, changed, moved, closed) with what it was before: the organisation's history.
  await knex.schema.createTable('unit_history', (t) => {
    t.bigIncrements('id').primary()
    t.text('unit_id').notNullable().references('units.id')
    t.text('change').notNullable().checkIn(['created', 'changed', 'moved', 'closed'])
    t.jsonb('before')
    t.jsonb('after').notNullable()
    t.text('reason')
    t.uuid('actor_id')
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['unit_id', 'id'])
  })
  await knex.schema.alterTable('users', (t) => {
    // A disabled account cannot log in or refresh; it is kept, because tasks, dossiers and the audit log name it.
    t.timestamp('disabled_at', { useTz: true })
    // Where the officer's signing certificate is (a token serial, a PKCS#12 name, a remote-signing key id): a
    // reference only, the signer port resolves it.
    t.text('signing_certificate_ref')
  })
  await knex.schema.createTable('staff_groups', (t) => {
    // The candidate-group code a BPMN user task names (candidateGroups="mot-cua").
    t.text('code').primary()
    t.text('name').notNullable()
    t.text('name_en')
    t.text('description')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  await knex.raw(
    `ALTER TABLE staff_groups ADD CONSTRAINT staff_groups_code_check CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,62}$')`,
  )
  await knex('staff_groups').insert(referenceGroups.map(([code, name, nameEn]) => ({ code, name, name_en: nameEn })))
  await knex.raw('CREATE INDEX audit_events_action_idx ON audit_events (action, id)')
  await knex.raw('CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id)')
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS audit_events_actor_idx')
  await knex.raw('DROP INDEX IF EXISTS audit_events_action_idx')
  await knex.schema.dropTable('staff_groups')
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('signing_certificate_ref')
    t.dropColumn('disabled_at')
  })
  await knex.schema.dropTable('unit_history')
  await knex.schema.alterTable('units', (t) => {
    t.dropColumn('closed_at')
  })
}

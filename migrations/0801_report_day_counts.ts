// Pre-aggregated report facts (issue #8): accepted dossiers counted per unit, procedure, channel, receipt day, finish
// day and outcome, kept by a trigger in the transaction of every change to a dossier; and the overdue list's index read
// per unit path.
import type { Knex } from 'knex'

/**
 * How one dossier stands for the reports, as src/domain/statistics/facts.ts judges it (R9, R10): the columns a period's
 * standing is decided from. Days are civil dates at UTC+7 (Vietnam has kept it since 1975, as civil-time.ts assumes);
 * the receipt day falls back exactly as the report facts query does. 'infinity' stands for "not finished" and "no due".
 */
const reportKey = `
CREATE FUNCTION report_day_key(d dossiers) RETURNS TABLE (
  unit_path text, agency_unit_id text, procedure_id uuid, channel text, receipt_day date, finish_day date,
  outcome text, paused_open boolean, overdue_day date, due_instant boolean
) LANGUAGE sql STABLE AS $$
  WITH due AS (
    SELECT coalesce(d.original_due_date, d.due_date) AS day_col, coalesce(d.original_due_at, d.due_at) AS at_col
  ), judged AS (
    -- A due stored at 23:59 or later is a day due (dueFromColumns); any other instant is judged to the minute.
    SELECT day_col IS NOT NULL OR at_col IS NOT NULL AS has_due,
           at_col IS NOT NULL AND ((at_col AT TIME ZONE 'UTC') + interval '7 hours')::time < time '23:59' AS instant,
           coalesce(day_col, ((at_col AT TIME ZONE 'UTC') + interval '7 hours')::date) AS day,
           ((at_col AT TIME ZONE 'UTC') + interval '7 hours')::date AS at_day,
           at_col
      FROM due
  ), finish AS (
    SELECT ((d.finished_at AT TIME ZONE 'UTC') + interval '7 hours')::date AS day
  )
  SELECT d.unit_path, d.agency_unit_id, d.procedure_id, d.channel,
         coalesce(d.receipt_date, (d.accepted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),
         coalesce(finish.day, 'infinity'::date),
         CASE
           WHEN d.finished_at IS NULL THEN ''
           WHEN d.status NOT IN (9, 10) THEN 'closed'
           WHEN NOT j.has_due THEN 'on_time'
           WHEN j.instant THEN CASE
             WHEN date_trunc('minute', d.finished_at AT TIME ZONE 'UTC') < date_trunc('minute', j.at_col AT TIME ZONE 'UTC') THEN 'early'
             WHEN date_trunc('minute', d.finished_at AT TIME ZONE 'UTC') = date_trunc('minute', j.at_col AT TIME ZONE 'UTC') THEN 'on_time'
             ELSE 'late' END
           ELSE CASE WHEN finish.day < j.day THEN 'early' WHEN finish.day = j.day THEN 'on_time' ELSE 'late' END
         END,
         d.paused AND d.finished_at IS NULL,
         -- The first day on which it is overdue while in progress: the day after a day due, the day of an instant due
         -- (from the minute after it: the report settles that day to the minute from the dossiers themselves).
         CASE WHEN NOT j.has_due THEN 'infinity'::date WHEN j.instant THEN j.at_day ELSE j.day + 1 END,
         j.has_due AND j.instant
    FROM judged j, finish
   WHERE d.accepted_at IS NOT NULL
$$`

const keyColumns =
  'unit_path, agency_unit_id, procedure_id, channel, receipt_day, finish_day, outcome, paused_open, overdue_day, due_instant'

const keys = keyColumns.split(', ')
const maintain = `
CREATE FUNCTION report_day_counts_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_key record;
  new_key record;
  had boolean := false;
  has boolean := false;
BEGIN
  IF TG_OP <> 'INSERT' THEN SELECT * INTO old_key FROM report_day_key(OLD); had := FOUND; END IF;
  IF TG_OP <> 'DELETE' THEN SELECT * INTO new_key FROM report_day_key(NEW); has := FOUND; END IF;
  -- Nested: a record not yet assigned cannot even be planned into an expression.
  IF had AND has THEN
    IF (${keys.map((k) => `old_key.${k}`).join(', ')}) = (${keys.map((k) => `new_key.${k}`).join(', ')}) THEN RETURN NULL; END IF;
  END IF;
  IF had THEN
    UPDATE report_day_counts c SET n = c.n - 1 WHERE (${keys.map((k) => `c.${k}`).join(', ')}) = (${keys.map((k) => `old_key.${k}`).join(', ')});
  END IF;
  IF has THEN
    INSERT INTO report_day_counts (${keyColumns}, n) VALUES (${keys.map((k) => `new_key.${k}`).join(', ')}, 1)
    ON CONFLICT (${keyColumns}) DO UPDATE SET n = report_day_counts.n + 1;
  END IF;
  RETURN NULL;
END
$$`

// Only a change to a column the key reads can move a dossier between counts.
const watched = [
  'accepted_at',
  'receipt_date',
  'finished_at',
  'status',
  'paused',
  'original_due_date',
  'due_date',
  'original_due_at',
  'due_at',
  'channel',
  'unit_path',
  'agency_unit_id',
  'procedure_id',
]

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_day_counts', (t) => {
    t.text('unit_path').notNullable()
    t.text('agency_unit_id').notNullable()
    t.uuid('procedure_id').notNullable()
    t.text('channel').notNullable()
    t.date('receipt_day').notNullable()
    t.date('finish_day').notNullable()
    t.text('outcome').notNullable()
    t.boolean('paused_open').notNullable()
    t.date('overdue_day').notNullable()
    t.boolean('due_instant').notNullable()
    t.integer('n').notNullable()
    t.primary(keys)
  })
  // A period reads the rows received by its end and not finished before its start. Not covering `n`: an increment
  // then changes no indexed column and can stay on its page (a HOT update), which keeps the table from bloating.
  await knex.raw('CREATE INDEX report_day_counts_period_idx ON report_day_counts (receipt_day, finish_day)')
  await knex.raw(reportKey)
  await knex.raw(maintain)
  await knex.raw(
    `CREATE TRIGGER dossiers_report_day_counts AFTER INSERT OR DELETE ON dossiers FOR EACH ROW EXECUTE FUNCTION report_day_counts_maintain()`,
  )
  await knex.raw(`CREATE TRIGGER dossiers_report_day_counts_update AFTER UPDATE ON dossiers FOR EACH ROW
    WHEN (${watched.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')}) EXECUTE FUNCTION report_day_counts_maintain()`)
  await knex.raw(`INSERT INTO report_day_counts (${keyColumns}, n)
    SELECT ${keys.map((k) => `k.${k}`).join(', ')}, count(*) FROM dossiers d, LATERAL report_day_key(d) k GROUP BY ${keys.map((k) => `k.${k}`).join(', ')}`)

  // In progress at a period's end with an instant due on the day it is seen: settled to the minute from the dossiers.
  await knex.raw(
    `CREATE INDEX dossiers_judged_due_idx ON dossiers ((coalesce(original_due_at, due_at))) WHERE accepted_at IS NOT NULL`,
  )
  // The overdue list reads each unit path of the subtree in due order and merges them (as the worklist does).
  await knex.raw(`CREATE INDEX dossiers_overdue_path_idx ON dossiers ((unit_path COLLATE "C"), (coalesce(original_due_at, due_at)), id)
    WHERE finished_at IS NULL AND accepted_at IS NOT NULL AND paused = false`)
  await knex.raw('DROP INDEX IF EXISTS dossiers_supervision_open_idx')
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX IF NOT EXISTS dossiers_supervision_open_idx ON dossiers (unit_path text_pattern_ops, (coalesce(original_due_at, due_at)), id)
    WHERE finished_at IS NULL AND accepted_at IS NOT NULL AND paused = false`)
  await knex.raw('DROP INDEX IF EXISTS dossiers_overdue_path_idx')
  await knex.raw('DROP INDEX IF EXISTS dossiers_judged_due_idx')
  await knex.raw('DROP TRIGGER IF EXISTS dossiers_report_day_counts_update ON dossiers')
  await knex.raw('DROP TRIGGER IF EXISTS dossiers_report_day_counts ON dossiers')
  await knex.raw('DROP FUNCTION IF EXISTS report_day_counts_maintain()')
  await knex.raw('DROP FUNCTION IF EXISTS report_day_key(dossiers)')
  await knex.schema.dropTableIfExists('report_day_counts')
}

// SQL the dossier job workers need besides the dossier repository: jobs done (once per job key), instance adoption,
// lookups, who hears about a late dossier.
import type { Knex } from 'knex'
import type { Variables } from '../engine/port.js'
import type { Db, DossierRow } from './repository.js'

/** Someone notified by mail about a dossier, with the unit they belong to. */
export interface Recipient {
  id: string
  full_name: string
  email: string
  path: string
  unit_name: string
}

export function dossierJobRepository(db: Db) {
  return {
    /** The output a job already produced, if it ran before (the engine delivers a job at least once). */
    async outputOf(jobKey: string): Promise<Variables | undefined> {
      const done = (await db('dossier_jobs').where({ job_key: jobKey }).first('output')) as
        { output: Variables } | undefined
      return done?.output
    },

    /** Records a job as done with its output, in the transaction that made its changes. */
    async recordDone(job: { key: string; type: string }, dossierId: string, output: Variables): Promise<void> {
      await db('dossier_jobs').insert({
        job_key: job.key,
        job_type: job.type,
        dossier_id: dossierId,
        output: JSON.stringify(output),
      })
    },

    /**
     * Stores the instance as the dossier's when the dossier has none yet (the relay died between creating it and
     * storing its key). Returns the dossier's instance key after that; undefined when there is no such dossier.
     */
    async adoptInstance(dossierId: string, processInstanceKey: string): Promise<string | null | undefined> {
      const adopted = await db('dossiers')
        .where({ id: dossierId })
        .whereNull('process_instance_key')
        .update({ process_instance_key: processInstanceKey })
      if (adopted) return processInstanceKey
      const row = (await db('dossiers').where({ id: dossierId }).first('process_instance_key')) as
        { process_instance_key: string | null } | undefined
      return row?.process_instance_key
    },

    /** The version number of a procedure version (the form's schema is named by it). */
    async procedureVersionNumber(procedureVersionId: string): Promise<number> {
      const row = (await db('procedure_versions').where({ id: procedureVersionId }).first('version')) as {
        version: number
      }
      return row.version
    },

    /** The components a dossier has files for. */
    async attachedComponents(dossierId: string): Promise<Set<string>> {
      const rows = (await db('dossier_attachments').where({ dossier_id: dossierId }).select('component_id')) as Array<{
        component_id: string
      }>
      return new Set(rows.map((r) => r.component_id))
    },

    /** The agency's code (the prefix of its dossier codes) and name. */
    async agencyOf(unitId: string): Promise<{ agency_code: string; name: string }> {
      return (await db('units').where({ id: unitId }).first('agency_code', 'name')) as {
        agency_code: string
        name: string
      }
    },

    /** Officers of the dossier's agency in a group, and the supervisors above it: who hears about a late dossier. */
    async escalationRecipients(
      dossier: Pick<DossierRow, 'current_assignee' | 'unit_path'>,
      group: string | null,
    ): Promise<{ officers: Recipient[]; supervisors: Recipient[] }> {
      const base = (): Knex.QueryBuilder =>
        db('users as u')
          .join('units as n', 'n.id', 'u.unit_id')
          .whereNotNull('u.email')
          .select('u.id', 'u.full_name', 'u.email', 'n.path', 'n.name as unit_name')
      const officers = dossier.current_assignee
        ? ((await base().where('u.id', dossier.current_assignee)) as Recipient[])
        : group
          ? ((await base()
              .where('u.kind', 'officer')
              .andWhereRaw("? LIKE n.path || '%'", [dossier.unit_path])
              .andWhereRaw('? = ANY(u.groups)', [group])) as Recipient[])
          : []
      // Supervisors whose unit is the agency or above it.
      const supervisors = (await base()
        .where('u.kind', 'supervisor')
        .andWhereRaw("? LIKE n.path || '%'", [dossier.unit_path])) as Recipient[]
      return { officers, supervisors }
    },
  }
}

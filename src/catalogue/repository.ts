// SQL of the procedure catalogue: procedures and their versions.
import type { Knex } from 'knex'
import type { DecisionResource } from './decisions.js'
import type { ProcedureDefinition } from './definition.js'
import { searchPatterns } from './search-text.js'

export interface ProcedureRow {
  id: string
  code: string
  slug: string
  name: string
  field: string
  agency_level: string
  agency: string
  online_level: string
  search_text: string
  published_version: number | null
}

export interface VersionRow {
  id: string
  procedure_id: string
  version: number
  status: 'draft' | 'published'
  definition: ProcedureDefinition
  bpmn_xml: string
  /** The DMN decisions deployed with the BPMN (jsonb). */
  decisions: DecisionResource[]
  checksum: string
  bpmn_process_id: string
  process_definition_key: string | null
  process_definition_version: number | null
  published_at: Date | null
  published_by: string | null
}

export interface ProcedureFilter {
  /** Free text; folded, every word must match a word prefix. */
  q?: string
  field?: string
  agency?: string
  agencyLevel?: string
  onlineLevel?: string
  /** Include procedures never published (analysts). */
  includeUnpublished?: boolean
  limit?: number
  offset?: number
}

export function catalogueRepository(db: Knex | Knex.Transaction) {
  return {
    procedureBySlug: (slug: string) => db<ProcedureRow>('procedures').where({ slug }).first(),
    procedureByCode: (code: string) => db<ProcedureRow>('procedures').where({ code }).first(),

    async insertProcedure(row: Omit<ProcedureRow, 'id' | 'published_version'>): Promise<ProcedureRow> {
      const [created] = await db('procedures').insert(row).returning('*')
      return created as ProcedureRow
    },
    async updateProcedure(id: string, patch: Partial<Omit<ProcedureRow, 'id'>>): Promise<void> {
      await db('procedures')
        .where({ id })
        .update({ ...patch, updated_at: db.fn.now() })
    },

    /** Removes a draft version; a procedure left without any version (a new one never published) goes with it. */
    async deleteDraft(procedureId: string, versionId: string): Promise<{ procedureRemoved: boolean }> {
      await db('procedure_versions').where({ id: versionId, status: 'draft' }).delete()
      const left = await db('procedure_versions').where({ procedure_id: procedureId }).first('id')
      if (left) return { procedureRemoved: false }
      await db('procedures').where({ id: procedureId }).delete()
      return { procedureRemoved: true }
    },

    draftOf: (procedureId: string) =>
      db<VersionRow>('procedure_versions').where({ procedure_id: procedureId, status: 'draft' }).first(),
    version: (procedureId: string, version: number) =>
      db<VersionRow>('procedure_versions').where({ procedure_id: procedureId, version }).first(),
    versions: (procedureId: string) =>
      db<VersionRow>('procedure_versions').where({ procedure_id: procedureId }).orderBy('version', 'desc'),
    latestVersion: (procedureId: string) =>
      db<VersionRow>('procedure_versions').where({ procedure_id: procedureId }).orderBy('version', 'desc').first(),

    async insertVersion(
      row: Omit<
        VersionRow,
        'id' | 'process_definition_key' | 'process_definition_version' | 'published_at' | 'published_by'
      > & { created_by?: string | null },
    ): Promise<VersionRow> {
      const [created] = await db('procedure_versions')
        .insert({ ...row, definition: JSON.stringify(row.definition), decisions: JSON.stringify(row.decisions) })
        .returning('*')
      return created as VersionRow
    },
    async updateDraft(
      id: string,
      patch: {
        definition?: ProcedureDefinition
        bpmn_xml?: string
        decisions?: DecisionResource[]
        checksum: string
        bpmn_process_id?: string
      },
    ): Promise<void> {
      const { definition, decisions, ...rest } = patch
      await db('procedure_versions')
        .where({ id, status: 'draft' })
        .update({
          ...rest,
          ...(definition ? { definition: JSON.stringify(definition) } : {}),
          ...(decisions ? { decisions: JSON.stringify(decisions) } : {}),
          updated_at: db.fn.now(),
        })
    },
    async markPublished(
      id: string,
      p: { processDefinitionKey: string; processDefinitionVersion: number; publishedBy: string | null },
    ): Promise<void> {
      await db('procedure_versions').where({ id, status: 'draft' }).update({
        status: 'published',
        process_definition_key: p.processDefinitionKey,
        process_definition_version: p.processDefinitionVersion,
        published_at: db.fn.now(),
        published_by: p.publishedBy,
        updated_at: db.fn.now(),
      })
    },

    /** The published duration and fees of these procedures, in one query (a search page's hits). */
    publishedTerms: (slugs: string[]) =>
      db('procedures as p')
        .join('procedure_versions as v', (j) =>
          j.on('v.procedure_id', 'p.id').andOn('v.version', 'p.published_version'),
        )
        .whereIn('p.slug', slugs)
        .select(
          'p.slug',
          db.raw(`v.definition->>'duration' AS duration`),
          db.raw(`v.definition->'fees' AS fees`),
        ) as Promise<Array<{ slug: string; duration: string; fees: unknown[] }>>,

    /** A unit by id (a receiving agency: its path, level, agency code and name). */
    unitById: (id: string) =>
      db('units').where({ id }).first() as Promise<
        { id: string; path: string; level: string; agency_code: string | null; name: string } | undefined
      >,

    /** Whether there is a unit with this id. */
    hasUnit: async (id: string): Promise<boolean> => Boolean(await db('units').where({ id }).first('id')),

    /** The agencies at these levels (units with an agency code, which numbers their dossiers), by name. */
    agenciesAtLevels: (levels: readonly string[]) =>
      db('units')
        .whereIn('level', levels)
        .whereNotNull('agency_code')
        .orderBy('name')
        .select('id', 'name', 'name_en', 'agency_code') as Promise<
        Array<{ id: string; name: string; name_en: string | null; agency_code: string | null }>
      >,

    /**
     * The units a workflow step may name as its handling unit (`agency:<code>`, `unitChoices`): every unit with an
     * agency code except district-level ones (abolished on 1 July 2025; their rows stay as history), by name.
     */
    stepAgencies: () =>
      db('units')
        .whereNotNull('agency_code')
        .whereNot('level', 'district')
        .orderBy('name')
        .orderBy('agency_code')
        .select('id', 'name', 'name_en', 'level', 'agency_code') as Promise<
        Array<{ id: string; name: string; name_en: string | null; level: string; agency_code: string }>
      >,

    async list(filter: ProcedureFilter): Promise<{ items: ProcedureRow[]; total: number }> {
      const query = db<ProcedureRow>('procedures')
      if (!filter.includeUnpublished) query.whereNotNull('published_version')
      // ESCAPE is explicit: searchPatterns escapes % and _ with a backslash.
      for (const pattern of searchPatterns(filter.q ?? '')) query.whereRaw(`search_text LIKE ? ESCAPE '\\'`, [pattern])
      if (filter.field) query.where('field', filter.field)
      if (filter.agency) query.where('agency', filter.agency)
      if (filter.agencyLevel) query.where('agency_level', filter.agencyLevel)
      if (filter.onlineLevel) query.where('online_level', filter.onlineLevel)
      const [{ count }] = (await query.clone().count({ count: '*' })) as [{ count: string | number }]
      const items = await query
        .orderBy('name')
        .orderBy('code')
        .limit(Math.min(filter.limit ?? 20, 100))
        .offset(filter.offset ?? 0)
      return { items, total: Number(count) }
    },
  }
}

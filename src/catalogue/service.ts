// The procedure catalogue: analysts draft and publish versions (definition + BPMN, deployed through
// the engine port, all or nothing); citizens search and read published procedures.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { auditRepository } from '../db/audit-repository.js'
import { AppError } from '../errors.js'
import { DeployValidationError, type DeployProblem, type DeployResource, type Engine } from '../engine/port.js'
import { validateBpmn } from '../engine/validation/index.js'
import { parseResource } from '../engine/validation/xml.js'
import {
  formsDir,
  agencyCodesNamed,
  loadProcedureDefinition,
  withPropertyOrder,
  workflowsDir,
  type DefinitionProblem,
  type ProcedureDefinition,
} from './definition.js'
import { handlingUnitRepository } from '../dossiers/handling-unit-repository.js'
import { decisionDeployResources, decisionProblems, type DecisionResource } from './decisions.js'
import { diffProcedureVersions, type ProcedureDiff } from './diff.js'
import { forgetForm } from './form-validation.js'
import { unitLevelsFor } from './receiving-units.js'
import { catalogueRepository, type ProcedureFilter, type ProcedureRow, type VersionRow } from './repository.js'
import { searchDocument } from './search-text.js'

export type PublishResult =
  | { ok: true; slug: string; version: number; processDefinitionKey: string; processDefinitionVersion: number }
  | { ok: false; problems: DefinitionProblem[] }

export type DraftResult = { ok: true; slug: string; version: number } | { ok: false; problems: DefinitionProblem[] }

export interface ProcedureSummary {
  code: string
  slug: string
  name: string
  field: string
  agencyLevel: string
  agency: string
  onlineLevel: string
  publishedVersion: number | null
}

export interface ProcedureDetail extends ProcedureSummary {
  version: number
  status: 'draft' | 'published'
  definition: ProcedureDefinition
  processDefinitionKey: string | null
}

export interface CatalogueOptions {
  /** BPMN deploy validation; the default is src/engine/validation's validateBpmn. */
  validateBpmn?: (resources: DeployResource[]) => Promise<DeployProblem[]>
}

// Without these the draft cannot be stored as a catalogue row (they are its columns).
const filingPaths = new Set(['/', '/slug', '/code', '/name', '/field', '/agencyLevel', '/agency', '/onlineLevel'])

export interface VersionSummary {
  version: number
  status: 'draft' | 'published'
  createdAt: string
  publishedAt: string | null
  publishedBy: string | null
  processDefinitionKey: string | null
  processDefinitionVersion: number | null
}

export interface VersionDetail extends VersionSummary {
  slug: string
  definition: ProcedureDefinition
  bpmnXml: string
  /** The DMN decisions deployed with the BPMN (workflow.decisions). */
  decisions: DecisionResource[]
}

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null)

function versionSummary(row: VersionRow): VersionSummary {
  return {
    version: row.version,
    status: row.status,
    createdAt: iso((row as VersionRow & { created_at: Date }).created_at) ?? '',
    publishedAt: iso(row.published_at),
    publishedBy: row.published_by,
    processDefinitionKey: row.process_definition_key,
    processDefinitionVersion: row.process_definition_version,
  }
}

const checksum = (definition: unknown, bpmnXml: string, decisions: DecisionResource[] = []): string => {
  const hash = createHash('sha256').update(JSON.stringify(definition)).update('\u0000').update(bpmnXml)
  // Without decisions the checksum is what it was before procedures carried them (seeding stays idempotent).
  for (const d of decisions) hash.update('\u0000').update(d.name).update('\u0000').update(d.xml)
  return hash.digest('hex')
}

const deployResource = (slug: string, row: Pick<VersionRow, 'definition' | 'bpmn_xml'>): DeployResource => ({
  name: row.definition.workflow?.file ?? `${slug}.bpmn`,
  content: row.bpmn_xml,
})

const bpmnProblems = (problems: DeployProblem[]): DefinitionProblem[] =>
  problems
    .filter((p) => p.severity === 'error')
    .map((p) => ({ path: `bpmn:${p.elementId ?? p.resourceName}`, message: `${p.message} (${p.rule})` }))

/**
 * A draft may be incomplete, but not bytes no modeler writes: over the size limit, not UTF-8, a DOCTYPE (entity
 * expansion, external entities), not XML or nested past the limit. Those are refused before anything is stored.
 */
async function unsafeXml(bpmnXml: string): Promise<DefinitionProblem[]> {
  const parsed = await parseResource({ name: 'bpmnXml', content: bpmnXml })
  return parsed.ok ? [] : bpmnProblems(parsed.problems)
}

function summary(row: ProcedureRow): ProcedureSummary {
  return {
    code: row.code,
    slug: row.slug,
    name: row.name,
    field: row.field,
    agencyLevel: row.agency_level,
    agency: row.agency,
    onlineLevel: row.online_level,
    publishedVersion: row.published_version,
  }
}

function catalogueColumns(def: ProcedureDefinition) {
  return {
    code: def.code,
    slug: def.slug,
    name: def.name,
    field: def.field,
    agency_level: def.agencyLevel,
    agency: def.agency,
    online_level: def.onlineLevel,
    search_text: searchDocument(def.code, def.name, def.nameEn, def.field, def.agency, def.slug.replace(/-/g, ' ')),
  }
}

/** A search hit with what a citizen compares in a list: the published duration and fees. */
export interface ProcedureHit extends ProcedureSummary {
  duration?: string
  fees?: unknown[]
}

/** A unit that receives a procedure, for the applicant to choose. */
export interface ReceivingUnit {
  unitId: string
  name: string
  nameEn: string | null
  agencyCode: string | null
}

/** A unit a workflow step may be handled by, as the modeler offers it. */
export interface StepAgency {
  unitId: string
  agencyCode: string
  name: string
  nameEn: string | null
  level: string
}

export class CatalogueService {
  private readonly validate: (resources: DeployResource[]) => Promise<DeployProblem[]>

  constructor(
    private readonly knex: Knex,
    private readonly engine: Pick<Engine, 'deploy'>,
    opts: CatalogueOptions = {},
  ) {
    this.validate = opts.validateBpmn ?? ((resources) => validateBpmn(resources))
  }

  /** Creates the draft of a new procedure or the next version of an existing one (one draft at a time). */
  /**
   * `decisions`: the DMN files the definition names in workflow.decisions; when not given, a next version keeps those
   * of the version before it (an analyst who edits only the BPMN does not lose the fee table).
   */
  async createDraft(input: {
    definition: unknown
    bpmnXml: string
    decisions?: DecisionResource[]
    actorId?: string
  }): Promise<DraftResult> {
    const unsafe = await unsafeXml(input.bpmnXml)
    const loaded = await loadProcedureDefinition(input.definition, { bpmnXml: input.bpmnXml })
    // Every problem at once: the definition's, and the XML's in place of "cannot be read as BPMN".
    if (unsafe.length)
      return {
        ok: false,
        problems: [...(loaded.ok ? [] : loaded.problems.filter((p) => p.path !== '/workflow/file')), ...unsafe],
      }
    // A draft may be incomplete, but it must at least be a definition we can file and list.
    if (!loaded.ok && loaded.problems.some((p) => filingPaths.has(p.path) || p.path.startsWith('/workflow'))) {
      return { ok: false, problems: loaded.problems }
    }
    const def = input.definition as ProcedureDefinition
    return this.knex.transaction(async (trx) => {
      const repo = catalogueRepository(trx)
      let procedure = await repo.procedureBySlug(def.slug)
      if (!procedure) procedure = await repo.insertProcedure(catalogueColumns(def))
      else if (procedure.code !== def.code)
        return {
          ok: false,
          problems: [
            { path: '/code', message: `Procedure ${def.slug} has code ${procedure.code}; the code cannot change` },
          ],
        }
      if (await repo.draftOf(procedure.id))
        throw new AppError('MC_ERR_CONFLICT', `Procedure ${def.slug} already has a draft; update it instead`)
      const latest = await repo.latestVersion(procedure.id)
      const version = (latest?.version ?? 0) + 1
      const decisions = input.decisions ?? latest?.decisions ?? []
      await repo.insertVersion({
        procedure_id: procedure.id,
        version,
        status: 'draft',
        definition: withPropertyOrder(def),
        bpmn_xml: input.bpmnXml,
        decisions,
        checksum: checksum(def, input.bpmnXml, decisions),
        bpmn_process_id: def.workflow.bpmnProcessId,
        created_by: input.actorId ?? null,
      })
      return { ok: true as const, slug: def.slug, version }
    })
  }

  async updateDraft(
    slug: string,
    patch: { definition?: unknown; bpmnXml?: string; decisions?: DecisionResource[] },
  ): Promise<DraftResult> {
    const unsafe = patch.bpmnXml === undefined ? [] : await unsafeXml(patch.bpmnXml)
    if (unsafe.length) return { ok: false, problems: unsafe }
    return this.knex.transaction(async (trx) => {
      const repo = catalogueRepository(trx)
      const procedure = await repo.procedureBySlug(slug)
      const draft = procedure && (await repo.draftOf(procedure.id))
      if (!procedure || !draft) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', `No draft of procedure ${slug}`)
      const definition = (patch.definition ?? draft.definition) as ProcedureDefinition
      const bpmnXml = patch.bpmnXml ?? draft.bpmn_xml
      const decisions = patch.decisions ?? draft.decisions
      if (definition.slug !== slug)
        return { ok: false, problems: [{ path: '/slug', message: `The slug cannot change (${slug})` }] }
      await repo.updateDraft(draft.id, {
        definition: patch.definition ? withPropertyOrder(definition) : definition,
        bpmn_xml: bpmnXml,
        decisions,
        checksum: checksum(definition, bpmnXml, decisions),
        bpmn_process_id: definition.workflow?.bpmnProcessId ?? draft.bpmn_process_id,
      })
      forgetForm(`${slug}@${draft.version}`)
      return { ok: true as const, slug, version: draft.version }
    })
  }

  /**
   * Throws a draft away (a published version answers 409). A procedure created from scratch and never published has
   * nothing left and is removed with it; otherwise its published versions are untouched.
   */
  async discardDraft(slug: string, version: number, actorId?: string): Promise<{ procedureRemoved: boolean }> {
    return this.knex.transaction(async (trx) => {
      const repo = catalogueRepository(trx)
      const procedure = await repo.procedureBySlug(slug)
      const found = procedure && (await repo.version(procedure.id, version))
      if (!procedure || !found) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', `${slug} version ${version}`)
      if (found.status === 'published')
        throw new AppError('MC_ERR_PROCEDURE_VERSION_PUBLISHED', `${slug} version ${version} is published`)
      const result = await repo.deleteDraft(procedure.id, found.id)
      await auditRepository(trx).record({
        ...(actorId ? { actorId } : {}),
        action: 'catalogue.discardDraft',
        subjectType: 'procedure',
        subjectId: procedure.id,
        data: { slug, version, procedureRemoved: result.procedureRemoved },
      })
      forgetForm(`${slug}@${version}`)
      return result
    })
  }

  /**
   * Validates the draft's definition, BPMN and DMN decisions, deploys the BPMN with its decisions (one deployment, so
   * a business rule task's binding type `deployment` finds them), then marks the version published.
   * Any problem → every problem is returned and nothing is deployed or published.
   */
  async publish(slug: string, actorId?: string): Promise<PublishResult> {
    const repo = catalogueRepository(this.knex)
    const procedure = await repo.procedureBySlug(slug)
    const draft = procedure && (await repo.draftOf(procedure.id))
    if (!procedure || !draft) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', `No draft of procedure ${slug}`)
    const def = draft.definition
    const resource = deployResource(slug, draft)
    const problems = await this.problemsOf(draft)
    if (problems.length > 0) return { ok: false, problems }

    // Deployed before the transaction: the embedded engine may share this database, and PGlite
    // hangs when a second connection is used while a transaction is open. A deployment whose
    // publication then fails is harmless: redeploying the same resource is a duplicate.
    let deployed
    try {
      const result = await this.engine.deploy([resource, ...decisionDeployResources(draft.decisions)])
      deployed = result.processes.find((p) => p.bpmnProcessId === def.workflow.bpmnProcessId)
    } catch (err) {
      if (err instanceof DeployValidationError) return { ok: false, problems: bpmnProblems(err.problems) }
      throw err
    }
    if (!deployed)
      return {
        ok: false,
        problems: [
          {
            path: '/workflow/bpmnProcessId',
            message: `The engine deployed no process "${def.workflow.bpmnProcessId}"`,
          },
        ],
      }

    await this.knex.transaction(async (trx) => {
      const tx = catalogueRepository(trx)
      await tx.markPublished(draft.id, {
        processDefinitionKey: deployed.processDefinitionKey,
        processDefinitionVersion: deployed.version,
        publishedBy: actorId ?? null,
      })
      await tx.updateProcedure(procedure.id, { ...catalogueColumns(def), published_version: draft.version })
    })
    return {
      ok: true,
      slug,
      version: draft.version,
      processDefinitionKey: deployed.processDefinitionKey,
      processDefinitionVersion: deployed.version,
    }
  }

  /** Every problem that would stop the draft from being published; empty when it would publish. */
  async validateDraft(slug: string): Promise<DefinitionProblem[]> {
    const repo = catalogueRepository(this.knex)
    const procedure = await repo.procedureBySlug(slug)
    const draft = procedure && (await repo.draftOf(procedure.id))
    if (!procedure || !draft) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', `No draft of procedure ${slug}`)
    return this.problemsOf(draft)
  }

  private async problemsOf(row: VersionRow): Promise<DefinitionProblem[]> {
    const loaded = await loadProcedureDefinition(row.definition, { bpmnXml: row.bpmn_xml })
    return [
      ...(loaded.ok ? [] : loaded.problems),
      ...bpmnProblems(await this.validate([deployResource(row.definition.slug, row)])),
      ...(loaded.ok ? await decisionProblems(row.definition, row.bpmn_xml, row.decisions) : []),
      ...(await this.unknownAgencies(row.bpmn_xml)),
    ]
  }

  /** A step handled by `agency:<code>` (or chosen among codes) names an agency no unit has: it cannot publish. */
  private async unknownAgencies(xml: string): Promise<DefinitionProblem[]> {
    const named = await agencyCodesNamed(xml)
    const unknown = new Set(
      await handlingUnitRepository(this.knex).unknownAgencyCodes([...new Set(named.map((n) => n.code))]),
    )
    return named
      .filter((n) => unknown.has(n.code))
      .map((n) => ({
        path: `bpmn:${n.elementId}`,
        elementId: n.elementId,
        message: `User task "${n.elementId}" is handled by agency ${n.code}, but no unit has that agency code / Không có cơ quan nào có mã ${n.code}`,
      }))
  }

  /** Every version of a procedure, drafts included, newest first. */
  async versions(slug: string): Promise<VersionSummary[]> {
    const repo = catalogueRepository(this.knex)
    const procedure = await repo.procedureBySlug(slug)
    if (!procedure) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', `Procedure ${slug}`)
    return (await repo.versions(procedure.id)).map(versionSummary)
  }

  /** One version with its definition and BPMN XML, draft or published. */
  async version(slug: string, version: number): Promise<VersionDetail> {
    const repo = catalogueRepository(this.knex)
    const procedure = await repo.procedureBySlug(slug)
    const row = procedure && (await repo.version(procedure.id, version))
    if (!procedure || !row) throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', `Procedure ${slug} version ${version}`)
    return {
      slug,
      ...versionSummary(row),
      definition: row.definition,
      bpmnXml: row.bpmn_xml,
      decisions: row.decisions,
    }
  }

  /** What changed from one version to another. */
  async diff(slug: string, from: number, to: number): Promise<ProcedureDiff> {
    const [a, b] = await Promise.all([this.version(slug, from), this.version(slug, to)])
    return diffProcedureVersions(a, b)
  }

  async search(filter: ProcedureFilter): Promise<{ items: ProcedureSummary[]; total: number }> {
    const { items, total } = await catalogueRepository(this.knex).list(filter)
    return { items: items.map(summary), total }
  }

  /** A search page whose hits carry their published duration and fees, read in one query. */
  async searchWithTerms(filter: ProcedureFilter): Promise<{ items: ProcedureHit[]; total: number }> {
    const { items, total } = await this.search(filter)
    const terms =
      items.length === 0 ? [] : await catalogueRepository(this.knex).publishedTerms(items.map((i) => i.slug))
    const bySlug = new Map(terms.map((r) => [r.slug, { duration: r.duration, fees: r.fees }]))
    return { items: items.map((i) => ({ ...i, ...bySlug.get(i.slug) })), total }
  }

  /** The published version only: a procedure that never published does not exist for the public. */
  async getPublished(slug: string): Promise<ProcedureDetail> {
    const detail = await this.get(slug)
    if (detail.status !== 'published') throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', slug)
    return detail
  }

  /** The units that receive a published procedure: those of its agency level. */
  async receivingUnits(slug: string): Promise<ReceivingUnit[]> {
    const detail = await this.getPublished(slug)
    const rows = await catalogueRepository(this.knex).agenciesAtLevels(unitLevelsFor(detail.agencyLevel))
    return rows.map((u) => ({ unitId: u.id, name: u.name, nameEn: u.name_en, agencyCode: u.agency_code }))
  }

  /** The units a step's `unit` header may name by agency code (the modeler's choices); never a district. */
  async stepAgencies(): Promise<StepAgency[]> {
    const rows = await catalogueRepository(this.knex).stepAgencies()
    return rows.map((u) => ({
      unitId: u.id,
      agencyCode: u.agency_code,
      name: u.name,
      nameEn: u.name_en,
      level: u.level,
    }))
  }

  /** The published version (or a given one), with its components, steps and form. */
  async get(slug: string, version?: number): Promise<ProcedureDetail> {
    const repo = catalogueRepository(this.knex)
    const procedure = await repo.procedureBySlug(slug)
    const wanted = version ?? procedure?.published_version ?? undefined
    const row: VersionRow | undefined =
      procedure && wanted !== undefined ? await repo.version(procedure.id, wanted) : undefined
    if (!procedure || !row)
      throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', `Procedure ${slug}${version ? ` version ${version}` : ''}`)
    return {
      ...summary(procedure),
      version: row.version,
      status: row.status,
      definition: row.definition,
      processDefinitionKey: row.process_definition_key,
    }
  }
}

export interface SeedReport {
  published: string[]
  unchanged: string[]
  failed: Array<{ slug: string; problems: DefinitionProblem[] }>
}

/**
 * Publishes every forms/*.json with its BPMN. Idempotent: a procedure whose latest published
 * version has the same checksum is left alone; a changed file becomes a new version.
 */
export async function seedProcedures(
  knex: Knex,
  engine: Pick<Engine, 'deploy'>,
  opts: CatalogueOptions & { formsDir?: string; workflowsDir?: string } = {},
): Promise<SeedReport> {
  const service = new CatalogueService(knex, engine, opts)
  const dir = opts.formsDir ?? formsDir
  const flows = opts.workflowsDir ?? workflowsDir
  const report: SeedReport = { published: [], unchanged: [], failed: [] }
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()) {
    const definition = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProcedureDefinition
    const bpmnXml = readFileSync(join(flows, definition.workflow.file), 'utf8')
    const decisions = (definition.workflow.decisions ?? [])
      .filter((name) => existsSync(join(flows, name)))
      .map((name) => ({ name, xml: readFileSync(join(flows, name), 'utf8') }))
    const repo = catalogueRepository(knex)
    const procedure = await repo.procedureBySlug(definition.slug)
    const latest = procedure && (await repo.latestVersion(procedure.id))
    if (latest?.status === 'published' && latest.checksum === checksum(definition, bpmnXml, decisions)) {
      report.unchanged.push(definition.slug)
      continue
    }
    const draft =
      latest?.status === 'draft'
        ? await service.updateDraft(definition.slug, { definition, bpmnXml, decisions })
        : await service.createDraft({ definition, bpmnXml, decisions })
    const result = draft.ok ? await service.publish(definition.slug) : draft
    if (result.ok) report.published.push(definition.slug)
    else report.failed.push({ slug: definition.slug, problems: result.problems })
  }
  return report
}

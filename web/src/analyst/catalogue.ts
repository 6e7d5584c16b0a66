// The catalogue API as the analyst pages use it: procedures, versions, drafts, validation, publication, changes.
import { api, apiRaw, type Problem } from '../api.js'
import type { StepAgency } from './handling-unit.js'

export interface ProcedureSummary {
  code: string
  slug: string
  name: string
  field: string
  agency: string
  agencyLevel: string
  onlineLevel: string
  publishedVersion: number | null
}

export interface VersionSummary {
  version: number
  status: 'draft' | 'published'
  createdAt: string
  publishedAt: string | null
  processDefinitionVersion: number | null
}

/** A procedure definition (forms/procedure.schema.json): catalogue metadata plus the dossier form. */
export interface Definition {
  slug: string
  name: string
  form: Record<string, unknown>
  [key: string]: unknown
}

export interface VersionDetail extends VersionSummary {
  slug: string
  definition: Definition
}

/** One problem of a 422 or of validation: a JSON path into the definition, or a BPMN element. */
export interface DefinitionProblem {
  path: string
  elementId?: string
  message: string
}

// The wire format of GET …/changes (src/catalogue/diff.ts; its module reaches Node-only code, so
// the web app cannot import even its types).
export interface ValueChange {
  property: string
  from?: unknown
  to?: unknown
}

export interface ItemChanges {
  added: Array<{ key: string; name?: string }>
  removed: Array<{ key: string; name?: string }>
  changed: Array<{ key: string; name?: string; changes: ValueChange[] }>
}

export interface ProcedureDiff {
  from: number
  to: number
  changed: boolean
  metadata: ValueChange[]
  duration: { from: string; to: string } | null
  components: ItemChanges
  steps: ItemChanges
  fees: ItemChanges
  legalBasis: ItemChanges
  formFields: ItemChanges
  bpmnChanged: boolean
}

const base = (slug: string) => `/api/procedures/${encodeURIComponent(slug)}`
const versionPath = (slug: string, version: number) => `${base(slug)}/versions/${version}`

export const catalogue = {
  /** Every procedure, those with only a draft too. */
  list: (signal?: AbortSignal) =>
    api<{ items: ProcedureSummary[]; total: number }>('/api/procedures', {
      query: { limit: 100, includeDrafts: true },
      signal,
    }),
  versions: (slug: string, signal?: AbortSignal) => api<VersionSummary[]>(`${base(slug)}/versions`, { signal }),
  version: (slug: string, version: number, signal?: AbortSignal) =>
    api<VersionDetail>(versionPath(slug, version), { signal }),
  async bpmn(slug: string, version: number, signal?: AbortSignal): Promise<string> {
    return (
      await apiRaw(`${versionPath(slug, version)}/bpmn`, { signal, headers: { accept: 'application/xml' } })
    ).text()
  },
  changes: (slug: string, version: number, from?: number, signal?: AbortSignal) =>
    api<ProcedureDiff>(`${versionPath(slug, version)}/changes`, { query: { from }, signal }),
  /** A new draft copied from a version (the server numbers it). */
  async draftFrom(slug: string, version: number): Promise<{ version: number }> {
    const [detail, bpmnXml] = await Promise.all([catalogue.version(slug, version), catalogue.bpmn(slug, version)])
    return api<{ version: number }>('/api/procedures', {
      method: 'POST',
      body: { definition: detail.definition, bpmnXml },
    })
  },
  /** A new procedure: its first version, a draft. */
  create: (definition: Definition, bpmnXml: string) =>
    api<{ slug: string; version: number }>('/api/procedures', { method: 'POST', body: { definition, bpmnXml } }),
  /** Throws a draft away; a procedure never published goes with it. */
  discard: (slug: string, version: number) =>
    api<{ procedureRemoved: boolean }>(versionPath(slug, version), { method: 'DELETE' }),
  save: (slug: string, version: number, patch: { definition?: Definition; bpmnXml?: string }) =>
    api<{ version: number }>(versionPath(slug, version), { method: 'PUT', body: patch }),
  validate: (slug: string, version: number) =>
    api<{ valid: boolean; errors: DefinitionProblem[] }>(`${versionPath(slug, version)}/validate`, { method: 'POST' }),
  /** The units a step may be handled by (the modeler's "Handling unit" group). */
  agencies: (signal?: AbortSignal) => api<{ items: StepAgency[] }>('/api/catalogue/agencies', { signal }),
  publish: (slug: string, version: number) =>
    api<{ version: number; processDefinitionVersion: number }>(`${versionPath(slug, version)}/publish`, {
      method: 'POST',
    }),
}

/** The per-item problems a 422 carries in `errors` (path, and elementId for BPMN problems). */
export function problemsOf(problem: Problem): DefinitionProblem[] {
  const errors = (problem.errors ?? []) as unknown as Array<Partial<DefinitionProblem> & { field?: string }>
  return errors.map((e) => ({
    path: e.path ?? e.field ?? '',
    ...(e.elementId ? { elementId: e.elementId } : {}),
    message: e.message ?? '',
  }))
}

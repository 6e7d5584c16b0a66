// Who handles a step: the unit a user task belongs to, read from its `unit` task header (workflows/README.md, "Who
// handles a step"). The rule is the model's; the unit is resolved when the task is created. A rule that cannot be
// resolved never loses the task: it goes to the receiving unit with a problem the supervisors see on the timeline.
import type { Knex } from 'knex'
import { parseBpmn } from '../catalogue/bpmn-read.js'
import { handlingUnitRepository, type HandlingUnitRow } from './handling-unit-repository.js'

/** The `unit` header of a user task, read. */
export type HandlingRule =
  | { kind: 'receiving' }
  | { kind: 'agency'; code: string }
  | { kind: 'applicantCommune'; addressField: string | null }
  | { kind: 'chosen'; choices: string[] }

/** An agency code as the national directory writes them (X99, X99.50, H21.65.01): letters, digits and dots. */
const agencyCodePattern = /^[A-Z0-9]{1,10}(?:\.[A-Z0-9]{1,10}){0,4}$/

/** Reads a user task's headers into its rule; `problem` when the headers are malformed. */
export function handlingRuleOf(
  headers: Record<string, string | undefined>,
): { rule: HandlingRule } | { problem: string } {
  const unit = (headers['unit'] ?? '').trim()
  if (unit === '' || unit === 'receiving') return { rule: { kind: 'receiving' } }
  if (unit.startsWith('agency:')) {
    const code = unit.slice('agency:'.length).trim()
    return agencyCodePattern.test(code)
      ? { rule: { kind: 'agency', code } }
      : { problem: `"${unit}": the agency code is not one (letters, digits and dots, e.g. agency:X99.50)` }
  }
  if (unit === 'applicant-commune') {
    const field = (headers['addressField'] ?? '').trim()
    return { rule: { kind: 'applicantCommune', addressField: field || null } }
  }
  if (unit === 'chosen') {
    const choices = (headers['unitChoices'] ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean)
    if (choices.length === 0) return { problem: '"chosen" needs the header unitChoices (comma-separated agency codes)' }
    const bad = choices.find((c) => !agencyCodePattern.test(c))
    return bad ? { problem: `unitChoices: "${bad}" is not an agency code` } : { rule: { kind: 'chosen', choices } }
  }
  return { problem: `"${unit}" is not a rule (receiving, agency:<code>, applicant-commune, chosen)` }
}

/** The agency codes a rule names (checked at publish time: each must be a unit's). */
export function agencyCodesOf(rule: HandlingRule): string[] {
  return rule.kind === 'agency' ? [rule.code] : rule.kind === 'chosen' ? rule.choices : []
}

/** A five-digit commune code (mã đơn vị hành chính cấp xã). */
const communeCodePattern = /^\d{5}$/
/** The keys an address object names its commune by (the forms' address widget writes `xa`). */
const communeKeys = ['xa', 'maXa', 'communeCode', 'commune']

function communeOf(address: unknown): string | undefined {
  if (!address || typeof address !== 'object' || Array.isArray(address)) return undefined
  const a = address as Record<string, unknown>
  for (const key of communeKeys) {
    const v = a[key]
    if (typeof v === 'string' && communeCodePattern.test(v.trim())) return v.trim()
    if (v && typeof v === 'object' && typeof (v as { code?: unknown }).code === 'string')
      return communeOf({ [key]: (v as { code: string }).code })
  }
  return undefined
}

/**
 * The commune code of the applicant's address: at `addressField` (a dot path into the form data) when the step names
 * it, else the first address of the form (depth first, in the order the form writes its fields) that has one.
 */
export function applicantCommuneCode(
  formData: Record<string, unknown>,
  addressField: string | null,
): string | undefined {
  if (addressField) {
    let node: unknown = formData
    for (const part of addressField.split('.')) {
      if (!node || typeof node !== 'object') return undefined
      node = (node as Record<string, unknown>)[part]
    }
    return communeOf(node)
  }
  const visit = (node: unknown, depth: number): string | undefined => {
    if (!node || typeof node !== 'object' || Array.isArray(node) || depth > 6) return undefined
    const own = communeOf(node)
    if (own) return own
    for (const v of Object.values(node)) {
      const found = visit(v, depth + 1)
      if (found) return found
    }
    return undefined
  }
  return visit(formData, 0)
}

/** What resolving a step's handling unit gives: the unit's path, and a problem when the rule could not be followed. */
export interface ResolvedUnit {
  unitPath: string
  /** Set when the task went to the receiving unit because its rule could not be followed. */
  problem?: { rule: string; reason: string }
}

export interface HandlingContext {
  /** The dossier's receiving unit. */
  receivingUnitPath: string
  formData: Record<string, unknown>
  /** The process variables when the task was created (`nextUnit` for a chosen unit); read only when needed. */
  variables: () => Promise<Record<string, unknown>>
}

/** The handling unit of a user task with these headers. */
export async function resolveHandlingUnit(
  knex: Knex,
  headers: Record<string, string | undefined>,
  ctx: HandlingContext,
): Promise<ResolvedUnit> {
  const units = handlingUnitRepository(knex)
  const rule = headers['unit'] ?? ''
  const fallback = (reason: string): ResolvedUnit => ({
    unitPath: ctx.receivingUnitPath,
    problem: { rule, reason },
  })
  const read = handlingRuleOf(headers)
  if ('problem' in read) return fallback(read.problem)
  const found = (unit: HandlingUnitRow | undefined, missing: string): ResolvedUnit =>
    unit ? { unitPath: unit.path } : fallback(missing)
  switch (read.rule.kind) {
    case 'receiving':
      return { unitPath: ctx.receivingUnitPath }
    case 'agency':
      return found(await units.byAgencyCode(read.rule.code), `no unit has the agency code ${read.rule.code}`)
    case 'applicantCommune': {
      const code = applicantCommuneCode(ctx.formData, read.rule.addressField)
      if (!code) return fallback("the applicant's address has no commune code")
      return found(await units.byAdminCode(code), `no unit has the administrative-unit code ${code}`)
    }
    case 'chosen': {
      const next = (await ctx.variables())['nextUnit']
      if (typeof next !== 'string' || next.trim() === '') return fallback('the previous step chose no unit (nextUnit)')
      if (!read.rule.choices.includes(next.trim()))
        return fallback(`nextUnit ${next} is not among the choices ${read.rule.choices.join(', ')}`)
      return found(await units.byAgencyCode(next.trim()), `no unit has the agency code ${next}`)
    }
  }
}

/** Task headers per user task of a procedure version (a published version never changes, so they are kept). */
const headersByVersion = new Map<string, Promise<Map<string, Record<string, string>>>>()

/**
 * The task headers of the user task `stepId` in a procedure version's BPMN: what a hand-off (a service task before the
 * step) reads to know the unit it hands the dossier to.
 */
export async function stepHeaders(
  knex: Knex,
  procedureVersionId: string,
  stepId: string,
): Promise<Record<string, string>> {
  let headers = headersByVersion.get(procedureVersionId)
  if (!headers) {
    headers = (async () => {
      const xml = await handlingUnitRepository(knex).bpmnOf(procedureVersionId)
      const parsed = xml ? await parseBpmn(xml) : undefined
      const byTask = new Map<string, Record<string, string>>()
      if (parsed?.ok) for (const p of parsed.processes) for (const [id, t] of p.userTasks) byTask.set(id, t.headers)
      return byTask
    })()
    headersByVersion.set(procedureVersionId, headers)
    headers.catch(() => headersByVersion.delete(procedureVersionId))
  }
  return (await headers).get(stepId) ?? {}
}

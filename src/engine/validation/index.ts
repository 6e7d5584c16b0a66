// Deploy validation: everything a BPMN resource must pass before either engine deploys it.
import { DeployValidationError, type DeployProblem, type DeployResource } from '../port.js'
import { checkJobTypes } from './job-types.js'
import { feelBudgetProblems, lintRootExpressions } from './feel.js'
import { lintDefinitions } from './lint.js'
import { parseResource, traverse, type ModdleElement } from './xml.js'

export type { ModdleElement } from './xml.js'
export { DEFAULT_MAX_BYTES } from './xml.js'

/** An extra check on a parsed resource, e.g. the embedded engine's supported BPMN subset. */
export type DefinitionsCheck = (
  definitions: ModdleElement,
  resourceName: string,
) => DeployProblem[] | Promise<DeployProblem[]>

export interface ValidateOptions {
  /** Job types some worker takes; when omitted, job types are not checked. */
  knownJobTypes?: Set<string>
  /** 'warning' when deploying from the API (a worker may come later), 'error' for the repo's own workflows. */
  jobTypeSeverity?: 'error' | 'warning'
  /** Largest accepted resource, in bytes (default 5 MiB). */
  maxBytes?: number
  /**
   * The embedded engine's supported BPMN subset (default true): the same files must run on both
   * engines, so a process deployed to Zeebe is held to it too unless the caller opts out.
   */
  embeddedSubset?: boolean
  /** Further checks on each parsed resource. */
  checks?: DefinitionsCheck[]
}

// Loaded on first use so validation does not pull the embedded engine's model into processes that never ask for it.
let subsetCheck: Promise<DefinitionsCheck> | undefined
const embeddedSubsetCheck: DefinitionsCheck = async (definitions, resourceName) => {
  subsetCheck ??= import('../embedded/subset.js').then((m) => m.checkSupportedSubset)
  return (await subsetCheck)(definitions, resourceName)
}

// Forms and decisions may be deployed beside processes; they are not BPMN and are not checked here.
const NOT_BPMN = /\.(form|dmn)$/i

/** Every problem with every resource; never throws for bad input. */
export async function validateBpmn(resources: DeployResource[], opts: ValidateOptions = {}): Promise<DeployProblem[]> {
  const problems: DeployProblem[] = []
  const processIds = new Map<string, string>()
  for (const resource of resources) {
    if (NOT_BPMN.test(resource.name)) continue
    const parsed = await parseResource(resource, opts.maxBytes === undefined ? {} : { maxBytes: opts.maxBytes })
    problems.push(...parsed.problems)
    if (!parsed.ok) continue
    const { definitions } = parsed
    // An expression over budget is refused before the linters, which take seconds on it or crash.
    const overBudget = feelBudgetProblems(resource.name, definitions)
    problems.push(...overBudget)
    if (overBudget.length) continue
    problems.push(...(await lintDefinitions(resource.name, definitions)))
    problems.push(...lintRootExpressions(resource.name, definitions))
    if (opts.knownJobTypes) {
      problems.push(...checkJobTypes(resource.name, definitions, opts.knownJobTypes, opts.jobTypeSeverity ?? 'warning'))
    }
    problems.push(...duplicateProcessIds(resource.name, definitions, processIds))
    const checks: DefinitionsCheck[] = [
      ...(opts.embeddedSubset === false ? [] : [embeddedSubsetCheck]),
      ...(opts.checks ?? []),
    ]
    for (const check of checks) {
      try {
        problems.push(...(await check(definitions, resource.name)))
      } catch (err) {
        problems.push({
          resourceName: resource.name,
          rule: 'motcua/check-failed',
          message: `A deployment check failed: ${(err as Error).message}`,
          severity: 'error',
        })
      }
    }
  }
  return problems
}

/** Zeebe refuses a deployment in which two resources define the same process id; so do we, with the element. */
function duplicateProcessIds(
  resourceName: string,
  definitions: ModdleElement,
  seen: Map<string, string>,
): DeployProblem[] {
  const problems: DeployProblem[] = []
  traverse(definitions, (el) => {
    if (!el.$instanceOf('bpmn:Process') || !el.id) return
    const first = seen.get(el.id)
    if (first === undefined) {
      seen.set(el.id, resourceName)
      return
    }
    problems.push({
      resourceName,
      elementId: el.id,
      rule: 'motcua/duplicate-process-id',
      message: `Process id "${el.id}" is also defined in ${first}`,
      severity: 'error',
    })
  })
  return problems
}

/** Throws DeployValidationError carrying every problem (warnings too) when any is an error. */
export async function assertDeployable(
  resources: DeployResource[],
  opts: ValidateOptions = {},
): Promise<DeployProblem[]> {
  const problems = await validateBpmn(resources, opts)
  if (problems.some((p) => p.severity === 'error')) throw new DeployValidationError(problems)
  return problems
}

/** One entry of the `errors` array of a 422 MC_ERR_BPMN_INVALID problem+json response. */
export interface DeployProblemEntry {
  resource: string
  elementId?: string
  rule: string
  message: string
  severity: 'error' | 'warning'
}

/** The 422 response's `errors`: errors first, then warnings, each group in the order found. */
export function toProblemErrors(problems: DeployProblem[]): DeployProblemEntry[] {
  const ordered = [...problems.filter((p) => p.severity === 'error'), ...problems.filter((p) => p.severity !== 'error')]
  return ordered.map((p) => ({
    resource: p.resourceName,
    ...(p.elementId ? { elementId: p.elementId } : {}),
    rule: p.rule,
    message: p.message,
    severity: p.severity,
  }))
}

// "Every service task type has a registered worker": static job types no worker in motcua takes.
import type { DeployProblem } from '../port.js'
import { traverse, type ModdleElement } from './xml.js'

/** Job types declared in a definitions tree, with the element that declares each. */
export function jobTypes(definitions: ModdleElement): Array<{ elementId: string; type: string; source: string }> {
  const found: Array<{ elementId: string; type: string; source: string }> = []
  traverse(definitions, (el) => {
    // Task definitions (service, send, script, business-rule tasks, message throw events) and
    // execution/task listeners all create jobs that a worker must take.
    const source =
      el.$type === 'zeebe:TaskDefinition'
        ? 'task definition'
        : el.$type === 'zeebe:ExecutionListener'
          ? 'execution listener'
          : el.$type === 'zeebe:TaskListener'
            ? 'task listener'
            : undefined
    if (!source) return
    const type = el.get('type')
    let owner = el.$parent
    while (owner && !owner.$instanceOf('bpmn:FlowElement')) owner = owner.$parent
    if (typeof type !== 'string' || type === '' || !owner?.id) return
    found.push({ elementId: owner.id, type, source })
  })
  return found
}

/**
 * A job of a type nothing works on waits forever, silently. Types given as a FEEL expression
 * (`=…`) are known only at run time and are not checked.
 */
export function checkJobTypes(
  resourceName: string,
  definitions: ModdleElement,
  known: Set<string>,
  severity: 'error' | 'warning',
): DeployProblem[] {
  return jobTypes(definitions)
    .filter(({ type }) => !type.startsWith('=') && !known.has(type))
    .map(({ elementId, type, source }) => ({
      resourceName,
      elementId,
      rule: 'motcua/job-type-worker',
      message: `No worker is registered for job type "${type}" (${source})`,
      severity,
    }))
}

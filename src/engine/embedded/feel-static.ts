// Which properties take a static value (text without a leading `=`) and which need an expression, as Zeebe 8.8
// decides at deploy: its ZeebeRuntimeValidators (camunda/camunda, engine/processing/deployment/model/validation)
// refuse a static output mapping source, correlation key, input collection, output element, sequence flow condition and
// script expression, a static candidate list that is not comma-separated values, a static due or follow-up date that
// is not a date-time, and a static priority outside 0..100. Everything else takes its static value literally.
import type { DeployProblem } from '../port.js'
import { isExpression } from './feel.js'
import type { ModdleElement } from './model.js'

const rule = 'zeebe-static-value'

/** Zeebe's own message for a static value where an expression is needed. */
export function expectedExpression(value: string): string {
  return `Expected expression but found static value '${value}'. An expression must start with '=' (e.g. '=${value}').`
}

/** Zeebe's `isListOfCsv`: non-empty entries separated by commas (spaces around them allowed). */
export function isCommaList(value: string): boolean {
  return value.split(',').every((entry) => entry.trim() !== '')
}

/** A date-time with an offset or zone, as Zeebe's static due date needs (e.g. `2023-03-02T15:35+02:00`). */
export function isZonedDateTime(value: string): boolean {
  const m = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})(\[[^\]]+\])?$/.exec(value.trim())
  return m !== null && !Number.isNaN(new Date(value.trim().replace(/\[.*\]$/, '')).getTime())
}

function ext(el: ModdleElement, type: string): ModdleElement | undefined {
  return el?.extensionElements?.values?.find((v: ModdleElement) => v.$type === type)
}

/** Every static value Zeebe refuses at deploy, reported on the flow element (or message) that holds it. */
export function staticValueProblems(definitions: ModdleElement, resourceName = ''): DeployProblem[] {
  const problems: DeployProblem[] = []
  const report = (elementId: string | undefined, property: string, message: string): void => {
    problems.push({
      resourceName,
      ...(elementId ? { elementId } : {}),
      rule,
      message: `${property} of "${elementId}": ${message}`,
      severity: 'error',
    })
  }
  const needsExpression = (elementId: string | undefined, property: string, value: unknown): void => {
    if (typeof value === 'string' && value.trim() !== '' && !isExpression(value))
      report(elementId, property, expectedExpression(value))
  }

  const visit = (el: ModdleElement): void => {
    const id = el.id as string | undefined
    for (const output of ext(el, 'zeebe:IoMapping')?.outputParameters ?? [])
      needsExpression(id, `The output mapping to "${output.target}"`, output.source)
    if (el.$type === 'bpmn:SequenceFlow') needsExpression(id, 'The condition', el.conditionExpression?.body)
    const script = ext(el, 'zeebe:Script')
    if (script) needsExpression(id, 'The script expression', script.expression)
    const loop = ext(el.loopCharacteristics, 'zeebe:LoopCharacteristics')
    if (loop) {
      needsExpression(id, 'The input collection', loop.inputCollection)
      needsExpression(id, 'The output element', loop.outputElement)
    }
    const assignment = ext(el, 'zeebe:AssignmentDefinition')
    for (const property of ['candidateGroups', 'candidateUsers']) {
      const value = assignment?.[property]
      if (typeof value === 'string' && value !== '' && !isExpression(value) && !isCommaList(value))
        report(
          id,
          `The ${property}`,
          `Expected static value to be a list of comma-separated values, e.g. 'a,b,c', but found '${value}'`,
        )
    }
    const schedule = ext(el, 'zeebe:TaskSchedule')
    for (const property of ['dueDate', 'followUpDate']) {
      const value = schedule?.[property]
      if (typeof value === 'string' && value !== '' && !isExpression(value) && !isZonedDateTime(value))
        report(
          id,
          `The ${property}`,
          `Expected static value to be a valid DateTime String, e.g. '2023-03-02T15:35+02:00', but found '${value}'.`,
        )
    }
    const priority = ext(el, 'zeebe:PriorityDefinition')?.priority
    if (typeof priority === 'string' && priority !== '' && !isExpression(priority)) {
      if (!/^\d+$/.test(priority.trim()))
        report(
          id,
          'The priority',
          `Expected static value to be a valid Number between 0 and 100, but found '${priority}'`,
        )
      else if (Number(priority) > 100)
        report(id, 'The priority', `Priority must be a number between 0 and 100, but was '${priority}'`)
    }
    for (const child of el.flowElements ?? []) visit(child)
  }

  for (const root of definitions.rootElements ?? []) {
    if (root.$type === 'bpmn:Message') {
      const key = ext(root, 'zeebe:Subscription')?.correlationKey
      needsExpression(root.id, 'The correlation key', key)
    } else visit(root)
  }
  return problems
}

// Who handles a step, as the modeler reads and writes it: a user task's `unit`, `addressField` and `unitChoices`
// headers (zeebe:taskHeaders), read the way the server reads them (src/dossiers/handling-unit.ts; its module reaches
// Node-only code, so the web app cannot import it) and written as one command, so undo and redo take it back whole.

/** A unit a step may be handled by (GET /api/catalogue/agencies). */
export interface StepAgency {
  unitId: string
  agencyCode: string
  name: string
  nameEn: string | null
  level: string
}

export type RuleKind = 'receiving' | 'agency' | 'applicantCommune' | 'chosen'

/** The headers of one user task that say who handles it. */
export interface HandlingHeaders {
  unit?: string
  addressField?: string
  unitChoices?: string
}

/** The rule a task's headers name, as the panel shows it; `other` for a `unit` value that is no rule. */
export type PanelRule =
  | { kind: 'receiving' }
  | { kind: 'agency'; code: string }
  | { kind: 'applicantCommune'; addressField: string }
  | { kind: 'chosen'; choices: string[] }
  | { kind: 'other'; unit: string }

export const handlingHeaderKeys = ['unit', 'addressField', 'unitChoices'] as const
type HeaderKey = (typeof handlingHeaderKeys)[number]

const splitChoices = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)

/** Reads the headers as the server does: no `unit` (or an empty one) is the receiving unit. */
export function ruleOf(headers: HandlingHeaders): PanelRule {
  const unit = (headers.unit ?? '').trim()
  if (unit === '' || unit === 'receiving') return { kind: 'receiving' }
  if (unit.startsWith('agency:')) return { kind: 'agency', code: unit.slice('agency:'.length).trim() }
  if (unit === 'applicant-commune')
    return { kind: 'applicantCommune', addressField: (headers.addressField ?? '').trim() }
  if (unit === 'chosen') return { kind: 'chosen', choices: splitChoices(headers.unitChoices) }
  return { kind: 'other', unit }
}

/**
 * The headers a rule is written as. The receiving unit is the default, written as no header at all; each rule keeps
 * only its own headers, so a stale `unitChoices` never outlives the "chosen" rule.
 */
export function headersOf(rule: Exclude<PanelRule, { kind: 'other' }>): HandlingHeaders {
  switch (rule.kind) {
    case 'receiving':
      return {}
    case 'agency':
      return { unit: `agency:${rule.code}` }
    case 'applicantCommune':
      return rule.addressField.trim()
        ? { unit: 'applicant-commune', addressField: rule.addressField.trim() }
        : { unit: 'applicant-commune' }
    case 'chosen':
      return rule.choices.length ? { unit: 'chosen', unitChoices: rule.choices.join(',') } : { unit: 'chosen' }
  }
}

/** The rule the analyst switches to, keeping what the current rule already says that the new one can use. */
export function switchRule(current: PanelRule, kind: RuleKind): Exclude<PanelRule, { kind: 'other' }> {
  const codes =
    current.kind === 'agency' ? (current.code ? [current.code] : []) : current.kind === 'chosen' ? current.choices : []
  switch (kind) {
    case 'receiving':
      return { kind }
    case 'agency':
      // A choice among several is not one agency: the analyst picks it (until then the panel and the server say so).
      return { kind, code: codes.length === 1 ? codes[0]! : '' }
    case 'applicantCommune':
      return { kind, addressField: current.kind === 'applicantCommune' ? current.addressField : '' }
    case 'chosen':
      return { kind, choices: codes }
  }
}

// The little of bpmn-js's moddle and command stack this module uses.
export interface ModdleElement {
  get(name: string): unknown
  $type: string
  $parent?: ModdleElement
}
export interface Command {
  cmd: 'element.updateModdleProperties'
  context: { element: unknown; moddleElement: ModdleElement; properties: Record<string, unknown> }
}
export interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): ModdleElement
}

const valuesOf = (el: ModdleElement | undefined) => ((el?.get('values') as ModdleElement[] | undefined) ?? []).slice()

/** The task's zeebe:TaskHeaders, when it has them. */
export function taskHeadersOf(businessObject: ModdleElement): ModdleElement | undefined {
  const ext = businessObject.get('extensionElements') as ModdleElement | undefined
  return valuesOf(ext).find((v) => v.$type === 'zeebe:TaskHeaders')
}

/** The handling headers a task has now. */
export function handlingHeadersOf(businessObject: ModdleElement): HandlingHeaders {
  const out: HandlingHeaders = {}
  for (const header of valuesOf(taskHeadersOf(businessObject))) {
    const key = header.get('key') as string | undefined
    if (key && (handlingHeaderKeys as readonly string[]).includes(key) && out[key as HeaderKey] === undefined)
      out[key as HeaderKey] = (header.get('value') as string | undefined) ?? ''
  }
  return out
}

/**
 * The commands that make the task's handling headers `wanted`: a header that stays keeps its place and is changed in
 * place, one no longer wanted is removed, a new one is appended; every other header is left as it is. The task
 * headers (and the extension elements) are created when missing and removed when nothing is left in them.
 */
export function handlingHeaderCommands(
  element: unknown,
  businessObject: ModdleElement,
  wanted: HandlingHeaders,
  bpmnFactory: BpmnFactory,
): Command[] {
  const commands: Command[] = []
  const update = (moddleElement: ModdleElement, properties: Record<string, unknown>) =>
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } })
  let ext = businessObject.get('extensionElements') as ModdleElement | undefined
  let taskHeaders = taskHeadersOf(businessObject)
  const current = valuesOf(taskHeaders)

  const seen = new Set<string>()
  const next: ModdleElement[] = []
  for (const header of current) {
    const key = header.get('key') as string | undefined
    if (!key || !(handlingHeaderKeys as readonly string[]).includes(key)) {
      next.push(header)
      continue
    }
    const value = wanted[key as HeaderKey]
    // A duplicate of a handling header (the server reads the last one; the panel showed the first) goes.
    if (value === undefined || seen.has(key)) continue
    seen.add(key)
    next.push(header)
    if (header.get('value') !== value) update(header, { value })
  }
  const added = handlingHeaderKeys.filter((k) => wanted[k] !== undefined && !seen.has(k))
  if (added.length === 0 && next.length === current.length) return commands

  if (next.length + added.length === 0) {
    // Nothing left: the task headers go, and the extension elements too when they held nothing else.
    if (taskHeaders && ext) {
      const rest = valuesOf(ext).filter((v) => v !== taskHeaders)
      if (rest.length) update(ext, { values: rest })
      else update(businessObject, { extensionElements: undefined })
    }
    return commands
  }
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] })
    ext.$parent = businessObject
    update(businessObject, { extensionElements: ext })
  }
  if (!taskHeaders) {
    taskHeaders = bpmnFactory.create('zeebe:TaskHeaders', { values: [] })
    taskHeaders.$parent = ext
    update(ext, { values: [...valuesOf(ext), taskHeaders] })
  }
  for (const key of added) {
    const header = bpmnFactory.create('zeebe:Header', { key, value: wanted[key] })
    header.$parent = taskHeaders
    next.push(header)
  }
  update(taskHeaders, { values: next })
  return commands
}

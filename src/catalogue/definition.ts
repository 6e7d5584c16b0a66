// Loads a procedure definition (forms/<slug>.json): checks it against our meta-schema
// (forms/procedure.schema.json), then cross-checks what a schema cannot say (unique ids, step
// shares against the duration, the form compiles, the BPMN exists and has the steps' user tasks).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ErrorObject } from 'ajv'
import { agencyCodesOf, handlingRuleOf } from '../dossiers/handling-unit.js'
import { parseBpmn, type ProcessSummary } from './bpmn-read.js'
import { linearPatternProblem } from './form-rules.js'
import { safePatternProblem } from './pattern-safety.js'
import { formSchemaProblem, type Localized } from './form-validation.js'

const require = createRequire(import.meta.url)
const Ajv2020 = require('ajv/dist/2020').default as typeof import('ajv/dist/2020.js').default
const addFormats = require('ajv-formats').default as typeof import('ajv-formats').default

export const formsDir = fileURLToPath(new URL('../../forms/', import.meta.url))
export const workflowsDir = fileURLToPath(new URL('../../workflows/', import.meta.url))

export type AgencyLevel = 'tinh' | 'huyen' | 'xa'
export type OnlineLevel = 'toan-trinh' | 'mot-phan'
export type DeliveryOption = 'online' | 'counter' | 'post'

export interface Fee {
  name: string
  kind?: 'phi' | 'le-phi'
  /** null: set locally and not known here. */
  amountVnd: number | null
  /** The amount for an online submission, where the fee schedule sets a lower one. */
  onlineAmountVnd?: number
  /** A form field holding how many units (copies …) are asked for: the amount is per unit. */
  perField?: string
  /** Charged only when the result is delivered this way: postage, a line of its own, when the agency collects it. */
  delivery?: DeliveryOption
  /** Public, Vietnamese: when the fee applies; a fee without one is the procedure's own fee. */
  condition?: string
  conditionEn?: string
  /** Public, for applicants (Vietnamese, and its English translation). */
  note?: string
  noteEn?: string
  /** Research notes for the repository: never public. */
  $comment?: string
}

export interface DossierComponent {
  id: string
  name: string
  form: 'original' | 'copy' | 'original-or-copy' | 'present-original'
  quantity: number
  required: boolean
  condition?: string
  reusable?: boolean
  accept: string[]
  maxSizeMb: number
  template?: string
}

export interface LegalDocument {
  number: string
  title: string
  issuedOn?: string
  note?: string
}

export interface ProcedureStep {
  /** Id of the BPMN user task of this step. */
  id: string
  name: string
  /** Candidate group of the user task. */
  unitRole: string
  shareWorkingDays: number
  outsideDuration?: boolean
  note?: string
}

export interface FormSchema {
  $schema: string
  type: 'object'
  properties: Record<string, unknown>
  required?: string[]
  /** `applicantAddress`: the pointer of the applicant's address, printed on the one-stop forms. */
  'x-ui'?: { order?: string[]; applicantAddress?: string }
  [keyword: string]: unknown
}

/** A result document the procedure issues: made by its template at the signing step and signed there. */
export interface ResultDocumentDefinition {
  id: string
  name: string
  template: 'birth-extract' | 'marital-status' | 'household-business' | 'construction-permit'
  /** The user task at which the officer signs it (`Task_Sign` in the reference workflows). */
  signingStep: string
  /** The agency's organisation seal is added after the officer's signature. */
  seal?: boolean
}

export interface ProcedureDefinition {
  formatVersion: 1
  slug: string
  code: string
  name: string
  nameEn?: string
  field: string
  agencyLevel: AgencyLevel
  agency: string
  levelNote?: string
  /**
   * Reception regardless of place (Nghị định 118/2025/NĐ-CP): any reception point of the province (its service centre
   * and branches, its communes) may receive a dossier of this procedure and forward it to the competent unit.
   */
  receptionAnywhere?: boolean
  onlineLevel: OnlineLevel
  duration: string
  /** Public, Vietnamese: how the period runs; `durationNoteEn` its English translation. */
  durationNote?: string
  durationNoteEn?: string
  supplementPolicy: 'RESTART' | 'PAUSE'
  fees: Fee[]
  components: DossierComponent[]
  resultDelivery: DeliveryOption[]
  result: string
  /** The electronic result documents, each with its template (docs/results.md). */
  resultDocuments?: ResultDocumentDefinition[]
  applicants?: Array<'citizen' | 'organisation' | 'enterprise'>
  legalBasis: LegalDocument[]
  steps: ProcedureStep[]
  /** `decisions`: DMN files in workflows/ deployed with the BPMN (docs/payments.md, fees by case). */
  workflow: { bpmnProcessId: string; file: string; decisions?: string[] }
  form: FormSchema
  sources: Array<{ title: string; url?: string; supports?: string }>
  notes?: string[]
}

export interface DefinitionProblem {
  /** JSON Pointer into the definition (`/steps/2/shareWorkingDays`), or `bpmn:<elementId>` for the workflow. */
  path: string
  /** The BPMN element a definition problem is about too (a step's user task), so the modeler can point at it. */
  elementId?: string
  message: string
}

export type LoadResult = { ok: true; definition: ProcedureDefinition } | { ok: false; problems: DefinitionProblem[] }

export type Duration = { unit: 'SAME_DAY' } | { unit: 'WD' | 'WH' | 'CD'; amount: number }

/** "5 WD" → { unit: 'WD', amount: 5 }; undefined when malformed. */
export function parseDuration(text: string): Duration | undefined {
  if (text === 'SAME_DAY') return { unit: 'SAME_DAY' }
  const m = /^((?:0|[1-9][0-9]*)(?:\.[0-9]+)?) (WD|WH|CD)$/.exec(text)
  if (!m) return undefined
  return { unit: m[2] as 'WD' | 'WH' | 'CD', amount: Number(m[1]) }
}

const metaSchema = JSON.parse(readFileSync(join(formsDir, 'procedure.schema.json'), 'utf8')) as Record<string, unknown>
let validateMeta: ReturnType<InstanceType<typeof Ajv2020>['compile']> | undefined

function metaValidator() {
  if (!validateMeta) {
    // Not strict: the meta-schema describes x-ui keywords of forms as data; it is ours and tested.
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    addFormats(ajv)
    validateMeta = ajv.compile(metaSchema)
  }
  return validateMeta
}

export interface LoadOptions {
  /** Where the workflow file is looked for (default: the repository's workflows/). */
  workflowsDir?: string
  /** The BPMN XML, when it does not come from a file (e.g. an analyst's draft). */
  bpmnXml?: string
  /** The file the definition came from, to check that its name is the slug. */
  fileName?: string
}

/** Meta-schema and cross-checks that need no BPMN; every problem, never the first only. */
export function checkProcedureDefinition(json: unknown, opts: LoadOptions = {}): DefinitionProblem[] {
  const validate = metaValidator()
  // Cross-checks need the definition's shape; after a meta-schema failure they would only add noise.
  if (!validate(json)) return metaProblems(validate.errors ?? [])
  const def = json as ProcedureDefinition
  const problems: DefinitionProblem[] = []
  if (opts.fileName && opts.fileName !== `${def.slug}.json`) {
    problems.push({
      path: '/slug',
      message: `The file is named ${opts.fileName} but the slug is "${def.slug}"; name it ${def.slug}.json`,
    })
  }
  problems.push(...agencyLevelProblems(def))
  problems.push(...duplicateIds(def.components, '/components', 'component'))
  problems.push(...duplicateIds(def.steps, '/steps', 'step'))
  problems.push(...checkShares(def))
  problems.push(...checkForm(def.form))
  if (opts.bpmnXml === undefined && !existsSync(join(opts.workflowsDir ?? workflowsDir, def.workflow.file))) {
    problems.push({
      path: '/workflow/file',
      message: `Workflow file ${def.workflow.file} does not exist in workflows/`,
    })
  }
  if (opts.bpmnXml === undefined)
    for (const [i, name] of (def.workflow.decisions ?? []).entries())
      if (!existsSync(join(opts.workflowsDir ?? workflowsDir, name)))
        problems.push({
          path: `/workflow/decisions/${i}`,
          message: `Decision file ${name} does not exist in workflows/`,
        })
  return problems
}

/** Every check, including the BPMN cross-checks (process id, one user task per step with its unit role). */
export async function loadProcedureDefinition(json: unknown, opts: LoadOptions = {}): Promise<LoadResult> {
  const validate = metaValidator()
  if (!validate(json)) return { ok: false, problems: metaProblems(validate.errors ?? []) }
  const problems = checkProcedureDefinition(json, opts)
  const def = json as ProcedureDefinition
  const xml = opts.bpmnXml ?? readWorkflow(def, opts.workflowsDir ?? workflowsDir)
  if (xml !== undefined) problems.push(...(await crossCheckBpmn(def, xml)))
  return problems.length > 0 ? { ok: false, problems } : { ok: true, definition: def }
}

function readWorkflow(def: ProcedureDefinition, dir: string): string | undefined {
  const file = join(dir, def.workflow.file)
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined
}

function metaProblems(errors: ErrorObject[]): DefinitionProblem[] {
  const seen = new Set<string>()
  const problems: DefinitionProblem[] = []
  for (const e of errors) {
    const params = e.params as Record<string, unknown>
    const path =
      e.keyword === 'required'
        ? `${e.instancePath}/${String(params['missingProperty'])}`
        : e.keyword === 'additionalProperties'
          ? `${e.instancePath}/${String(params['additionalProperty'])}`
          : e.instancePath || '/'
    const detail =
      e.keyword === 'required'
        ? 'is required'
        : e.keyword === 'additionalProperties'
          ? 'is not a known property'
          : e.keyword === 'enum'
            ? `must be one of ${JSON.stringify(params['allowedValues'])}`
            : (e.message ?? e.keyword)
    const message = detail
    const key = `${path}\u0000${message}`
    // allOf/anyOf branches repeat the same complaint; one line per path and message is enough.
    if (seen.has(key)) continue
    seen.add(key)
    problems.push({ path, message })
  }
  return problems
}

/**
 * Districts were abolished on 1 July 2025 (two-level local government): a procedure drafted or published from now on
 * is handled at the province or the commune. Procedures already published at district level stay as history.
 */
function agencyLevelProblems(def: ProcedureDefinition): DefinitionProblem[] {
  if (def.agencyLevel !== 'huyen') return []
  return [
    {
      path: '/agencyLevel',
      message:
        'Cấp huyện đã chấm dứt hoạt động từ 01/7/2025: thủ tục mới chỉ được thực hiện ở cấp tỉnh ("tinh") hoặc cấp xã' +
        ' ("xa") / District-level government was abolished on 1 July 2025: a new procedure is handled at province' +
        ' ("tinh") or commune ("xa") level',
    },
  ]
}

function duplicateIds(items: Array<{ id: string }>, base: string, what: string): DefinitionProblem[] {
  const first = new Map<string, number>()
  const problems: DefinitionProblem[] = []
  items.forEach((item, i) => {
    const j = first.get(item.id)
    if (j === undefined) first.set(item.id, i)
    else problems.push({ path: `${base}/${i}/id`, message: `Duplicate ${what} id "${item.id}" (also ${base}/${j})` })
  })
  return problems
}

// Shares are kept in thousandths of a day so 0.1 + 0.2 sums exactly.
const milli = (n: number): number => Math.round(n * 1000)

function checkShares(def: ProcedureDefinition): DefinitionProblem[] {
  const duration = parseDuration(def.duration)
  if (!duration) return [{ path: '/duration', message: `Malformed duration "${def.duration}"` }]
  const counted = def.steps.filter((s) => !s.outsideDuration)
  const sum = counted.reduce((acc, s) => acc + milli(s.shareWorkingDays), 0)
  const days = (m: number): string => String(m / 1000)
  switch (duration.unit) {
    case 'WD':
      return sum === milli(duration.amount)
        ? []
        : [
            {
              path: '/steps',
              message: `Step shares sum to ${days(sum)} working days but the duration is ${def.duration}`,
            },
          ]
    case 'WH':
      // One working day is 8 working hours (deadlines.md R3).
      return sum === milli(duration.amount / 8)
        ? []
        : [
            {
              path: '/steps',
              message: `Step shares sum to ${days(sum)} working days but the duration ${def.duration} is ${duration.amount / 8} working days`,
            },
          ]
    case 'SAME_DAY':
      return sum <= 1000
        ? []
        : [
            {
              path: '/steps',
              message: `Step shares sum to ${days(sum)} working days but a SAME_DAY procedure has at most 1`,
            },
          ]
    case 'CD':
      // Working days always fit in as many calendar days; the exact fit depends on the calendar.
      return sum <= milli(duration.amount)
        ? []
        : [
            {
              path: '/steps',
              message: `Step shares sum to ${days(sum)} working days, more than the ${def.duration} duration`,
            },
          ]
  }
}

interface SchemaNode {
  type?: unknown
  properties?: Record<string, SchemaNode>
  items?: SchemaNode
  required?: unknown
  enum?: unknown[]
  'x-ui'?: {
    order?: string[]
    widget?: string
    options?: Array<{ value: unknown }>
    label?: Localized
    showWhen?: { field: string }
  }
}

function checkForm(form: FormSchema): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  const compileProblem = formSchemaProblem(form)
  if (compileProblem)
    problems.push({ path: '/form', message: `The form is not a valid JSON Schema: ${compileProblem}` })
  walkForm(form as SchemaNode, '/form', problems)
  problems.push(...patternProblems(form))
  return problems
}

// Keywords whose value is a map of names to subschemas, and those whose value is data, not schema.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'])
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'x-ui'])

/**
 * Every `pattern` (and `patternProperties` key) of the form must be valid ECMAScript, compile on the linear-time
 * engine the form is validated with (no backreferences or lookarounds), and be judged safe by safe-regex2 (no nested
 * repetition such as `^(a+)+$`, which stalls a backtracking engine for seconds on 32 characters). Each problem names
 * the field in Vietnamese and English.
 */
export function patternProblems(form: unknown): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  const check = (pattern: string, path: string, field: Localized): void => {
    const refusal = patternRefusal(pattern)
    if (refusal)
      problems.push({
        path,
        message: `Trường "${field.vi}": mẫu kiểm tra (pattern) ${JSON.stringify(pattern)} ${refusal.vi} / Field "${field.en ?? field.vi}": the pattern ${JSON.stringify(pattern)} ${refusal.en}`,
      })
  }
  const visit = (node: unknown, path: string, field: Localized): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${path}/${i}`, field))
      return
    }
    if (!node || typeof node !== 'object') return
    const schema = node as Record<string, unknown>
    const label = (schema['x-ui'] as { label?: Localized } | undefined)?.label
    const name = label ?? (typeof schema['title'] === 'string' ? { vi: schema['title'] } : field)
    for (const [key, value] of Object.entries(schema)) {
      const at = `${path}/${pointerKey(key)}`
      if (DATA_KEYWORDS.has(key)) continue
      if (key === 'pattern' && typeof value === 'string') check(value, at, name)
      else if (SCHEMA_MAPS.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [child, sub] of Object.entries(value)) {
          if (key === 'patternProperties') check(child, `${at}/${pointerKey(child)}`, name)
          visit(sub, `${at}/${pointerKey(child)}`, key === 'properties' ? { vi: child } : name)
        }
      } else visit(value, at, name)
    }
  }
  visit(form, '/form', { vi: 'biểu mẫu', en: 'form' })
  return problems
}

const pointerKey = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1')

function patternRefusal(pattern: string): { vi: string; en: string } | undefined {
  try {
    new RegExp(pattern, 'u')
  } catch (err) {
    return {
      vi: `không phải biểu thức chính quy hợp lệ`,
      en: `is not a valid regular expression: ${(err as Error).message}`,
    }
  }
  const unsupported = linearPatternProblem(pattern)
  if (unsupported)
    return {
      vi: 'dùng cú pháp không được hỗ trợ (tham chiếu ngược, nhìn trước/nhìn sau…)',
      en: `uses syntax the linear-time engine does not support (backreferences, lookarounds…): ${unsupported}`,
    }
  return safePatternProblem(pattern)
}

function walkForm(node: SchemaNode, path: string, problems: DefinitionProblem[]): void {
  const props = node.properties
  const ui = node['x-ui']
  if (props) {
    const names = Object.keys(props)
    for (const name of ui?.order ?? []) {
      if (!names.includes(name))
        problems.push({ path: `${path}/x-ui/order`, message: `order names "${name}", which is not a property` })
    }
    if (Array.isArray(node.required)) {
      for (const name of node.required as unknown[]) {
        if (typeof name === 'string' && !names.includes(name))
          problems.push({ path: `${path}/required`, message: `"${name}" is required but is not a property` })
      }
    }
    for (const [name, child] of Object.entries(props)) {
      // A condition reads a field of the same group: the renderer looks the value up beside the field.
      const when = child['x-ui']?.showWhen?.field
      if (when !== undefined && (when === name || !names.includes(when)))
        problems.push({
          path: `${path}/properties/${name}/x-ui/showWhen/field`,
          message: `showWhen names "${when}", which is not another field of the same group`,
        })
      walkForm(child, `${path}/properties/${name}`, problems)
    }
  }
  if (node.items) walkForm(node.items, `${path}/items`, problems)
  if ((ui?.widget === 'select' || ui?.widget === 'radio') && !node.enum && !ui.options) {
    problems.push({ path: `${path}/x-ui/widget`, message: `A ${ui.widget} needs an enum or options` })
  }
  if (ui?.options && node.enum) {
    for (const o of ui.options) {
      if (!node.enum.includes(o.value))
        problems.push({
          path: `${path}/x-ui/options`,
          message: `Option ${JSON.stringify(o.value)} is not one of the enum values`,
        })
    }
  }
  if (ui?.widget === 'address' && !props)
    problems.push({
      path: `${path}/x-ui/widget`,
      message: 'An address widget needs an object with the address parts as properties',
    })
}

/** Cross-checks against the BPMN: the process id, and each step a user task with the step's unit role. */
export async function crossCheckBpmn(def: ProcedureDefinition, xml: string): Promise<DefinitionProblem[]> {
  const parsed = await parseBpmn(xml)
  if (!parsed.ok)
    return [{ path: '/workflow/file', message: `${def.workflow.file} cannot be read as BPMN: ${parsed.message}` }]
  const process = parsed.processes.find((p) => p.id === def.workflow.bpmnProcessId)
  if (!process) {
    return [
      {
        path: '/workflow/bpmnProcessId',
        message: `${def.workflow.file} has no process "${def.workflow.bpmnProcessId}" (it has: ${parsed.processes.map((p) => p.id).join(', ') || 'none'})`,
      },
    ]
  }
  const problems: DefinitionProblem[] = []
  if (!process.executable)
    problems.push({
      path: '/workflow/bpmnProcessId',
      message: `Process "${process.id}" is not executable (isExecutable="true" is missing)`,
    })
  def.steps.forEach((step, i) => {
    const task = process.userTasks.get(step.id)
    if (!task) {
      problems.push({ path: `/steps/${i}/id`, message: `No user task "${step.id}" in process "${process.id}"` })
      return
    }
    if (!task.candidateGroups.includes(step.unitRole)) {
      problems.push({
        path: `/steps/${i}/unitRole`,
        elementId: step.id,
        message: `User task "${step.id}" has candidate groups [${task.candidateGroups.join(', ')}], not "${step.unitRole}"`,
      })
    }
  })
  problems.push(...handlingRuleProblems(process))
  return problems
}

/** Each user task's handling-unit rule (its `unit` header) must read (workflows/README.md, "Who handles a step"). */
function handlingRuleProblems(process: ProcessSummary): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  for (const [id, task] of process.userTasks) {
    const read = handlingRuleOf(task.headers)
    if ('problem' in read)
      problems.push({ path: `bpmn:${id}`, elementId: id, message: `User task "${id}": unit ${read.problem}` })
  }
  return problems
}

/** The agency codes the user tasks' handling-unit rules name, each with its task (checked against the units). */
export async function agencyCodesNamed(xml: string): Promise<Array<{ elementId: string; code: string }>> {
  const parsed = await parseBpmn(xml)
  if (!parsed.ok) return []
  return parsed.processes.flatMap((p) =>
    [...p.userTasks].flatMap(([elementId, task]) => {
      const read = handlingRuleOf(task.headers)
      return 'rule' in read ? agencyCodesOf(read.rule).map((code) => ({ elementId, code })) : []
    }),
  )
}

/**
 * The definition as it is stored: every object of the form that has no `x-ui.order` gets its properties' order as
 * written, because the database keeps definitions as jsonb, which does not keep key order (the address would ask
 * for the commune before the province). The checksum is taken from the definition as written, not from this.
 */
export function withPropertyOrder(def: ProcedureDefinition): ProcedureDefinition {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit)
    if (!node || typeof node !== 'object') return node
    const out: Record<string, unknown> = {}
    // Conditions (the form builder's `if` of a field required when shown) and data are never rendered: left as written.
    for (const [k, v] of Object.entries(node)) out[k] = k === 'if' || k === 'not' || DATA_KEYWORDS.has(k) ? v : visit(v)
    const props = (node as SchemaNode).properties
    const ui = (node as SchemaNode)['x-ui']
    if (props && typeof props === 'object' && !Array.isArray(props) && !ui?.order)
      out['x-ui'] = { ...(ui ?? {}), order: Object.keys(props) }
    return out
  }
  return { ...def, form: visit(def.form) as FormSchema }
}

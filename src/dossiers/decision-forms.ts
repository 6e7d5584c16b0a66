// The decision form of each kind of user task (a JSON schema the officer's workspace renders), and its validation.
import { Ajv, type ErrorObject } from 'ajv'
import { AppError } from '../errors.js'

export type Decision = 'accept' | 'supplement' | 'refuse' | 'approve' | 'returnToPrevious' | 'returned'

/** The decisions of a processing step whose workflow does not name them (no `decisions` header on the user task). */
export const defaultProcessingDecisions: readonly Decision[] = ['approve', 'supplement', 'refuse']
const processingDecisions: readonly Decision[] = ['approve', 'supplement', 'refuse', 'returnToPrevious']

/** Required reason or missing components follow the decision (if/then), so the form says exactly what each needs. */
const reasonRules = [
  { if: { properties: { decision: { const: 'supplement' } } }, then: { required: ['missing'] } },
  { if: { properties: { decision: { const: 'refuse' } } }, then: { required: ['reason'] } },
  { if: { properties: { decision: { const: 'returnToPrevious' } } }, then: { required: ['reason'] } },
]

const common = {
  note: { type: 'string', maxLength: 2000, title: 'Ghi chú / Note' },
  reason: {
    type: 'string',
    minLength: 1,
    maxLength: 2000,
    pattern: '\\S',
    title: 'Lý do / Reason (required to refuse or to return to the previous step)',
  },
  missing: {
    type: 'array',
    minItems: 1,
    maxItems: 50,
    uniqueItems: true,
    items: { type: 'string', minLength: 1, maxLength: 200 },
    title: 'Thành phần còn thiếu / Missing components (required to ask for a supplement)',
  },
} as const

/** Reception at the one-stop counter: accept (receipt and appointment date follow), ask for a supplement, or refuse. */
const receptionForm = {
  type: 'object',
  title: 'Kiểm tra hồ sơ / Completeness check',
  properties: { decision: { type: 'string', enum: ['accept', 'supplement', 'refuse'] }, ...common },
  required: ['decision'],
  allOf: reasonRules,
  additionalProperties: false,
} as const

/**
 * A processing step (appraise, verify, review, sign …) offers the decisions its workflow routes after it: approve
 * and hand off, ask for a supplement once, refuse, or return the dossier to the previous step (with a reason).
 */
/** The yes/no questions an approval may answer, each read by a gateway of the models that ask it. */
export const decisionFlags = ['verificationNeeded', 'consultationNeeded'] as const
export type DecisionFlag = (typeof decisionFlags)[number]

const flagFields = {
  verificationNeeded: { type: 'boolean', title: 'Cần xác minh / Verification needed' },
  consultationNeeded: { type: 'boolean', title: 'Cần lấy ý kiến / Consultation needed' },
} as const

function processingForm(
  decisions: readonly Decision[],
  nextUnits: readonly string[] = [],
  flags: readonly DecisionFlag[] = decisionFlags,
) {
  const chosen = nextUnits.length > 0 && decisions.includes('approve')
  const asked = decisions.includes('approve') ? flags : []
  return {
    type: 'object',
    title: 'Xử lý / Processing decision',
    properties: {
      decision: { type: 'string', enum: decisions },
      // The next step's unit is the officer's choice (its `unit` rule is `chosen`): an approval names one of the
      // agencies the model allows, which becomes the process variable `nextUnit`.
      ...(chosen
        ? { nextUnit: { type: 'string', enum: nextUnits, title: 'Chuyển đến cơ quan / Send to agency' } }
        : {}),
      // Only the questions the model routes on after this step: a box nothing reads would mislead the officer.
      ...Object.fromEntries(asked.map((f) => [f, flagFields[f]])),
      ...common,
    },
    required: ['decision'],
    allOf: chosen
      ? [...reasonRules, { if: { properties: { decision: { const: 'approve' } } }, then: { required: ['nextUnit'] } }]
      : reasonRules,
    additionalProperties: false,
  } as const
}

/** Handing the result to the applicant (counter or post). */
const returnForm = {
  type: 'object',
  title: 'Trả kết quả / Return the result',
  properties: { decision: { type: 'string', enum: ['returned'] }, note: common.note },
  required: ['decision'],
  additionalProperties: false,
} as const

/**
 * The decisions a task offers: the reception and return tasks by their element id; a processing step those its
 * user task's `decisions` header names (unknown names are ignored), else approve / supplement / refuse.
 */
export function decisionsOf(elementId: string, declared?: readonly string[] | null): readonly Decision[] {
  if (elementId === 'Task_Receive') return receptionForm.properties.decision.enum
  if (elementId === 'Task_Return') return returnForm.properties.decision.enum
  const named = (declared ?? []).filter((d): d is Decision => processingDecisions.includes(d as Decision))
  return named.length > 0 ? named : defaultProcessingDecisions
}

const ajv = new Ajv({ allErrors: true, strict: false })
const forms = new Map<string, { schema: Record<string, unknown>; validate: ReturnType<typeof ajv.compile> }>()

/** `nextUnits`: the agency codes an approval chooses among when the next step's unit is chosen (next-unit.ts). */
export function decisionFormFor(
  elementId: string,
  declared?: readonly string[] | null,
  nextUnits?: readonly string[],
  flags?: readonly DecisionFlag[],
): Record<string, unknown> {
  return formOf(elementId, declared, nextUnits, flags).schema
}

function formOf(
  elementId: string,
  declared?: readonly string[] | null,
  nextUnits: readonly string[] = [],
  flags: readonly DecisionFlag[] = decisionFlags,
) {
  const decisions = decisionsOf(elementId, declared)
  const key =
    elementId === 'Task_Receive' || elementId === 'Task_Return'
      ? elementId
      : `${decisions.join(',')}${nextUnits.length ? `>${nextUnits.join(',')}` : ''}?${flags.join(',')}`
  let form = forms.get(key)
  if (!form) {
    const schema =
      elementId === 'Task_Receive'
        ? receptionForm
        : elementId === 'Task_Return'
          ? returnForm
          : processingForm(decisions, nextUnits, flags)
    form = { schema, validate: ajv.compile(schema) }
    forms.set(key, form)
  }
  return form
}

export interface DecisionBody {
  decision: Decision
  note?: string
  reason?: string
  missing?: string[]
  verificationNeeded?: boolean
  consultationNeeded?: boolean
  /** The agency code of the next step's unit, when the officer chooses it. */
  nextUnit?: string
}

/** 400 MC_ERR_VALIDATION with each problem by field unless the body fits the task's decision form. */
export function validateDecision(
  elementId: string,
  body: unknown,
  declared?: readonly string[] | null,
  nextUnits?: readonly string[],
  flags?: readonly DecisionFlag[],
): DecisionBody {
  const { validate } = formOf(elementId, declared, nextUnits, flags)
  if (validate(body)) return body as DecisionBody
  const errors = (validate.errors ?? [])
    .filter((e: ErrorObject) => e.keyword !== 'if')
    .map((e: ErrorObject) => ({
      field:
        `body${e.instancePath}`.replace(/\//g, '.') +
        (e.keyword === 'required' ? `.${(e.params as { missingProperty: string }).missingProperty}` : ''),
      keyword: e.keyword,
      message: e.message,
    }))
  throw new AppError('MC_ERR_VALIDATION', `The decision does not fit the form of ${elementId}`, { errors })
}

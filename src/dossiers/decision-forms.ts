// The decision form of each kind of user task (a JSON schema the officer's workspace renders), and its validation.
import { Ajv, type ErrorObject } from 'ajv'
import { AppError } from '../errors.js'

export type Decision = 'accept' | 'supplement' | 'refuse' | 'approve' | 'returned'

/** Required reason or missing components follow the decision (if/then), so the form says exactly what each needs. */
const reasonRules = [
  { if: { properties: { decision: { const: 'supplement' } } }, then: { required: ['missing'] } },
  { if: { properties: { decision: { const: 'refuse' } } }, then: { required: ['reason'] } },
]

const common = {
  note: { type: 'string', maxLength: 2000, title: 'Ghi chú / Note' },
  reason: { type: 'string', minLength: 1, maxLength: 2000, pattern: '\\S', title: 'Lý do / Reason (required to refuse)' },
  missing: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 200 }, title: 'Thành phần còn thiếu / Missing components (required to ask for a supplement)' },
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

/** A processing step (appraise, verify, review, sign …): approve and hand off, ask for a supplement once, or refuse. */
const processingForm = {
  type: 'object',
  title: 'Xử lý / Processing decision',
  properties: {
    decision: { type: 'string', enum: ['approve', 'supplement', 'refuse'] },
    verificationNeeded: { type: 'boolean', title: 'Cần xác minh / Verification needed' },
    consultationNeeded: { type: 'boolean', title: 'Cần lấy ý kiến / Consultation needed' },
    ...common,
  },
  required: ['decision'],
  allOf: reasonRules,
  additionalProperties: false,
} as const

/** Handing the result to the applicant (counter or post). */
const returnForm = {
  type: 'object',
  title: 'Trả kết quả / Return the result',
  properties: { decision: { type: 'string', enum: ['returned'] }, note: common.note },
  required: ['decision'],
  additionalProperties: false,
} as const

export function decisionFormFor(elementId: string): Record<string, unknown> {
  if (elementId === 'Task_Receive') return receptionForm
  if (elementId === 'Task_Return') return returnForm
  return processingForm
}

const ajv = new Ajv({ allErrors: true, strict: false })
const validators = new Map([receptionForm, processingForm, returnForm].map((s) => [s, ajv.compile(s)]))

export interface DecisionBody {
  decision: Decision
  note?: string
  reason?: string
  missing?: string[]
  verificationNeeded?: boolean
  consultationNeeded?: boolean
}

/** 400 MC_ERR_VALIDATION with each problem by field unless the body fits the task's decision form. */
export function validateDecision(elementId: string, body: unknown): DecisionBody {
  const schema = decisionFormFor(elementId)
  const validate = validators.get(schema as typeof receptionForm)!
  if (validate(body)) return body as DecisionBody
  const errors = (validate.errors ?? [])
    .filter((e: ErrorObject) => e.keyword !== 'if')
    .map((e: ErrorObject) => ({ field: `body${e.instancePath}`.replace(/\//g, '.') + (e.keyword === 'required' ? `.${(e.params as { missingProperty: string }).missingProperty}` : ''), keyword: e.keyword, message: e.message }))
  throw new AppError('MC_ERR_VALIDATION', `The decision does not fit the form of ${elementId}`, { errors })
}

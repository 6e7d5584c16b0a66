// JSON schemas of the dossier API (citizen portal, counter intake, officers' dossier detail); OpenAPI is generated from
// them.
export const problem = { $ref: 'Problem#' } as const

const uuid = { type: 'string', format: 'uuid' } as const
const nullableText = { type: ['string', 'null'] } as const
const dateTime = { type: 'string', format: 'date-time' } as const
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const
export const deliveryMethod = {
  type: 'string',
  enum: ['online', 'counter', 'post'],
  description: 'cách nhận kết quả / how the result is returned',
} as const
const slug = { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 120 } as const
const unitId = { type: 'string', minLength: 1, maxLength: 100 } as const
const componentId = { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 120 } as const
const dossierCode = { type: 'string', minLength: 3, maxLength: 60, pattern: '^[A-Za-z0-9.\\-]+$' } as const
const formData = {
  type: 'object',
  additionalProperties: true,
  maxProperties: 200,
  description: 'dữ liệu tờ khai theo JSON schema của thủ tục / form data',
} as const
const statusLabel = {
  type: 'object',
  properties: { vi: { type: 'string' }, en: { type: 'string' } },
  required: ['vi', 'en'],
} as const

export const dossierParams = {
  type: 'object',
  properties: { dossierId: uuid },
  required: ['dossierId'],
  additionalProperties: false,
} as const
export const draftParams = {
  type: 'object',
  properties: { draftId: uuid },
  required: ['draftId'],
  additionalProperties: false,
} as const
export const draftComponentParams = {
  type: 'object',
  properties: { draftId: uuid, componentId },
  required: ['draftId', 'componentId'],
  additionalProperties: false,
} as const
export const dossierComponentParams = {
  type: 'object',
  properties: { dossierId: uuid, componentId },
  required: ['dossierId', 'componentId'],
  additionalProperties: false,
} as const
export const dossierFileParams = {
  type: 'object',
  properties: { dossierId: uuid, fileId: uuid },
  required: ['dossierId', 'fileId'],
  additionalProperties: false,
} as const

export const idempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 8,
      maxLength: 200,
      pattern: '^[A-Za-z0-9._:-]+$',
      description: 'khoá chống gửi trùng: a retried request with the same key returns the first answer',
    },
  },
  required: ['idempotency-key'],
} as const

const attachmentInput = {
  type: 'object',
  properties: { componentId, fileId: uuid, reuseFromDossierCode: dossierCode },
  required: ['componentId'],
  additionalProperties: false,
} as const

export const draftCreateBody = {
  type: 'object',
  properties: { procedure: slug, agencyUnitId: unitId, formData, deliveryMethod },
  required: ['procedure'],
  additionalProperties: false,
} as const

export const draftPatchBody = {
  type: 'object',
  properties: { agencyUnitId: unitId, formData, deliveryMethod },
  minProperties: 1,
  additionalProperties: false,
} as const

export const draft = {
  type: 'object',
  properties: {
    id: uuid,
    procedure: { type: 'string' },
    agencyUnitId: nullableText,
    formData: { type: 'object', additionalProperties: true },
    deliveryMethod: { type: ['string', 'null'], enum: ['online', 'counter', 'post', null] },
    attachments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          componentId: { type: 'string' },
          fileId: { type: 'string' },
          reuseFromDossierCode: { type: 'string' },
        },
      },
    },
    submittedDossierId: { type: ['string', 'null'] },
    updatedAt: dateTime,
  },
  required: ['id', 'procedure', 'formData', 'attachments', 'updatedAt'],
} as const

export const reuseBody = {
  type: 'object',
  properties: { dossierCode },
  required: ['dossierCode'],
  additionalProperties: false,
} as const

export const uploaded = {
  type: 'object',
  properties: {
    fileId: uuid,
    componentId: { type: 'string' },
    mime: { type: 'string' },
    size: { type: 'integer' },
    name: { type: 'string' },
    draft,
  },
  required: ['fileId', 'componentId', 'mime', 'size', 'name'],
} as const

export const commandResult = {
  type: 'object',
  properties: {
    dossierId: uuid,
    status: { type: 'integer', minimum: 1, maximum: 10 },
    code: { type: ['string', 'null'], description: 'mã hồ sơ, given at acceptance' },
  },
  required: ['dossierId', 'status', 'code'],
} as const

export const dossierSummary = {
  type: 'object',
  properties: {
    id: uuid,
    code: nullableText,
    status: { type: 'integer' },
    statusLabel,
    procedureName: { type: 'string' },
    applicantName: { type: 'string' },
    submittedAt: dateTime,
    dueDate: { type: ['string', 'null'], description: 'ngày hẹn trả kết quả / appointment date' },
    dueAt: nullableDateTime,
    overdue: { type: 'boolean' },
    currentStepName: nullableText,
    currentUnitRole: nullableText,
  },
  required: ['id', 'code', 'status', 'statusLabel', 'procedureName', 'submittedAt', 'dueDate', 'overdue'],
} as const

export const dossierList = {
  type: 'object',
  properties: { items: { type: 'array', items: dossierSummary } },
  required: ['items'],
} as const

export const mineQuery = {
  type: 'object',
  properties: {
    status: { type: 'integer', minimum: 1, maximum: 10 },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 100000, default: 0 },
  },
  additionalProperties: false,
} as const

export const unitQuery = {
  type: 'object',
  properties: { ...mineQuery.properties, overdue: { type: 'boolean' }, dueBefore: dateTime },
  additionalProperties: false,
} as const

/** The detail with timeline: the main fields are typed; nested records pass as they are. */
export const dossierDetail = {
  type: 'object',
  properties: {
    id: uuid,
    code: nullableText,
    status: { type: 'integer' },
    statusLabel,
    procedure: { type: 'object', additionalProperties: true },
    agency: { type: 'object', additionalProperties: true },
    competentAgency: { type: ['object', 'null'], additionalProperties: true },
    applicant: { type: 'object', additionalProperties: true },
    channel: { type: 'string' },
    deliveryMethod: { type: 'string' },
    formData: { type: 'object', additionalProperties: true },
    submittedAt: dateTime,
    acceptedAt: nullableDateTime,
    receiptDate: nullableText,
    dueDate: { type: ['string', 'null'], description: 'ngày hẹn trả kết quả / appointment date' },
    dueAt: nullableDateTime,
    originalDueDate: nullableText,
    overdue: { type: 'boolean' },
    paused: { type: 'boolean' },
    supplement: { type: 'object', additionalProperties: true },
    extension: { type: ['object', 'null'], additionalProperties: true },
    current: { type: 'object', additionalProperties: true },
    result: { type: 'object', additionalProperties: true },
    closeReason: nullableText,
    attachments: { type: 'array', items: { type: 'object', additionalProperties: true } },
    steps: { type: 'array', items: { type: 'object', additionalProperties: true } },
    route: {
      type: 'array',
      description:
        'quy trình liên thông / every step with its handling agency, officer (staff only), since, due, on time',
      items: { type: 'object', additionalProperties: true },
    },
    timeline: { type: 'array', items: { type: 'object', additionalProperties: true } },
    openTasks: { type: 'array', items: { type: 'object', additionalProperties: true } },
    incidents: { type: 'array', items: { type: 'object', additionalProperties: true } },
    version: { type: 'integer' },
  },
  required: ['id', 'code', 'status', 'statusLabel', 'timeline', 'dueDate'],
} as const

export const supplementBody = {
  type: 'object',
  properties: {
    formData,
    attachments: { type: 'array', maxItems: 50, items: attachmentInput },
    note: { type: 'string', maxLength: 2000 },
  },
  additionalProperties: false,
} as const

export const withdrawBody = {
  type: 'object',
  properties: { reason: { type: 'string', maxLength: 2000 } },
  additionalProperties: false,
} as const

export const paymentStartBody = {
  type: 'object',
  properties: {
    provider: { type: 'string', enum: ['sandbox'], default: 'sandbox' },
    // The shape only; `safeReturnUrl` (src/lib/safe-return-url.ts) decides whether it stays on this portal.
    returnUrl: { type: 'string', maxLength: 500, pattern: '^/[^/\\\\]', default: '/ho-so' },
  },
  additionalProperties: false,
} as const

export const payment = {
  type: 'object',
  properties: {
    paymentId: uuid,
    reference: { type: 'string' },
    provider: { type: 'string' },
    providerLabel: { type: 'string' },
    sandbox: { type: 'boolean' },
    amountVnd: { type: 'integer' },
    status: { type: 'string', enum: ['pending', 'paid', 'failed'] },
    redirectUrl: { type: 'string' },
    reused: {
      type: 'boolean',
      description:
        'the payment already open for this dossier and gateway, answered again (a retried start never opens a second one)',
    },
  },
  required: ['paymentId', 'reference', 'provider', 'providerLabel', 'sandbox', 'amountVnd', 'status'],
} as const

export const paymentCallbackParams = {
  type: 'object',
  properties: { provider: { type: 'string', pattern: '^[a-z0-9-]{1,40}$' } },
  required: ['provider'],
  additionalProperties: false,
} as const
export const paymentCallbackBody = {
  type: 'object',
  properties: {
    reference: { type: 'string', minLength: 1, maxLength: 100 },
    status: { type: 'string', enum: ['paid', 'failed'] },
    signature: { type: 'string', minLength: 1, maxLength: 200 },
  },
  required: ['reference', 'status', 'signature'],
  additionalProperties: false,
} as const

export const ratingBody = {
  type: 'object',
  properties: { score: { type: 'integer', minimum: 1, maximum: 5 }, comment: { type: 'string', maxLength: 2000 } },
  required: ['score'],
  additionalProperties: false,
} as const

export const rating = {
  type: 'object',
  properties: { dossierId: uuid, score: { type: 'integer' }, comment: nullableText, createdAt: dateTime },
  required: ['dossierId', 'score', 'createdAt'],
} as const

export const intakeBody = {
  type: 'object',
  properties: {
    procedure: slug,
    agencyUnitId: unitId,
    competentUnitId: {
      ...unitId,
      description:
        'Tiếp nhận không phụ thuộc địa giới hành chính / the competent unit when agencyUnitId (the reception point) is not',
    },
    formData,
    deliveryMethod,
    applicant: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200 },
        idNumber: {
          type: 'string',
          pattern: '^(\\d{12}|\\d{10}(-\\d{3})?)$',
          description: 'CCCD (12 digits) or tax code',
        },
        email: { type: 'string', format: 'email', maxLength: 200 },
        phone: { type: 'string', pattern: '^[0-9+ ]{6,20}$' },
      },
      required: ['name'],
      additionalProperties: false,
    },
    attachments: { type: 'array', maxItems: 50, items: attachmentInput },
  },
  required: ['procedure', 'agencyUnitId', 'formData', 'deliveryMethod', 'applicant'],
  additionalProperties: false,
} as const

export const multipartBody = {
  description:
    'multipart/form-data with one part named "file"; the component’s accepted types and size apply, and the bytes decide the type',
} as const

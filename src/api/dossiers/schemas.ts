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
/** The address a result is posted to; parts may be missing in a draft, all are checked when the dossier is
 * submitted. */
export const deliveryAddressInput = {
  type: ['object', 'null'],
  properties: {
    provinceCode: { type: 'string', pattern: '^[0-9]{2}$', description: 'mã tỉnh of the official list' },
    communeCode: { type: 'string', pattern: '^[0-9]{5}$', description: 'mã xã of the official list' },
    street: { type: 'string', maxLength: 200, description: 'số nhà, đường, thôn/xóm / house number, street, hamlet' },
    phone: { type: 'string', maxLength: 20, description: 'the phone the postman calls, if not the applicant’s' },
  },
  additionalProperties: false,
  description: 'địa chỉ nhận kết quả qua bưu chính / where the result is posted (deliveryMethod "post")',
} as const
const deliveryAddress = {
  type: ['object', 'null'],
  properties: {
    provinceCode: { type: 'string' },
    provinceName: { type: 'string' },
    communeCode: { type: 'string' },
    communeName: { type: 'string' },
    street: { type: 'string' },
    phone: { type: 'string' },
  },
} as const
const draftDeliveryAddress = {
  type: ['object', 'null'],
  properties: deliveryAddressInput.properties,
} as const
export const shipment = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    carrier: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string', description: 'the carrier’s name when the parcel left' },
      },
    },
    trackingNumber: { type: 'string', description: 'số hiệu bưu gửi' },
    shippedOn: { type: 'string', format: 'date' },
    recordedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'carrier', 'trackingNumber', 'shippedOn', 'recordedAt'],
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
export const procedureComponentParams = {
  type: 'object',
  properties: { slug, componentId },
  required: ['slug', 'componentId'],
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

/** A document of the applicant's store ("kho dữ liệu"): a signed result (uuid) or an accepted component (digits). */
const storePick = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['result', 'component'] },
    id: { type: 'string', minLength: 1, maxLength: 36, pattern: '^[0-9a-fA-F-]+$' },
  },
  required: ['kind', 'id'],
  additionalProperties: false,
} as const

const attachmentInput = {
  type: 'object',
  properties: {
    componentId,
    fileId: uuid,
    reuseFromDossierCode: dossierCode,
    reuseFromStore: { ...storePick, description: 'Chọn từ kho dữ liệu / a document of the applicant’s store' },
  },
  required: ['componentId'],
  additionalProperties: false,
} as const

export const draftCreateBody = {
  type: 'object',
  properties: {
    procedure: slug,
    agencyUnitId: unitId,
    formData,
    deliveryMethod,
    deliveryAddress: deliveryAddressInput,
  },
  required: ['procedure'],
  additionalProperties: false,
} as const

export const draftListQuery = {
  type: 'object',
  properties: { procedure: slug },
  additionalProperties: false,
} as const

export const draftList = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: uuid,
          procedure: { type: 'string' },
          procedureName: nullableText,
          createdAt: dateTime,
          updatedAt: dateTime,
        },
        required: ['id', 'procedure', 'procedureName', 'createdAt', 'updatedAt'],
      },
    },
  },
  required: ['items'],
} as const

export const draftPatchBody = {
  type: 'object',
  properties: { agencyUnitId: unitId, formData, deliveryMethod, deliveryAddress: deliveryAddressInput },
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
    deliveryAddress: draftDeliveryAddress,
    attachments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          componentId: { type: 'string' },
          fileId: { type: 'string' },
          reuseFromDossierCode: { type: 'string' },
          reuseFromStore: {
            type: 'object',
            properties: { kind: { type: 'string' }, id: { type: 'string' } },
          },
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

export const storeBody = storePick

const storeItem = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['result', 'component'], description: 'kết quả điện tử / thành phần hồ sơ' },
    id: { type: 'string' },
    title: { type: 'string' },
    resultNo: nullableText,
    dossierId: uuid,
    dossierCode: { type: 'string' },
    procedureName: { type: 'string' },
    fileName: { type: 'string' },
    mime: { type: 'string' },
    size: { type: 'integer' },
    sha256: { type: 'string' },
    at: dateTime,
  },
  required: [
    'kind',
    'id',
    'title',
    'resultNo',
    'dossierId',
    'dossierCode',
    'procedureName',
    'fileName',
    'mime',
    'size',
    'sha256',
    'at',
  ],
} as const

export const storeList = {
  type: 'object',
  properties: { items: { type: 'array', items: storeItem } },
  required: ['items'],
} as const

export const counterStoreQuery = {
  type: 'object',
  properties: {
    idNumber: {
      type: 'string',
      pattern: '^(\\d{12}|\\d{10}(-\\d{3})?)$',
      description: 'the CCCD (or tax code) on the card the officer checked',
    },
  },
  required: ['idNumber'],
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

export const supplementResult = {
  type: 'object',
  properties: {
    ...commandResult.properties,
    stillMissing: {
      type: 'array',
      description: 'what the request asked for and this supplement does not bring (its note says why)',
      items: {
        type: 'object',
        properties: { componentId: { type: 'string' }, name: { type: 'string' } },
        required: ['componentId', 'name'],
      },
    },
  },
  required: [...commandResult.required, 'stillMissing'],
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
    deliveryAddress,
    shipments: { type: 'array', items: shipment, description: 'the parcels the result was posted in' },
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
    provider: { type: 'string', enum: ['sandbox', 'vnpay', 'vietqr'], default: 'sandbox' },
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
    transfer: {
      type: 'object',
      description: 'a bank transfer to make (VietQR): the account, the exact amount and the content naming the payment',
      properties: {
        bankBin: { type: 'string' },
        bankName: { type: 'string' },
        accountNumber: { type: 'string' },
        accountName: { type: 'string' },
        amountVnd: { type: 'integer' },
        content: { type: 'string' },
        qrPayload: { type: 'string', description: 'the NAPAS VietQR (EMVCo) payload the QR code encodes' },
        qrImage: { type: 'string', description: 'the QR code of the payload, a PNG data URL' },
      },
      required: ['bankBin', 'bankName', 'accountNumber', 'accountName', 'amountVnd', 'content', 'qrPayload', 'qrImage'],
    },
    expiresAt: { type: 'string', format: 'date-time', description: 'when the gateway stops taking this payment' },
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
    deliveryAddress: deliveryAddressInput,
    applicant: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200 },
        idNumber: {
          type: 'string',
          pattern: '^(\\d{12}|\\d{10}(-\\d{3})?)$',
          description: 'CCCD (12 digits) or tax code',
        },
        passportNumber: { type: 'string', pattern: '^[A-Za-z0-9]{6,20}$', description: 'hộ chiếu (foreigners)' },
        oldIdNumber: { type: 'string', pattern: '^\\d{9}$', description: 'CMND cũ, 9 digits' },
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

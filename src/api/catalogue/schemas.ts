// JSON schemas of the catalogue API: requests, procedures, versions, diffs (OpenAPI is generated from them).
export const problem = { $ref: 'Problem#' } as const

const text = { type: 'string' } as const
const nullableText = { type: ['string', 'null'] } as const
const agencyLevel = { type: 'string', enum: ['tinh', 'huyen', 'xa'], description: 'cấp tỉnh / huyện / xã' } as const
const onlineLevel = {
  type: 'string',
  enum: ['toan-trinh', 'mot-phan'],
  description: 'dịch vụ công trực tuyến toàn trình / một phần',
} as const

export const slugParams = {
  type: 'object',
  properties: { slug: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 120 } },
  required: ['slug'],
  additionalProperties: false,
} as const

export const versionParams = {
  type: 'object',
  // The bound of the integer column: a larger number (a valid integer to ajv) failed in PostgreSQL with a 500.
  properties: { ...slugParams.properties, version: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } },
  required: ['slug', 'version'],
  additionalProperties: false,
} as const

export const searchQuery = {
  type: 'object',
  properties: {
    q: {
      type: 'string',
      maxLength: 200,
      description: 'Từ khoá, có hoặc không dấu / keywords, with or without diacritics',
    },
    field: { type: 'string', maxLength: 200, description: 'lĩnh vực, e.g. "Hộ tịch"' },
    agency: { type: 'string', maxLength: 300 },
    agencyLevel,
    onlineLevel,
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    offset: { type: 'integer', minimum: 0, maximum: 100000, default: 0 },
    includeDrafts: {
      type: 'boolean',
      default: false,
      description: 'analysts (catalogue.edit): also procedures never published, which have only a draft',
    },
  },
  additionalProperties: false,
} as const

const summaryProperties = {
  code: { type: 'string', description: 'mã thủ tục hành chính (national TTHC code)' },
  slug: text,
  name: text,
  field: text,
  agencyLevel,
  agency: text,
  onlineLevel,
  publishedVersion: { type: ['integer', 'null'] },
} as const

export const procedureSummary = {
  type: 'object',
  properties: summaryProperties,
  required: ['code', 'slug', 'name', 'field', 'agencyLevel', 'agency', 'onlineLevel'],
} as const

const feeSummary = {
  type: 'object',
  properties: {
    name: text,
    kind: { type: 'string', enum: ['phi', 'le-phi'] },
    amountVnd: { type: ['integer', 'null'], description: 'null: set by the provincial council' },
    onlineAmountVnd: { type: 'integer', description: 'the amount for an online submission, where it is lower' },
    perField: { type: 'string', description: 'the amount is per unit (copy …) asked in this form field' },
    condition: { type: 'string', description: "when the fee applies; a fee without one is the procedure's own fee" },
    conditionEn: text,
  },
} as const

/** A search hit: the summary plus what a citizen compares in a list, the published duration and fees. */
const searchItem = {
  type: 'object',
  properties: { ...summaryProperties, duration: text, fees: { type: 'array', items: feeSummary } },
  required: procedureSummary.required,
} as const

export const searchResult = {
  type: 'object',
  properties: {
    items: { type: 'array', items: searchItem },
    total: { type: 'integer' },
    limit: { type: 'integer' },
    offset: { type: 'integer' },
  },
  required: ['items', 'total', 'limit', 'offset'],
} as const

const component = {
  type: 'object',
  properties: {
    id: text,
    name: text,
    form: { type: 'string', enum: ['original', 'copy', 'original-or-copy', 'present-original'] },
    quantity: { type: 'integer' },
    required: { type: 'boolean' },
    condition: text,
    reusable: { type: 'boolean' },
    accept: { type: 'array', items: text },
    maxSizeMb: { type: 'number' },
    template: text,
  },
} as const

/** A fee as applicants read it: the public note in Vietnamese and English, never the definition's research notes. */
const fee = {
  type: 'object',
  properties: { ...feeSummary.properties, note: text, noteEn: text },
} as const
const legalDocument = { type: 'object', properties: { number: text, title: text, issuedOn: text } } as const
const step = {
  type: 'object',
  properties: {
    id: text,
    name: text,
    unitRole: text,
    shareWorkingDays: { type: 'number' },
    outsideDuration: { type: 'boolean' },
  },
} as const

export const procedureDetail = {
  type: 'object',
  properties: {
    ...summaryProperties,
    version: { type: 'integer' },
    status: { type: 'string', enum: ['published'] },
    nameEn: text,
    duration: {
      type: 'string',
      description: '"5 WD" working days, "4 WH" working hours, "30 CD" calendar days, or SAME_DAY',
    },
    durationNote: { type: 'string', description: 'how the period runs, for applicants (Vietnamese)' },
    durationNoteEn: { type: 'string', description: 'its English translation' },
    result: text,
    applicants: { type: 'array', items: text },
    components: { type: 'array', items: component },
    fees: { type: 'array', items: fee },
    resultDelivery: { type: 'array', items: { type: 'string', enum: ['online', 'counter', 'post'] } },
    legalBasis: { type: 'array', items: legalDocument },
    steps: { type: 'array', items: step },
    form: {
      type: 'object',
      additionalProperties: true,
      description: 'JSON Schema (2020-12) of the dossier form, with x-ui hints',
    },
  },
  required: [
    'code',
    'slug',
    'name',
    'version',
    'duration',
    'components',
    'fees',
    'resultDelivery',
    'legalBasis',
    'steps',
    'form',
  ],
} as const

export const agencyList = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { unitId: text, name: text, nameEn: nullableText, agencyCode: nullableText },
        required: ['unitId', 'name'],
      },
    },
  },
  required: ['items'],
} as const

/** The units a step may be handled by (the modeler's "Handling unit" choices). */
export const stepAgencyList = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          unitId: text,
          agencyCode: {
            type: 'string',
            description: 'mã cơ quan, e.g. X99.50: what `agency:<code>` and unitChoices name',
          },
          name: { type: 'string', description: 'tên đơn vị (tiếng Việt)' },
          nameEn: nullableText,
          level: {
            type: 'string',
            description:
              'province, service_centre, service_centre_branch, department, vertical_agency, commune, office',
          },
        },
        required: ['unitId', 'agencyCode', 'name', 'nameEn', 'level'],
      },
    },
  },
  required: ['items'],
} as const

export const draftBody = {
  type: 'object',
  properties: {
    definition: {
      type: 'object',
      additionalProperties: true,
      description: 'the procedure definition (forms/procedure.schema.json)',
    },
    bpmnXml: { type: 'string', minLength: 1, maxLength: 2_000_000 },
    decisions: {
      type: 'array',
      maxItems: 10,
      description:
        'the DMN files the definition names in workflow.decisions, deployed with the BPMN; on a new version, omitted = those of the version before',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9-]+\\.dmn$', maxLength: 100 },
          xml: { type: 'string', minLength: 1, maxLength: 1_000_000 },
        },
        required: ['name', 'xml'],
        additionalProperties: false,
      },
    },
  },
  required: ['definition', 'bpmnXml'],
  additionalProperties: false,
} as const

export const draftPatch = {
  type: 'object',
  properties: draftBody.properties,
  minProperties: 1,
  additionalProperties: false,
} as const

export const versionSummary = {
  type: 'object',
  properties: {
    version: { type: 'integer' },
    status: { type: 'string', enum: ['draft', 'published'] },
    createdAt: text,
    publishedAt: nullableText,
    publishedBy: nullableText,
    processDefinitionKey: nullableText,
    processDefinitionVersion: { type: ['integer', 'null'] },
  },
  required: ['version', 'status'],
} as const

export const draftSaved = {
  type: 'object',
  properties: { slug: text, version: { type: 'integer' }, status: { type: 'string', enum: ['draft'] } },
  required: ['slug', 'version', 'status'],
} as const

const problemItem = {
  type: 'object',
  properties: {
    path: { type: 'string', description: 'JSON Pointer into the definition, or bpmn:<elementId>' },
    elementId: { type: 'string', description: 'the BPMN element, for workflow problems' },
    message: text,
  },
  required: ['path', 'message'],
} as const

export const validation = {
  type: 'object',
  properties: {
    slug: text,
    version: { type: 'integer' },
    valid: { type: 'boolean' },
    errors: { type: 'array', items: problemItem },
  },
  required: ['slug', 'version', 'valid', 'errors'],
} as const

export const published = {
  type: 'object',
  properties: {
    slug: text,
    version: { type: 'integer' },
    status: { type: 'string', enum: ['published'] },
    processDefinitionKey: text,
    processDefinitionVersion: { type: 'integer' },
  },
  required: ['slug', 'version', 'status', 'processDefinitionKey'],
} as const

export const versionDetail = {
  type: 'object',
  properties: {
    slug: text,
    ...versionSummary.properties,
    definition: { type: 'object', additionalProperties: true },
    decisions: { type: 'array', items: text, description: 'the DMN files deployed with the BPMN' },
  },
  required: ['slug', 'version', 'status', 'definition'],
} as const

const valueChange = {
  type: 'object',
  properties: { property: text, from: {}, to: {} },
  required: ['property'],
} as const
const named = { type: 'object', properties: { key: text, name: text }, required: ['key'] } as const
const itemChanges = {
  type: 'object',
  properties: {
    added: { type: 'array', items: named },
    removed: { type: 'array', items: named },
    changed: {
      type: 'array',
      items: {
        type: 'object',
        properties: { key: text, name: text, changes: { type: 'array', items: valueChange } },
        required: ['key', 'changes'],
      },
    },
  },
  required: ['added', 'removed', 'changed'],
} as const

export const diffQuery = {
  type: 'object',
  properties: {
    from: {
      type: 'integer',
      minimum: 1,
      maximum: 2_147_483_647,
      description: 'the version to compare against (default: the one before)',
    },
  },
  additionalProperties: false,
} as const

export const procedureDiff = {
  type: 'object',
  properties: {
    from: { type: 'integer' },
    to: { type: 'integer' },
    changed: { type: 'boolean' },
    metadata: { type: 'array', items: valueChange },
    duration: { type: ['object', 'null'], properties: { from: text, to: text } },
    components: itemChanges,
    steps: itemChanges,
    fees: itemChanges,
    legalBasis: itemChanges,
    formFields: itemChanges,
    bpmnChanged: { type: 'boolean' },
  },
  required: [
    'from',
    'to',
    'changed',
    'metadata',
    'duration',
    'components',
    'steps',
    'fees',
    'legalBasis',
    'formFields',
    'bpmnChanged',
  ],
} as const

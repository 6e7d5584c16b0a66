// JSON schemas of the supervision API: scope and period queries, overdue lists, reports, indicators, bottlenecks,
// heatmap.
import { countKeys } from '../../domain/statistics/index.js'

export const problem = { $ref: 'Problem#' } as const

const unit = {
  type: 'string',
  maxLength: 100,
  description: 'đơn vị (mặc định: đơn vị của bạn) / unit id, default your own',
} as const
const date = { type: 'string', format: 'date' } as const

export const periodQuery = {
  type: 'object',
  properties: {
    unit,
    month: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' },
    quarter: { type: 'string', pattern: '^\\d{4}-Q[1-4]$', description: 'YYYY-Q1…Q4' },
    year: { type: 'integer', minimum: 2000, maximum: 2100 },
    from: date,
    to: date,
    format: { type: 'string', enum: ['json', 'csv', 'xlsx'], default: 'json' },
    procedure: { type: 'string', maxLength: 50, description: 'mã thủ tục (bottlenecks only)' },
    by: {
      type: 'string',
      enum: ['receivingUnit', 'handlingUnit'],
      description:
        'theo đơn vị tiếp nhận hồ sơ hoặc đơn vị xử lý bước / per receiving unit or per handling unit (bottlenecks only; absent: the subtree’s dossiers and the steps its units handled, per handling unit)',
    },
  },
  additionalProperties: false,
} as const

export const overdueQuery = {
  type: 'object',
  properties: {
    unit,
    dueSoonDays: {
      type: 'integer',
      minimum: 0,
      maximum: 30,
      default: 1,
      description: 'cả hồ sơ sắp đến hạn trong N ngày làm việc / include those due within N working days',
    },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { type: 'string', maxLength: 200 },
  },
  additionalProperties: false,
} as const

const nullableText = { type: ['string', 'null'] } as const

export const overdueList = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          dossierId: { type: 'string' },
          code: nullableText,
          procedureCode: { type: 'string' },
          procedureName: { type: 'string' },
          status: { type: 'integer' },
          step: {
            type: 'object',
            properties: { id: nullableText, name: nullableText, unitRole: nullableText, unitPath: nullableText },
          },
          holder: {
            type: 'object',
            properties: {
              userId: nullableText,
              name: nullableText,
              since: { type: ['string', 'null'], format: 'date-time' },
            },
          },
          agency: { type: 'object', properties: { unitId: { type: 'string' }, name: { type: 'string' } } },
          dueDate: nullableText,
          extendedTo: nullableText,
          overdue: { type: 'boolean' },
          workingDaysLate: { type: 'number' },
          taskKey: nullableText,
        },
      },
    },
    nextCursor: nullableText,
  },
} as const

const counts = Object.fromEntries(countKeys.map((k) => [k, { type: 'integer' }]))

export const report06a = {
  type: 'object',
  properties: {
    unit: { type: 'string' },
    period: {
      type: 'object',
      properties: { from: { type: 'string' }, to: { type: 'string' }, label: { type: 'string' } },
    },
    rows: {
      type: 'array',
      items: { type: 'object', properties: { no: { type: 'integer' }, field: { type: 'string' }, ...counts } },
    },
    total: { type: 'object', properties: counts },
  },
} as const

const refs = {
  type: 'array',
  items: { type: 'object', properties: { id: { type: 'string' }, code: nullableText } },
} as const
const ratio = {
  type: 'object',
  properties: {
    value: { type: ['number', 'string', 'null'] },
    numerator: { type: 'integer' },
    denominator: { type: 'integer' },
    averageScore: { type: ['number', 'null'] },
    dossiers: { type: 'object', properties: { numerator: refs, denominator: refs } },
  },
} as const

/** A ratio the 766 description turns into points: full from `threshold`, `scoreShare` of the maximum below it. */
const scoredRatio = {
  type: 'object',
  properties: {
    ...ratio.properties,
    threshold: { type: 'number' },
    scoreShare: { type: ['number', 'null'] },
  },
} as const

export const indicators = {
  type: 'object',
  properties: {
    unit: { type: 'string' },
    period: report06a.properties.period,
    onTimeRate: ratio,
    resolvedOnTimeRate: ratio,
    averageResolutionDays: {
      type: 'object',
      properties: { value: { type: ['number', 'null'] }, count: { type: 'integer' }, dossiers: refs },
    },
    onlineShare: scoredRatio,
    onlinePaymentShare: ratio,
    electronicResultShare: ratio,
    digitisedShare: scoredRatio,
    reuseShare: scoredRatio,
    satisfaction: ratio,
  },
} as const

export const bottleneckList = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          procedureCode: { type: 'string' },
          procedureName: { type: 'string' },
          stepId: { type: 'string' },
          stepName: nullableText,
          unitPath: nullableText,
          waitingNow: { type: 'integer' },
          finished: { type: 'integer' },
          medianHours: { type: ['number', 'null'] },
          p90Hours: { type: ['number', 'null'] },
          missedShare: { type: ['number', 'null'] },
        },
      },
    },
  },
} as const

/** Per handling unit (liên thông): steps handled, on time, late, open and open past their step deadline. */
export const handlingUnitList = {
  type: 'object',
  properties: {
    period: { type: 'object', additionalProperties: true },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          unitId: nullableText,
          unitName: nullableText,
          agencyCode: nullableText,
          unitPath: { type: 'string' },
          stepsHandled: { type: 'integer' },
          onTime: { type: 'integer' },
          late: { type: 'integer' },
          onTimeShare: { type: ['number', 'null'] },
          open: { type: 'integer' },
          openOverdue: { type: 'integer' },
          dossiersFromElsewhere: { type: 'integer' },
          steps: {
            type: 'array',
            description: 'theo thủ tục và bước / the same figures per procedure and step',
            items: {
              type: 'object',
              properties: {
                procedureCode: { type: 'string' },
                procedureName: { type: 'string' },
                stepId: { type: 'string' },
                stepName: nullableText,
                stepsHandled: { type: 'integer' },
                onTime: { type: 'integer' },
                late: { type: 'integer' },
                onTimeShare: { type: ['number', 'null'] },
                open: { type: 'integer' },
                openOverdue: { type: 'integer' },
              },
            },
          },
        },
      },
    },
  },
} as const

export const heatmapQuery = {
  type: 'object',
  properties: {
    unit,
    procedureVersionId: { type: 'string', format: 'uuid' },
    by: {
      type: 'string',
      enum: ['receivingUnit', 'handlingUnit'],
      default: 'receivingUnit',
      description:
        'công việc của hồ sơ đơn vị tiếp nhận, hoặc công việc đơn vị xử lý / tasks of the dossiers the unit received, or tasks the unit handled',
    },
  },
  required: ['procedureVersionId'],
  additionalProperties: false,
} as const

export const heatmap = {
  type: 'object',
  properties: {
    procedureVersionId: { type: 'string' },
    elements: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          elementId: { type: 'string' },
          name: { type: 'string' },
          active: { type: 'integer' },
          completed: { type: 'integer' },
          meanDwellHours: { type: ['number', 'null'] },
        },
      },
    },
  },
} as const

export const assignParams = {
  type: 'object',
  properties: { taskKey: { type: 'string', maxLength: 100 } },
  required: ['taskKey'],
  additionalProperties: false,
} as const
export const assignBody = {
  type: 'object',
  properties: { assignee: { type: 'string', format: 'uuid' } },
  required: ['assignee'],
  additionalProperties: false,
} as const

export const dailyQuery = {
  type: 'object',
  properties: { date },
  required: ['date'],
  additionalProperties: false,
} as const

export const daily = {
  type: 'object',
  required: ['date', 'units'],
  properties: {
    date: { type: 'string' },
    units: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          agency: { type: 'string', description: 'the agency unit that received the dossiers, by its name' },
          agencyEn: { type: ['string', 'null'] },
          agencyCode: { type: ['string', 'null'], description: 'its code in the national directory, when it has one' },
          received: { type: 'integer' },
          resolved: { type: 'integer' },
          early: { type: 'integer' },
          onTime: { type: 'integer' },
          late: { type: 'integer' },
          onTimeRate: { type: ['number', 'null'] },
          inProgressOverdue: { type: 'integer' },
        },
      },
    },
  },
} as const

// The public lookup route: a dossier by its code and the applicant's ID number, without login (DossierQueries.lookup
// answers a wrong ID and an unknown code alike, in the same time).
import { dossierContext } from '../dossiers/context.js'
import { problem } from '../dossiers/schemas.js'
import type { RoutePlugin } from '../route-plugin.js'

const lookupQuery = {
  type: 'object',
  properties: {
    code: {
      type: 'string',
      minLength: 3,
      maxLength: 60,
      pattern: '^[A-Za-z0-9.\\-]+$',
      description: 'mã hồ sơ (on the receipt)',
    },
    idNumber: {
      type: 'string',
      pattern: '^(\\d{10}-\\d{3}|[A-Za-z0-9]{6,20})$',
      description:
        'the applicant’s số CCCD (12 digits), old CMND (9 digits), passport number (letters and digits) or tax code',
    },
  },
  required: ['code', 'idNumber'],
  additionalProperties: false,
} as const

const lookupResult = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    status: { type: 'integer' },
    statusLabel: {
      type: 'object',
      properties: { vi: { type: 'string' }, en: { type: 'string' } },
      required: ['vi', 'en'],
    },
    procedureName: { type: 'string' },
    currentStep: { type: ['string', 'null'] },
    agency: { type: 'string' },
    appointmentDate: { type: ['string', 'null'], description: 'ngày hẹn trả kết quả' },
  },
  required: ['code', 'status', 'statusLabel', 'procedureName', 'currentStep', 'agency', 'appointmentDate'],
  additionalProperties: false,
} as const

const publicRoutes: RoutePlugin = async (app) => {
  app.get(
    '/api/public/dossiers/lookup',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'Tra cứu hồ sơ / Look up a dossier by code and ID number (no login)',
        description:
          'An unknown code and a wrong ID number both answer 404 MC_ERR_DOSSIER_NOT_FOUND, in the same time.',
        querystring: lookupQuery,
        response: { 200: lookupResult, 400: problem, 404: problem, 429: problem },
      },
    },
    async (request) => {
      const { code, idNumber } = request.query
      return dossierContext(app).queries.lookup(code, idNumber)
    },
  )
}

export default publicRoutes

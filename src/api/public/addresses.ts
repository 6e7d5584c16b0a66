// The public address directory (no login): the provinces and communes of the official list, for address fields in
// forms (tỉnh/thành phố, then xã/phường/đặc khu; two levels since 1 July 2025).
import { AppError } from '../../errors.js'
import { unitsRepository } from '../../units/repository.js'
import { problem } from '../dossiers/schemas.js'
import type { RoutePlugin } from '../route-plugin.js'

const division = {
  type: 'object',
  properties: {
    code: { type: 'string', description: 'mã đơn vị hành chính (2 digits for a province, 5 for a commune)' },
    name: { type: 'string' },
    kind: {
      type: 'string',
      enum: ['tinh', 'thanh-pho', 'xa', 'phuong', 'dac-khu'],
      description: 'tỉnh / thành phố trực thuộc trung ương; xã / phường / đặc khu',
    },
  },
  required: ['code', 'name', 'kind'],
  additionalProperties: false,
} as const

const list = {
  type: 'object',
  properties: { items: { type: 'array', items: division } },
  required: ['items'],
  additionalProperties: false,
} as const

const provinceParams = {
  type: 'object',
  properties: { provinceCode: { type: 'string', pattern: '^[0-9]{2}$', description: 'mã tỉnh (2 digits)' } },
  required: ['provinceCode'],
  additionalProperties: false,
} as const

const rateLimit = { max: 120, timeWindow: '1 minute' }
// The list changes only when an administrator imports a new one: caches may keep it for an hour.
const cacheControl = 'public, max-age=3600'

const addressRoutes: RoutePlugin = async (app) => {
  const repo = () => unitsRepository(app.db.knex)

  app.get(
    '/api/public/addresses/provinces',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        summary: 'Danh mục tỉnh, thành phố / The provinces and centrally-run cities (no login)',
        response: { 200: list, 429: problem },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', cacheControl)
      return { items: await repo().provinces() }
    },
  )

  app.get(
    '/api/public/addresses/provinces/:provinceCode/communes',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        summary: 'Xã, phường, đặc khu của một tỉnh / The communes of a province (no login)',
        description: 'An unknown province answers 404 MC_ERR_PROVINCE_NOT_FOUND.',
        params: provinceParams,
        response: { 200: list, 400: problem, 404: problem, 429: problem },
      },
    },
    async (request, reply) => {
      const { provinceCode } = request.params
      if (!(await repo().province(provinceCode))) throw new AppError('MC_ERR_PROVINCE_NOT_FOUND', provinceCode)
      reply.header('cache-control', cacheControl)
      return { items: await repo().communesOf(provinceCode) }
    },
  )
}

export default addressRoutes

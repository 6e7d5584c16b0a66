// Results delivered by post over HTTP: the carriers the counter may choose, and recording the parcel at the result
// step (docs/delivery.md).
import { problem, shipment } from '../dossiers/schemas.js'
import { taskParams } from '../tasks/index.js'
import type { RoutePlugin } from '../route-plugin.js'

const security = [{ bearerAuth: [] }]

const shipmentBody = {
  type: 'object',
  properties: {
    carrier: {
      type: 'string',
      pattern: '^[a-z0-9-]{1,40}$',
      description: 'a carrier id of GET /api/delivery/carriers',
    },
    trackingNumber: {
      type: 'string',
      minLength: 1,
      maxLength: 60,
      description: 'số hiệu bưu gửi, as printed on the post office receipt (spaces and case do not matter)',
    },
    shippedOn: { type: 'string', format: 'date', description: 'ngày gửi (YYYY-MM-DD); today when omitted' },
  },
  required: ['carrier', 'trackingNumber'],
  additionalProperties: false,
} as const

const carrierList = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } },
          manual: { type: 'boolean', description: 'the officer types the tracking number' },
        },
        required: ['id', 'name', 'manual'],
      },
    },
  },
  required: ['items'],
} as const

const deliveryRoutes: RoutePlugin = async (app) => {
  const delivery = app.dossiers.delivery

  app.get(
    '/api/delivery/carriers',
    {
      schema: {
        tags: ['tasks'],
        security,
        summary: 'Đơn vị chuyển phát / The carriers a result can be posted with',
        response: { 200: carrierList, 401: problem, 403: problem },
      },
    },
    async (request) => ({ items: await delivery.list(request.principal) }),
  )

  app.post(
    '/api/tasks/:taskKey/shipment',
    {
      schema: {
        tags: ['tasks'],
        security,
        summary: 'Ghi nhận gửi kết quả qua bưu chính / Record the parcel a result is posted in, at the result step',
        description:
          'For a dossier delivered by post whose result is issued (status 9), by the officer working its result ' +
          'step. The same carrier and tracking number again answer the parcel already recorded (200); a tracking ' +
          'number of another dossier is 409 MC_ERR_SHIPMENT_DUPLICATE.',
        params: taskParams,
        body: shipmentBody,
        response: {
          200: shipment,
          201: shipment,
          400: problem,
          401: problem,
          404: problem,
          409: problem,
          422: problem,
        },
      },
    },
    async (request, reply) => {
      const { created, shipment } = await delivery.record(request.principal, request.params.taskKey, request.body)
      return reply.code(created ? 201 : 200).send(shipment)
    },
  )
}

export default deliveryRoutes

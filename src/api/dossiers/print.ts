// Printable forms of a dossier over HTTP, as HTML or PDF (src/dossiers/printouts.ts fills them): Mẫu 01–05.
import { dossierContext } from './context.js'
import { problem } from './schemas.js'
import type { RoutePlugin } from '../route-plugin.js'

const params = {
  type: 'object',
  properties: {
    dossierId: { type: 'string', format: 'uuid' },
    form: {
      type: 'string',
      enum: ['receipt', 'supplement-request', 'refusal', 'apology', 'control-sheet', 'fee-receipt'],
    },
  },
  required: ['dossierId', 'form'],
  additionalProperties: false,
} as const
const query = {
  type: 'object',
  properties: { format: { type: 'string', enum: ['html', 'pdf'], default: 'html' } },
  additionalProperties: false,
} as const

const printRoutes: RoutePlugin = async (app) => {
  const printouts = dossierContext(app).printouts

  app.get(
    '/api/dossiers/:dossierId/print/:form',
    {
      schema: {
        tags: ['dossiers'],
        security: [{ bearerAuth: [] }],
        summary:
          'In phiếu / Print a form of the dossier as HTML or PDF: receipt (Mẫu 01), supplement request (02), refusal (03), apology (04), control sheet (05); 409 before the dossier reached it',
        params,
        querystring: query,
        response: {
          200: { description: 'text/html or application/pdf', type: 'string' },
          400: problem,
          401: problem,
          404: problem,
          409: problem,
        },
      },
    },
    async (request, reply) => {
      const { dossierId, form } = request.params
      const { format } = request.query
      const { body, dossierCode } = await printouts.render(request.principal, dossierId, form, format)
      reply.header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store')
      if (format === 'pdf')
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${form}-${dossierCode}.pdf"`)
          .send(body)
      return reply.type('text/html; charset=utf-8').send(body)
    },
  )
}

export default printRoutes

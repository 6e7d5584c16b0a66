// Printable forms of a dossier over HTTP: the receipt with the appointment date (Mẫu 01) and the process control sheet
// (Mẫu 05), as HTML or PDF, for whoever may read the dossier.
import type { FastifyInstance } from 'fastify'
import type { ProcedureDefinition } from '../../catalogue/definition.js'
import { parseDuration } from '../../domain/deadlines/index.js'
import { AppError } from '../../errors.js'
import { renderPrintable, type PrintAgency } from '../../print/index.js'
import { dossierContext } from './context.js'
import { problem } from './schemas.js'

const params = {
  type: 'object',
  properties: { dossierId: { type: 'string', format: 'uuid' }, form: { type: 'string', enum: ['receipt', 'control-sheet'] } },
  required: ['dossierId', 'form'],
  additionalProperties: false,
} as const
const query = { type: 'object', properties: { format: { type: 'string', enum: ['html', 'pdf'], default: 'html' } }, additionalProperties: false } as const

/** "05 ngày làm việc", as the receipt states the legal duration. */
function durationText(text: string): string {
  const d = parseDuration(text)
  const two = (n: number) => String(n).padStart(2, '0')
  switch (d.unit) {
    case 'WD': return `${two(d.days)} ngày làm việc`
    case 'WH': return `${two(d.hours)} giờ làm việc`
    case 'CD': return `${two(d.days)} ngày`
    case 'SAME_DAY': return 'Trong ngày'
  }
}

const deliveryText = { online: 'Trực tuyến (qua tài khoản trên Cổng dịch vụ công)', counter: 'Bộ phận Tiếp nhận và Trả kết quả', post: 'Qua dịch vụ bưu chính công ích' } as const

export default async function printRoutes(app: FastifyInstance): Promise<void> {
  const ctx = dossierContext(app)
  const knex = app.db.knex

  app.get('/api/dossiers/:dossierId/print/:form', {
    schema: {
      tags: ['dossiers'], security: [{ bearerAuth: [] }],
      summary: 'In phiếu / Print the receipt (Mẫu 01) or the process control sheet (Mẫu 05) as HTML or PDF',
      params, querystring: query,
      response: { 200: { description: 'text/html or application/pdf', type: 'string' }, 400: problem, 401: problem, 404: problem, 409: problem },
    },
  }, async (request, reply) => {
    const { dossierId, form } = request.params as { dossierId: string; form: 'receipt' | 'control-sheet' }
    const { format } = request.query as { format: 'html' | 'pdf' }
    const d = await ctx.queries.get(request.principal, dossierId)
    if (!d.code || !d.acceptedAt) throw new AppError('MC_ERR_DOSSIER_STATE', 'The dossier has not been received yet: it has no receipt')
    const unit = (await knex('units as u').leftJoin('units as p', 'p.id', 'u.parent_id').where('u.id', d.agency.unitId).first('u.name', 'p.name as parent')) as { name: string; parent: string | null }
    const version = (await knex('dossiers as x').join('procedure_versions as v', 'v.id', 'x.procedure_version_id').where('x.id', d.id).first('v.definition')) as { definition: ProcedureDefinition }
    const userIds = [...new Set(d.steps.flatMap((s) => [s.giver, s.receiverUser]).filter((x): x is string => Boolean(x)))]
    const names = new Map((await knex('users').whereIn('id', userIds).select('id', 'full_name')).map((u: { id: string; full_name: string }) => [u.id, u.full_name]))
    const agency: PrintAgency = { ...(unit.parent ? { parent: unit.parent.toUpperCase() } : {}), name: unit.name.toUpperCase(), place: unit.name.replace(/^UBND\s+/, ''), unit: 'Bộ phận Tiếp nhận và Trả kết quả' }
    const common = {
      dossierCode: d.code, agency,
      applicant: { name: d.applicant.name, ...(d.applicant.phone ? { phone: d.applicant.phone } : {}), ...(d.applicant.email ? { email: d.applicant.email } : {}) },
      procedure: { code: d.procedure.code, name: d.procedure.name },
    }
    const receiver = d.steps.find((s) => s.stepId === 'Task_Receive')?.receiverUser
    const rendered = form === 'receipt'
      ? await renderPrintable('receipt', {
          ...common,
          components: version.definition.components.map((c) => ({ name: c.name, form: c.form === 'copy' ? 'Bản sao' : c.form === 'present-original' ? 'Xuất trình bản chính' : 'Bản chính', quantity: c.quantity })),
          durationText: durationText(version.definition.duration),
          acceptedAt: d.acceptedAt,
          appointmentAt: d.dueAt ?? d.acceptedAt,
          resultDelivery: deliveryText[d.deliveryMethod],
          officer: { name: (receiver && names.get(receiver)) ?? '' },
        }, format)
      : await renderPrintable('control-sheet', {
          ...common,
          resolvingUnit: unit.name,
          handoffs: d.steps.map((s) => ({
            from: (s.giver && names.get(s.giver)) ?? 'Bộ phận Tiếp nhận và Trả kết quả',
            to: (s.receiverUser && names.get(s.receiverUser)) ?? s.receiverRole ?? s.stepName,
            at: s.receivedAt,
            ...(s.result ? { result: s.result } : {}),
            note: s.outcome === 'returned' ? `${s.stepName} — trả lại bước trước: ${s.returnReason ?? ''}` : s.stepName,
          })),
        }, format)
    reply.header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store')
    if (format === 'pdf') return reply.type('application/pdf').header('content-disposition', `inline; filename="${form}-${d.code}.pdf"`).send(rendered)
    return reply.type('text/html; charset=utf-8').send(rendered)
  })
}

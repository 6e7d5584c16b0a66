// Dossiers over HTTP: the citizen's drafts, uploads, reuse, submission, supplements, withdrawal, payment and rating;
// counter intake; dossier detail for its applicant and the officers of its unit subtree; attachment download.
import multipart from '@fastify/multipart'
import { requireAccess } from '../../auth/access.js'
import { AppError } from '../../errors.js'
import { sendDownload } from '../download.js'
import { dossierContext, receiveUpload } from './context.js'
import { listFilter } from './list-filter.js'
import printRoutes from './print.js'
import sandboxCheckout from './sandbox-checkout.js'
import gateways from './gateways.js'
import {
  commandResult,
  counterStoreQuery,
  dossierComponentParams,
  dossierDetail,
  dossierFileParams,
  dossierList,
  dossierParams,
  draft,
  draftComponentParams,
  draftCreateBody,
  draftList,
  draftListQuery,
  draftParams,
  draftPatchBody,
  idempotencyHeaders,
  intakeBody,
  mineQuery,
  multipartBody,
  payment,
  paymentCallbackBody,
  paymentCallbackParams,
  paymentStartBody,
  problem,
  procedureComponentParams,
  rating,
  ratingBody,
  reuseBody,
  storeBody,
  storeList,
  supplementBody,
  supplementResult,
  unitQuery,
  uploaded,
  withdrawBody,
} from './schemas.js'
import type { RoutePlugin } from '../route-plugin.js'

const security = [{ bearerAuth: [] }]
const tags = ['dossiers']

/** What a multipart upload answers: the stored file, or why it was refused (type, size, content). */
const uploadResponses = {
  201: uploaded,
  400: problem,
  401: problem,
  403: problem,
  404: problem,
  413: problem,
  415: problem,
  422: problem,
} as const

const dossierRoutes: RoutePlugin = async (app) => {
  // Limits per part are set per request from the component; these are the outer bounds.
  await app.register(multipart, { limits: { files: 1, fields: 0, parts: 1, fileSize: 100 * 1024 * 1024 } })
  const ctx = dossierContext(app)
  const knex = app.db.knex
  await app.register(printRoutes)
  if (app.config.nodeEnv !== 'production') await app.register(sandboxCheckout)
  await app.register(gateways)

  // A submission without its key is told so by name (before the generic header validation).
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.schema?.headers === idempotencyHeaders && !request.headers['idempotency-key'])
      throw new AppError('MC_ERR_IDEMPOTENCY_KEY_REQUIRED')
  })

  // ------------------------------------------------------------------ drafts (citizen)

  app.post(
    '/api/dossiers/drafts',
    {
      schema: {
        tags,
        security,
        summary: 'Tạo hồ sơ nháp / Start a draft dossier from a procedure',
        body: draftCreateBody,
        response: { 201: draft, 400: problem, 401: problem, 403: problem, 404: problem, 422: problem },
      },
    },
    async (request, reply) => reply.code(201).send(await ctx.portal.createDraft(request.principal, request.body)),
  )

  app.get(
    '/api/dossiers/drafts',
    {
      schema: {
        tags,
        security,
        summary:
          'Hồ sơ nháp của tôi / My drafts not submitted yet, last changed first (of one procedure with `procedure`)',
        querystring: draftListQuery,
        response: { 200: draftList, 400: problem, 401: problem, 403: problem },
      },
    },
    async (request) => ({ items: await ctx.portal.listDrafts(request.principal, request.query.procedure) }),
  )

  app.delete(
    '/api/dossiers/drafts/:draftId',
    {
      schema: {
        tags,
        security,
        summary: 'Xóa hồ sơ nháp / Delete a draft of mine (not one already submitted)',
        params: draftParams,
        response: { 204: { type: 'null' }, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) => {
      await ctx.portal.deleteDraft(request.principal, request.params.draftId)
      return reply.code(204).send()
    },
  )

  app.get(
    '/api/dossiers/drafts/:draftId',
    {
      schema: {
        tags,
        security,
        summary: 'Hồ sơ nháp / A draft of mine',
        params: draftParams,
        response: { 200: draft, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => ctx.portal.getDraft(request.principal, request.params.draftId),
  )

  app.patch(
    '/api/dossiers/drafts/:draftId',
    {
      schema: {
        tags,
        security,
        summary: 'Lưu nháp / Autosave: form data, receiving agency, result delivery',
        params: draftParams,
        body: draftPatchBody,
        response: { 200: draft, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem },
      },
    },
    async (request) => ctx.portal.updateDraft(request.principal, request.params.draftId, request.body),
  )

  app.post(
    '/api/dossiers/drafts/:draftId/attachments/:componentId',
    {
      schema: {
        tags,
        security,
        summary: 'Đính kèm giấy tờ / Upload a document for a component (multipart)',
        description: multipartBody.description,
        consumes: ['multipart/form-data'],
        params: draftComponentParams,
        response: { ...uploadResponses, 409: problem },
      },
    },
    async (request, reply) => {
      const { draftId, componentId } = request.params
      const { draft: row, component } = await ctx.portal.draftComponent(request.principal, draftId, componentId)
      const file = await receiveUpload(ctx, request, component, row.owner_id)
      const updated = await ctx.portal.setDraftAttachment(row, { componentId, fileId: file.id })
      return reply.code(201).send({
        fileId: file.id,
        componentId,
        mime: file.mime,
        size: file.size,
        name: file.originalName,
        draft: updated,
      })
    },
  )

  app.post(
    '/api/dossiers/drafts/:draftId/attachments/:componentId/reuse',
    {
      schema: {
        tags,
        security,
        summary: 'Dùng lại giấy tờ / Reuse a document of one of my earlier dossiers, by its code',
        params: draftComponentParams,
        body: reuseBody,
        response: { 200: draft, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem },
      },
    },
    async (request) => {
      const { draftId, componentId } = request.params
      return ctx.portal.reuseInDraft(request.principal, draftId, componentId, request.body.dossierCode)
    },
  )

  app.post(
    '/api/dossiers/drafts/:draftId/attachments/:componentId/store',
    {
      schema: {
        tags,
        security,
        summary: 'Chọn từ kho dữ liệu / Put a document of my store (a result or an accepted component) in the draft',
        params: draftComponentParams,
        body: storeBody,
        response: {
          200: draft,
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          413: problem,
          415: problem,
          422: problem,
        },
      },
    },
    async (request) => {
      const { draftId, componentId } = request.params
      return ctx.documents.putInDraft(request.principal, draftId, componentId, request.body)
    },
  )

  app.get(
    '/api/dossiers/store',
    {
      schema: {
        tags,
        security,
        summary: 'Kho dữ liệu / My document store: signed results and accepted components of my dossiers',
        response: { 200: storeList, 401: problem, 403: problem },
      },
    },
    async (request) => ({ items: await ctx.documents.mine(request.principal) }),
  )

  app.post(
    '/api/dossiers/drafts/:draftId/submit',
    {
      schema: {
        tags,
        security,
        summary: 'Nộp hồ sơ / Submit the draft (Idempotency-Key: a retry answers with the same dossier)',
        params: draftParams,
        headers: idempotencyHeaders,
        response: {
          201: commandResult,
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          422: problem,
        },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key']
      return reply.code(201).send(await ctx.portal.submitDraft(request.principal, request.params.draftId, key))
    },
  )

  // ------------------------------------------------------------------ reading dossiers

  app.get(
    '/api/dossiers/mine',
    {
      schema: {
        tags,
        security,
        summary: 'Hồ sơ của tôi / My dossiers: status, current step, appointment date',
        querystring: mineQuery,
        response: { 200: dossierList, 400: problem, 401: problem, 403: problem },
      },
    },
    async (request) => ({ items: await ctx.queries.mine(request.principal, listFilter(request.query)) }),
  )

  app.get(
    '/api/dossiers',
    {
      schema: {
        tags,
        security,
        summary: 'Hồ sơ của đơn vị / Open dossiers of my unit subtree by due date (officers, supervisors)',
        querystring: unitQuery,
        response: { 200: dossierList, 400: problem, 401: problem, 403: problem },
      },
    },
    async (request) => ({ items: await ctx.queries.unitDossiers(request.principal, listFilter(request.query)) }),
  )

  app.get(
    '/api/dossiers/:dossierId',
    {
      schema: {
        tags,
        security,
        summary: 'Chi tiết hồ sơ / A dossier with its timeline (its applicant, or officers of its unit subtree)',
        params: dossierParams,
        response: { 200: dossierDetail, 400: problem, 401: problem, 404: problem },
      },
    },
    async (request) => ctx.queries.get(request.principal, request.params.dossierId),
  )

  app.get(
    '/api/dossiers/:dossierId/attachments/:fileId',
    {
      schema: {
        tags,
        security,
        summary: 'Tải giấy tờ / Download an attachment of a dossier I may read',
        params: dossierFileParams,
        response: {
          200: { description: 'the file, as stored', type: 'string', format: 'binary' },
          400: problem,
          401: problem,
          404: problem,
        },
      },
    },
    async (request, reply) => {
      const { dossierId, fileId } = request.params
      const file = await ctx.portal.attachmentFile(request.principal, dossierId, fileId)
      const stream = await ctx.attachments.open({ storageKey: file.storage_key })
      return sendDownload(reply, { type: file.mime, size: file.size, name: file.original_name, stream })
    },
  )

  // ------------------------------------------------------------------ the applicant after submission

  app.post(
    '/api/dossiers/:dossierId/attachments/:componentId',
    {
      schema: {
        tags,
        security,
        summary: 'Tải lên giấy tờ bổ sung / Upload a document for a supplement (multipart); link it in the supplement',
        description: multipartBody.description,
        consumes: ['multipart/form-data'],
        params: dossierComponentParams,
        response: { 201: uploaded, 400: problem, 401: problem, 404: problem, 413: problem, 415: problem, 422: problem },
      },
    },
    async (request, reply) => {
      const { dossierId, componentId } = request.params
      const component = await ctx.portal.dossierComponent(request.principal, dossierId, componentId)
      const file = await receiveUpload(ctx, request, component, request.principal!.userId)
      return reply
        .code(201)
        .send({ fileId: file.id, componentId, mime: file.mime, size: file.size, name: file.originalName })
    },
  )

  app.post(
    '/api/dossiers/:dossierId/supplement',
    {
      schema: {
        tags,
        security,
        summary: 'Bổ sung hồ sơ / Hand in what was asked for',
        params: dossierParams,
        body: supplementBody,
        response: {
          200: supplementResult,
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          422: problem,
        },
      },
    },
    async (request) => ctx.service.submitSupplement(request.principal, request.params.dossierId, request.body),
  )

  app.post(
    '/api/dossiers/:dossierId/withdraw',
    {
      schema: {
        tags,
        security,
        summary: 'Rút hồ sơ / Withdraw the dossier',
        params: dossierParams,
        body: withdrawBody,
        response: { 200: commandResult, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) => ctx.service.withdraw(request.principal, request.params.dossierId, request.body ?? {}),
  )

  app.post(
    '/api/dossiers/:dossierId/payments',
    {
      schema: {
        tags,
        security,
        summary: 'Thanh toán phí / Start paying the fee (redirect to the gateway; the sandbox takes no real money)',
        params: dossierParams,
        body: paymentStartBody,
        response: { 201: payment, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {}
      return reply
        .code(201)
        .send(
          await ctx.payments.start(
            request.principal,
            request.params.dossierId,
            body.provider ?? 'sandbox',
            body.returnUrl ?? '/ho-so',
            { payerAddress: request.ip },
          ),
        )
    },
  )

  app.post(
    '/api/payments/:provider/callback',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Xác nhận thanh toán / The gateway’s signed confirmation (no login; the signature is the proof)',
        params: paymentCallbackParams,
        body: paymentCallbackBody,
        response: { 200: payment, 400: problem, 404: problem, 429: problem },
      },
    },
    async (request) => ctx.payments.confirm(request.params.provider, request.body),
  )

  app.post(
    '/api/dossiers/:dossierId/rating',
    {
      schema: {
        tags,
        security,
        summary: 'Đánh giá / Rate the service (1–5) once the result is returned; once per dossier',
        params: dossierParams,
        body: ratingBody,
        response: { 201: rating, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await ctx.portal.rate(request.principal, request.params.dossierId, request.body)),
  )

  // ------------------------------------------------------------------ the agency's commands on a dossier (officer)

  const reasonBody = {
    type: 'object',
    properties: { reason: { type: 'string', minLength: 1, maxLength: 2000, pattern: '\\S' } },
    required: ['reason'],
    additionalProperties: false,
  } as const
  const officerResponses = {
    200: commandResult,
    400: problem,
    401: problem,
    403: problem,
    404: problem,
    409: problem,
    422: problem,
  }

  app.post(
    '/api/dossiers/:dossierId/suspend-for-payment',
    {
      schema: {
        tags: ['counter'],
        security,
        summary: 'Nghĩa vụ tài chính / Suspend for the applicant’s payment (status 6, the clock stops)',
        params: dossierParams,
        body: {
          type: 'object',
          properties: {
            amountVnd: { type: 'integer', minimum: 0, maximum: 1e12 },
            reason: reasonBody.properties.reason,
          },
          required: ['reason'],
          additionalProperties: false,
        },
        response: officerResponses,
      },
    },
    async (request) => ctx.service.suspendForPayment(request.principal, request.params.dossierId, request.body),
  )

  app.post(
    '/api/dossiers/:dossierId/resume',
    {
      schema: {
        tags: ['counter'],
        security,
        summary: 'Tiếp tục xử lý / Payment confirmed at the counter: resume',
        params: dossierParams,
        body: {
          type: 'object',
          properties: { note: { type: 'string', maxLength: 2000 } },
          additionalProperties: false,
        },
        response: officerResponses,
      },
    },
    async (request) => ctx.service.resume(request.principal, request.params.dossierId, request.body ?? {}),
  )

  app.post(
    '/api/dossiers/:dossierId/extend',
    {
      schema: {
        tags: ['counter'],
        security,
        summary: 'Gia hạn / Extend once, with a reason, to a later working day (the apology letter is mailed)',
        params: dossierParams,
        body: {
          type: 'object',
          properties: { newDueDate: { type: 'string', format: 'date' }, reason: reasonBody.properties.reason },
          required: ['newDueDate', 'reason'],
          additionalProperties: false,
        },
        response: officerResponses,
      },
    },
    async (request) => ctx.service.extend(request.principal, request.params.dossierId, request.body),
  )

  app.post(
    '/api/dossiers/:dossierId/stop',
    {
      schema: {
        tags: ['counter'],
        security,
        summary: 'Dừng xử lý / Stop processing, with a reason (status 8)',
        params: dossierParams,
        body: reasonBody,
        response: officerResponses,
      },
    },
    async (request) => ctx.service.stop(request.principal, request.params.dossierId, request.body),
  )

  // ------------------------------------------------------------------ counter intake (officer)

  app.post(
    '/api/counter/procedures/:slug/attachments/:componentId',
    {
      schema: {
        tags: ['counter'],
        security,
        summary:
          'Số hoá tại quầy / Upload the scan of a paper component before entering the dossier (multipart); name the file in the intake',
        description: multipartBody.description,
        consumes: ['multipart/form-data'],
        params: procedureComponentParams,
        response: uploadResponses,
      },
    },
    async (request, reply) => {
      const { slug, componentId } = request.params
      const { officerId, component } = await ctx.portal.counterComponent(request.principal, slug, componentId)
      const file = await receiveUpload(ctx, request, component, officerId)
      return reply
        .code(201)
        .send({ fileId: file.id, componentId, mime: file.mime, size: file.size, name: file.originalName })
    },
  )

  app.get(
    '/api/counter/store',
    {
      schema: {
        tags: ['counter'],
        security,
        summary:
          'Kho dữ liệu của người nộp / The store of the applicant whose card the officer checked (their dossiers of my unit subtree)',
        querystring: counterStoreQuery,
        response: { 200: storeList, 400: problem, 401: problem, 403: problem },
      },
    },
    async (request) => ({ items: await ctx.documents.atCounter(request.principal, request.query.idNumber) }),
  )

  app.post(
    '/api/counter/dossiers',
    {
      schema: {
        tags: ['counter'],
        security,
        summary: 'Tiếp nhận trực tiếp / Enter a walk-in dossier for an applicant (Idempotency-Key)',
        body: intakeBody,
        headers: idempotencyHeaders,
        response: { 201: commandResult, 400: problem, 401: problem, 403: problem, 404: problem, 422: problem },
      },
    },
    async (request, reply) => {
      await requireAccess(knex, { principal: request.principal, permission: 'task.work' })
      const result = await ctx.service.intakeAtCounter(request.principal, {
        ...request.body,
        idempotencyKey: request.headers['idempotency-key'],
      })
      return reply.code(201).send(result)
    },
  )
}

export default dossierRoutes

// Electronic results over HTTP: the officer signs at the signing step (from the template, or a PDF made elsewhere);
// the dossier's readers list and download its results; anyone verifies a PDF or opens a QR link (no login).
import multipart from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../../errors.js'
import { sendDownload } from '../download.js'
import { dossierParams, problem } from '../dossiers/schemas.js'
import { taskParams } from '../tasks/index.js'
import type { RoutePlugin } from '../route-plugin.js'

const security = [{ bearerAuth: [] }]
const uuid = { type: 'string', format: 'uuid' } as const
/** Results and PDFs to verify: a signed result of a few pages with scans stays well under this. */
const maxPdfBytes = 20 * 1024 * 1024

const resultParams = {
  type: 'object',
  properties: { dossierId: uuid, resultId: uuid },
  required: ['dossierId', 'resultId'],
  additionalProperties: false,
} as const
const codeParams = {
  type: 'object',
  properties: { code: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } },
  required: ['code'],
  additionalProperties: false,
} as const

const signatures = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      kind: { type: 'string', enum: ['person', 'seal'] },
      subject: { type: 'string' },
      at: { type: 'string' },
    },
    required: ['kind', 'subject', 'at'],
  },
} as const
const summary = {
  type: 'object',
  properties: {
    id: uuid,
    documentId: { type: 'string' },
    title: { type: 'string' },
    resultNo: { type: 'string' },
    source: { type: 'string', enum: ['template', 'upload'] },
    sha256: { type: 'string' },
    issuer: { type: 'string', description: 'the issuing body' },
    signedAt: { type: 'string', format: 'date-time' },
    signatures,
    verificationCode: { type: 'string' },
    verificationUrl: { type: 'string', description: 'the public verification page the QR code leads to' },
  },
  required: ['id', 'documentId', 'title', 'resultNo', 'source', 'sha256', 'issuer', 'signedAt', 'signatures'],
} as const
const publicResult = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    resultNo: { type: 'string' },
    issuer: { type: 'string' },
    signedAt: { type: 'string', format: 'date-time' },
    signatures,
    sha256: { type: 'string' },
  },
  required: ['title', 'resultNo', 'issuer', 'signedAt', 'signatures', 'sha256'],
} as const
const verification = {
  type: 'object',
  properties: {
    signed: { type: 'boolean' },
    unmodified: { type: 'boolean', description: 'every signature valid and the last one covers the whole file' },
    signatures: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          subject: { type: 'string' },
          commonName: { type: ['string', 'null'] },
          organization: { type: ['string', 'null'] },
          issuer: { type: 'string' },
          signingTime: { type: ['string', 'null'] },
          valid: { type: 'boolean' },
          coversWholeDocument: { type: 'boolean' },
          trusted: { type: 'boolean' },
        },
      },
    },
    issued: { anyOf: [publicResult, { type: 'null' }] },
  },
  required: ['signed', 'unmodified', 'signatures', 'issued'],
} as const
const multipartDescription = 'multipart/form-data with one part, a PDF file named "file" (at most 20 MB)'

/** The one "file" part of a multipart request, read whole: a PDF of at most 20 MB. */
async function readPdfPart(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart())
    throw new AppError('MC_ERR_UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with a "file" part')
  const onePart = 'Send exactly one multipart part, a PDF file named "file"'
  const multipart = request.parts({ limits: { files: 1, fields: 0, parts: 1, fileSize: maxPdfBytes } })
  const parts = multipart[Symbol.asyncIterator]()
  const first = await parts.next().catch(() => {
    throw new AppError('MC_ERR_VALIDATION', onePart)
  })
  const part = first.done ? undefined : first.value
  if (!part || part.type !== 'file' || part.fieldname !== 'file') throw new AppError('MC_ERR_VALIDATION', onePart)
  const body = await part.toBuffer().catch((err: { code?: string }) => {
    if (err.code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('MC_ERR_FILE_TOO_LARGE', `maximum ${maxPdfBytes} bytes`, { maxBytes: maxPdfBytes })
    throw new AppError('MC_ERR_VALIDATION', 'The multipart body ended inside the file')
  })
  const next = await parts.next().catch(() => ({ done: false }))
  if (!next.done) throw new AppError('MC_ERR_VALIDATION', onePart)
  if (body.length === 0) throw new AppError('MC_ERR_FILE_EMPTY')
  if (!body.subarray(0, 5).equals(Buffer.from('%PDF-')))
    throw new AppError(
      'MC_ERR_FILE_TYPE_NOT_ALLOWED',
      'only PDF',
      { allowedTypes: ['application/pdf'] },
      {
        vi: 'Chỉ chấp nhận tệp PDF',
        en: 'Only PDF files are accepted',
      },
    )
  return body
}

const resultRoutes: RoutePlugin = async (app) => {
  await app.register(multipart, { limits: { files: 1, fields: 0, parts: 1, fileSize: maxPdfBytes } })
  const results = app.dossiers.results

  app.post(
    '/api/tasks/:taskKey/result',
    {
      schema: {
        tags: ['tasks'],
        security,
        summary: 'Ký số kết quả / Sign the result at the signing step (made from the dossier by its template)',
        description:
          'The officer working the signing step signs with their certificate; the agency seal follows where the ' +
          'procedure needs it. Signing again answers the result already signed.',
        params: taskParams,
        response: { 201: summary, 400: problem, 401: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) => reply.code(201).send(await results.signAtTask(request.principal, request.params.taskKey)),
  )

  app.get(
    '/api/tasks/:taskKey/result',
    {
      schema: {
        tags: ['tasks'],
        security,
        summary: 'Kết quả ký ở bước này / The result document this step signs, and the result once signed',
        params: taskParams,
        response: {
          200: {
            type: 'object',
            properties: {
              document: {
                anyOf: [
                  {
                    type: 'object',
                    properties: { id: { type: 'string' }, name: { type: 'string' }, seal: { type: 'boolean' } },
                    required: ['id', 'name'],
                  },
                  { type: 'null' },
                ],
              },
              result: { anyOf: [summary, { type: 'null' }] },
            },
            required: ['document', 'result'],
          },
          400: problem,
          401: problem,
          404: problem,
        },
      },
    },
    async (request) => results.atTask(request.principal, request.params.taskKey),
  )

  app.post(
    '/api/tasks/:taskKey/result/upload',
    {
      schema: {
        tags: ['tasks'],
        security,
        summary: 'Ký số kết quả tải lên / Sign a result made elsewhere (PDF) at the signing step',
        description: multipartDescription,
        consumes: ['multipart/form-data'],
        params: taskParams,
        response: {
          201: summary,
          400: problem,
          401: problem,
          404: problem,
          409: problem,
          413: problem,
          415: problem,
          422: problem,
        },
      },
    },
    async (request, reply) => {
      // Who may sign is checked before the upload is read.
      await app.dossiers.tasks.visible(request.principal, request.params.taskKey)
      const pdf = await readPdfPart(request)
      return reply.code(201).send(await results.signAtTask(request.principal, request.params.taskKey, pdf))
    },
  )

  app.get(
    '/api/dossiers/:dossierId/results',
    {
      schema: {
        tags: ['dossiers'],
        security,
        summary: 'Kết quả điện tử của hồ sơ / The signed results of a dossier',
        description: 'Staff who may read the dossier see them once signed; the applicant once the result is issued.',
        params: dossierParams,
        response: { 200: { type: 'array', items: summary }, 400: problem, 401: problem, 404: problem },
      },
    },
    async (request) => results.list(request.principal, request.params.dossierId),
  )

  app.get(
    '/api/dossiers/:dossierId/results/:resultId',
    {
      schema: {
        tags: ['dossiers'],
        security,
        summary: 'Tải kết quả / Download a signed result (recorded on the timeline)',
        params: resultParams,
        response: {
          200: { description: 'the signed PDF', type: 'string', format: 'binary' },
          400: problem,
          401: problem,
          404: problem,
        },
      },
    },
    async (request, reply) => {
      const { dossierId, resultId } = request.params
      const file = await results.download(request.principal, dossierId, resultId)
      return sendDownload(reply, { type: 'application/pdf', ...file })
    },
  )

  app.get(
    '/api/public/results/:code',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'Kết quả theo mã QR / The issued result a QR link names (no login)',
        params: codeParams,
        response: { 200: publicResult, 400: problem, 404: problem, 429: problem },
      },
    },
    async (request) => results.byCode(request.params.code),
  )

  app.post(
    '/api/public/results/verify',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'Xác minh văn bản / Verify a signed PDF (no login): signers, time, modified or not, issued by motcua',
        description: multipartDescription,
        consumes: ['multipart/form-data'],
        response: { 200: verification, 400: problem, 413: problem, 415: problem, 422: problem, 429: problem },
      },
    },
    async (request) => results.verify(await readPdfPart(request)),
  )
}

export default resultRoutes

// The real payment gateways over HTTP: VNPAY's IPN (server to server, the source of truth) and the payer's return
// from VNPAY; the finance officer's confirmation of a VietQR transfer, one by one or by importing the bank statement.
import { AppError } from '../../errors.js'
import { readStatement, statementLimits, type StatementFormat } from '../../dossiers/bank-statement.js'
import { ipnAnswers } from '../../dossiers/vnpay.js'
import { dossierContext } from './context.js'
import { payment, problem } from './schemas.js'
import type { RoutePlugin } from '../route-plugin.js'

const security = [{ bearerAuth: [] }]
const alnum = (max: number) => ({ type: 'string', maxLength: max, pattern: '^[A-Za-z0-9]*$' }) as const

/** The parameters VNPAY 2.1.0 sends to the IPN and return URLs; anything else is not VNPAY. */
const vnpayQuery = {
  type: 'object',
  properties: {
    vnp_TmnCode: alnum(20),
    vnp_Amount: { type: 'string', pattern: '^[0-9]{1,15}$' },
    vnp_BankCode: alnum(20),
    vnp_BankTranNo: { type: 'string', maxLength: 255, pattern: '^[A-Za-z0-9_-]*$' },
    vnp_CardType: alnum(20),
    vnp_PayDate: { type: 'string', pattern: '^[0-9]{14}$' },
    vnp_OrderInfo: { type: 'string', maxLength: 255 },
    vnp_TransactionNo: alnum(20),
    vnp_ResponseCode: { type: 'string', pattern: '^[0-9]{2}$' },
    vnp_TransactionStatus: { type: 'string', pattern: '^[0-9]{2}$' },
    vnp_TxnRef: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9]+$' },
    vnp_SecureHashType: alnum(20),
    vnp_SecureHash: { type: 'string', pattern: '^[0-9a-fA-F]{128}$' },
  },
  required: ['vnp_TmnCode', 'vnp_Amount', 'vnp_TxnRef', 'vnp_ResponseCode', 'vnp_SecureHash'],
  additionalProperties: false,
} as const

const reference = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Z0-9]+$' } as const

/** A statement line as reported back: what the file said, and the payment it names. */
const statementLine = {
  line: { type: 'integer' },
  amountVnd: { type: 'integer' },
  content: { type: 'string' },
  transaction: { type: 'string' },
  date: { type: 'string' },
  reference: { type: 'string' },
} as const

const statementReport = {
  type: 'object',
  properties: {
    matched: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ...statementLine, dossierId: { type: 'string' }, dossierCode: { type: ['string', 'null'] } },
      },
    },
    unmatched: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ...statementLine,
          reason: {
            type: 'string',
            enum: ['no-reference', 'unknown-reference', 'wrong-amount', 'already-paid', 'unreadable-amount'],
          },
        },
      },
    },
  },
  required: ['matched', 'unmatched'],
} as const

const formats: Record<string, StatementFormat> = {
  'text/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
}

/** A page of an officer's list: how many, and where the previous page ended. */
const listPage = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
    cursor: { type: 'string', minLength: 1, maxLength: 200 },
  },
  additionalProperties: false,
} as const

const refund = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    dossierId: { type: 'string' },
    amountVnd: { type: 'integer' },
    rule: { type: 'string' },
    status: { type: 'string', enum: ['due', 'paid'] },
    recordedAt: { type: 'string', format: 'date-time' },
    paid: {
      type: 'object',
      properties: {
        method: { type: 'string', enum: ['transfer', 'cash'] },
        reference: { type: ['string', 'null'] },
        paidOn: { type: 'string', format: 'date' },
        recordedAt: { type: 'string', format: 'date-time' },
      },
      required: ['method', 'reference', 'paidOn', 'recordedAt'],
    },
    paymentReference: { type: 'string' },
    provider: { type: 'string' },
    dossierCode: { type: ['string', 'null'] },
    applicantName: { type: 'string' },
    procedureName: { type: 'string' },
  },
  required: ['id', 'dossierId', 'amountVnd', 'rule', 'status', 'recordedAt'],
} as const

const gateways: RoutePlugin = async (app) => {
  const ctx = dossierContext(app)

  // A statement is sent as the file itself (text/csv or XLSX), up to its limit; only this route reads them.
  app.addContentTypeParser(
    Object.keys(formats),
    { parseAs: 'buffer', bodyLimit: statementLimits.bytes },
    (_req, body, done) => done(null, body),
  )

  app.get(
    '/api/payments/providers',
    {
      schema: {
        tags: ['payments'],
        summary: 'Cách thanh toán / The ways to pay offered on this portal',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, label: { type: 'string' }, sandbox: { type: 'boolean' } },
              required: ['name', 'label', 'sandbox'],
            },
          },
          400: problem,
          429: problem,
        },
      },
    },
    async () => ctx.payments.offered(),
  )

  app.get(
    '/api/payments/vnpay/ipn',
    {
      config: { rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        tags: ['payments'],
        summary: 'VNPAY IPN: the gateway’s signed notification of a payment (server to server; answered RspCode)',
        querystring: vnpayQuery,
        response: {
          200: {
            type: 'object',
            properties: { RspCode: { type: 'string' }, Message: { type: 'string' } },
            required: ['RspCode', 'Message'],
          },
          400: problem,
          404: problem,
          429: problem,
        },
      },
    },
    async (request) => {
      try {
        return ipnAnswers[await ctx.payments.notify('vnpay', request.query)]
      } catch (err) {
        if (err instanceof AppError) throw err
        // Nothing was recorded (the transaction rolled back): "99" tells VNPAY to send the IPN again later.
        request.log.error({ err }, 'VNPAY IPN not recorded')
        return ipnAnswers.error
      }
    },
  )

  app.get(
    '/api/payments/vnpay/return',
    {
      schema: {
        tags: ['payments'],
        summary: 'Trở về từ VNPAY / The payer back from VNPAY: to the portal page with the payment as recorded',
        querystring: vnpayQuery,
        response: { 303: { type: 'null', description: 'back to the portal' }, 400: problem, 404: problem },
      },
    },
    async (request, reply) =>
      reply
        .code(303)
        .header('location', await ctx.payments.returnFromGateway('vnpay', request.query))
        .send(),
  )

  app.get(
    '/api/payments/vietqr/pending',
    {
      schema: {
        tags: ['payments'],
        security,
        summary:
          'Chuyển khoản chờ xác nhận / The VietQR transfers awaited on the dossiers of the officer’s units, oldest first',
        description: 'A page at a time: `nextCursor` (null on the last page) asks for the next one.',
        querystring: listPage,
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    reference: { type: 'string', description: 'nội dung chuyển khoản / the transfer content' },
                    amountVnd: { type: 'integer' },
                    since: { type: 'string', format: 'date-time' },
                    expiresAt: { type: 'string', format: 'date-time' },
                    dossierId: { type: 'string' },
                    dossierCode: { type: ['string', 'null'] },
                    applicantName: { type: 'string' },
                    procedureName: { type: 'string' },
                    dossierStatus: { type: 'integer' },
                  },
                  required: [
                    'reference',
                    'amountVnd',
                    'since',
                    'dossierId',
                    'dossierCode',
                    'applicantName',
                    'procedureName',
                    'dossierStatus',
                  ],
                },
              },
              nextCursor: { type: ['string', 'null'] },
            },
            required: ['items', 'nextCursor'],
          },
          400: problem,
          401: problem,
          403: problem,
        },
      },
    },
    async (request) => ctx.payments.pendingTransfers(request.principal, request.query),
  )

  app.get(
    '/api/payments/refunds',
    {
      schema: {
        tags: ['payments'],
        security,
        summary:
          'Khoản hoàn trả / The refunds owed (due) or paid back (paid) on the dossiers of the officer’s units, oldest first',
        querystring: {
          type: 'object',
          properties: { ...listPage.properties, status: { type: 'string', enum: ['due', 'paid'], default: 'due' } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: refund }, nextCursor: { type: ['string', 'null'] } },
            required: ['items', 'nextCursor'],
          },
          400: problem,
          401: problem,
          403: problem,
        },
      },
    },
    async (request) => ctx.payments.refunds(request.principal, request.query),
  )

  app.post(
    '/api/payments/refunds/:refundId/paid',
    {
      schema: {
        tags: ['payments'],
        security,
        summary: 'Đã chi trả khoản hoàn trả / The finance officer records a refund paid back (transfer or cash)',
        description:
          'Once: the same request again answers the refund as recorded; other details for a refund already paid answer 409 MC_ERR_REFUND_ALREADY_PAID. paidOn lies between the day the refund was recorded and today.',
        params: {
          type: 'object',
          properties: { refundId: { type: 'string', format: 'uuid' } },
          required: ['refundId'],
          additionalProperties: false,
        },
        body: {
          type: 'object',
          properties: {
            method: { type: 'string', enum: ['transfer', 'cash'] },
            reference: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._/-]+$' },
            paidOn: { type: 'string', format: 'date' },
          },
          required: ['method', 'paidOn'],
          additionalProperties: false,
        },
        response: { 200: refund, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) => ctx.payments.markRefundPaid(request.principal, request.params.refundId, request.body),
  )

  app.post(
    '/api/payments/vietqr/:reference/confirm',
    {
      schema: {
        tags: ['payments'],
        security,
        summary: 'Xác nhận chuyển khoản / The finance officer confirms a VietQR transfer seen on the account',
        params: {
          type: 'object',
          properties: { reference },
          required: ['reference'],
          additionalProperties: false,
        },
        body: {
          type: 'object',
          properties: {
            amountVnd: { type: 'integer', minimum: 1, maximum: 1e12 },
            bankTransaction: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._/-]+$' },
          },
          required: ['amountVnd'],
          additionalProperties: false,
        },
        response: { 200: payment, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) => ctx.payments.confirmTransfer(request.principal, request.params.reference, request.body),
  )

  app.post(
    '/api/payments/vietqr/statements',
    {
      bodyLimit: statementLimits.bytes,
      schema: {
        tags: ['payments'],
        security,
        summary:
          'Nhập sao kê / Import a bank statement (CSV or XLSX): lines matched by reference and amount, the rest reported',
        consumes: Object.keys(formats),
        response: {
          200: statementReport,
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          413: problem,
          415: problem,
          422: problem,
        },
      },
    },
    async (request) => {
      const format = formats[(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()]
      if (!format || !Buffer.isBuffer(request.body))
        throw new AppError('MC_ERR_UNSUPPORTED_MEDIA_TYPE', 'Send the statement as text/csv or an XLSX file')
      // Who may import is checked before the file is read.
      await ctx.payments.requireStatementImporter(request.principal)
      const { lines, unreadable } = await readStatement(request.body, format)
      const report = await ctx.payments.importStatement(request.principal, lines)
      return {
        matched: report.matched,
        unmatched: [
          ...report.unmatched,
          ...unreadable.map((line) => ({ line, reason: 'unreadable-amount' as const })),
        ].sort((a, b) => a.line - b.line),
      }
    },
  )
}

export default gateways

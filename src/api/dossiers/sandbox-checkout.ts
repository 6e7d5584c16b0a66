// The sandbox gateway's checkout page (never in production): shows the amount under the "no real money" label and
// confirms or cancels through the same signed callback a real gateway would send. Only the payer may confirm: the page
// carries the short-lived checkout token issued to them when they started paying (or a bearer header of theirs), and
// the way back is a path on this portal only (`safeReturnUrl`).
import { AppError } from '../../errors.js'
import { returnUrlRefused } from '../../dossiers/payments.js'
import { requireSafeReturnUrl } from '../../lib/safe-return-url.js'
import { escapeHtml } from '../../print/index.js'
import { dossierContext } from './context.js'
import { problem } from './schemas.js'
import type { RoutePlugin } from '../route-plugin.js'

const reference = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Z0-9]+$' } as const
const returnUrl = { type: 'string', maxLength: 500, pattern: '^/[^/\\\\]' } as const
const checkoutToken = { type: 'string', maxLength: 200 } as const

const sandboxCheckout: RoutePlugin = async (app) => {
  const ctx = dossierContext(app)
  // An HTML form posts url-encoded fields; only this route reads them.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 2048 },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)))
    },
  )

  app.get(
    '/api/payments/sandbox/checkout',
    {
      schema: {
        tags: ['payments'],
        summary: 'Cổng thanh toán thử nghiệm / Sandbox checkout page (no real money; not in production)',
        querystring: {
          type: 'object',
          properties: { reference, amountVnd: { type: 'integer', minimum: 0 }, returnUrl, checkoutToken },
          required: ['reference', 'returnUrl'],
          additionalProperties: false,
        },
        response: { 200: { type: 'string', description: 'text/html' }, 400: problem },
      },
    },
    async (request, reply) => {
      const q = request.query
      const back = requireSafeReturnUrl(q.returnUrl, () => returnUrlRefused('querystring.returnUrl'))
      const amount = new Intl.NumberFormat('vi-VN').format(q.amountVnd ?? 0)
      const field = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`
      const form = (status: 'paid' | 'failed', label: string) =>
        `<form method="post" action="/api/payments/sandbox/checkout">${field('reference', q.reference)}${field('returnUrl', back)}${q.checkoutToken ? field('checkoutToken', q.checkoutToken) : ''}${field('status', status)}<button type="submit">${label}</button></form>`
      return reply.type('text/html; charset=utf-8')
        .send(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>SANDBOX</title></head><body>
<h1>${escapeHtml(ctx.sandbox.label)}</h1>
<p>Mã giao dịch / reference: <b>${escapeHtml(q.reference)}</b></p>
<p>Số tiền / amount: <b>${amount} đ</b></p>
${form('paid', 'Xác nhận thanh toán (giả lập) / Confirm (simulated)')}
${form('failed', 'Huỷ / Cancel')}
</body></html>`)
    },
  )

  app.post(
    '/api/payments/sandbox/checkout',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Xác nhận thử nghiệm / Sandbox: confirm or cancel, then back to the portal (no real money; not in production)',
        consumes: ['application/x-www-form-urlencoded'],
        body: {
          type: 'object',
          properties: { reference, returnUrl, checkoutToken, status: { type: 'string', enum: ['paid', 'failed'] } },
          required: ['reference', 'returnUrl', 'status'],
          additionalProperties: false,
        },
        response: {
          303: { type: 'null', description: 'back to returnUrl' },
          400: problem,
          401: problem,
          404: problem,
        },
      },
    },
    async (request, reply) => {
      const body = request.body
      const backTo = requireSafeReturnUrl(body.returnUrl, () => returnUrlRefused('body.returnUrl'))
      // The payer only: the checkout token issued to them for this payment, or their own bearer header.
      let payerId: string
      if (body.checkoutToken !== undefined) {
        const holder = ctx.sandbox.verifyCheckoutToken(body.checkoutToken, body.reference, new Date())
        if (!holder) throw new AppError('MC_ERR_TOKEN_INVALID')
        payerId = holder
      } else if (request.principal) payerId = request.principal.userId
      else throw new AppError('MC_ERR_UNAUTHENTICATED')
      // The "bank" signs its own answer and sends it through the gateway's callback path.
      const result = await ctx.payments.confirm(
        'sandbox',
        {
          reference: body.reference,
          status: body.status,
          signature: ctx.sandbox.sign(body.reference, body.status),
        },
        { payerId },
      )
      const back = `${backTo}${backTo.includes('?') ? '&' : '?'}payment=${encodeURIComponent(result.reference)}&status=${result.status}`
      return reply.code(303).header('location', back).send()
    },
  )
}

export default sandboxCheckout

// The services the dossier, task and public routes share, built once per app over its database and engine.
import { createHmac } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AttachmentService } from '../../attachments/upload.js'
import { createBlobStore } from '../../attachments/storage.js'
import type { DossierComponent } from '../../catalogue/definition.js'
import { DossierService } from '../../dossiers/commands.js'
import { DossierPortal, componentLimits } from '../../dossiers/portal.js'
import { PaymentService, SandboxPaymentProvider, type PaymentProvider } from '../../dossiers/payments.js'
import { DossierQueries } from '../../dossiers/queries.js'
import { AppError } from '../../errors.js'
import type { StoredFile } from '../../attachments/upload.js'

export interface DossierContext {
  service: DossierService
  queries: DossierQueries
  portal: DossierPortal
  attachments: AttachmentService
  payments: PaymentService
  sandbox: SandboxPaymentProvider
}

// Keyed by the database object, which every encapsulated context of one app shares.
const contexts = new WeakMap<object, DossierContext>()

export function dossierContext(app: FastifyInstance): DossierContext {
  let ctx = contexts.get(app.db)
  if (!ctx) {
    const knex = app.db.knex
    // The service's engine calls go through its relay right after commit; the runtime's periodic relay
    // (started with the engine) retries whatever is left pending.
    const service = new DossierService({ knex, engine: app.engine, portalUrl: app.config.publicBaseUrl })
    const queries = new DossierQueries(knex, app.engine)
    const sandbox = new SandboxPaymentProvider(
      createHmac('sha256', app.config.jwtSecret).update('motcua.payments.sandbox').digest('hex'),
    )
    // The sandbox takes no money: offered everywhere but production, where only a real gateway may confirm a payment.
    const providers = new Map<string, PaymentProvider>(
      app.config.nodeEnv === 'production' ? [] : [[sandbox.name, sandbox]],
    )
    ctx = {
      service,
      queries,
      sandbox,
      portal: new DossierPortal(knex, service, queries),
      attachments: new AttachmentService({ knex, store: createBlobStore(app.config) }),
      payments: new PaymentService(knex, providers, service.relay),
    }
    contexts.set(app.db, ctx)
  }
  return ctx
}

/**
 * Streams the one "file" part of a multipart request into acceptUpload with the component's limits.
 * Nothing is stored when the file is refused.
 */
export async function receiveUpload(
  ctx: DossierContext,
  request: FastifyRequest,
  component: DossierComponent,
  createdBy: string,
): Promise<StoredFile> {
  if (!request.isMultipart())
    throw new AppError('MC_ERR_UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with a "file" part')
  const onePart = 'Send exactly one multipart part, a file named "file"'
  const parts = request
    .parts({ limits: { files: 1, fields: 0, parts: 1, fileSize: Math.round(component.maxSizeMb * 1024 * 1024) + 1 } })
    [Symbol.asyncIterator]()
  const first = await parts.next().catch(() => {
    throw new AppError('MC_ERR_VALIDATION', onePart)
  })
  const part = first.done ? undefined : first.value
  if (!part || part.type !== 'file' || part.fieldname !== 'file') throw new AppError('MC_ERR_VALIDATION', onePart)
  // The stream fails when the body ends inside the file (a cut connection): the client's fault, not ours.
  let streamError: unknown
  part.file.once('error', (err) => void (streamError = err))
  try {
    return await ctx.attachments.acceptUpload({
      stream: part.file,
      declaredName: part.filename,
      declaredType: part.mimetype,
      limits: componentLimits(component),
      createdBy,
      // A second file or a field after the file refuses the whole request, before the first is stored.
      beforeStore: async () => {
        const next = await parts.next().catch(() => ({ done: false }))
        if (!next.done) throw new AppError('MC_ERR_VALIDATION', onePart)
      },
    })
  } catch (err) {
    if ((streamError !== undefined || part.file.errored) && !(err instanceof AppError))
      throw new AppError('MC_ERR_VALIDATION', 'The multipart body ended inside the file')
    throw err
  } finally {
    // A refused file may leave bytes unread; drain them so the connection answers.
    part.file.resume()
  }
}

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
    const service = new DossierService({ knex, engine: app.engine })
    const queries = new DossierQueries(knex, app.engine)
    const sandbox = new SandboxPaymentProvider(createHmac('sha256', app.config.jwtSecret).update('motcua.payments.sandbox').digest('hex'))
    // The sandbox takes no money: offered everywhere but production, where only a real gateway may confirm a payment.
    const providers = new Map<string, PaymentProvider>(app.config.nodeEnv === 'production' ? [] : [[sandbox.name, sandbox]])
    ctx = {
      service, queries, sandbox,
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
export async function receiveUpload(ctx: DossierContext, request: FastifyRequest, component: DossierComponent, createdBy: string): Promise<StoredFile> {
  if (!request.isMultipart()) throw new AppError('MC_ERR_UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with a "file" part')
  const part = await request.file({ limits: { files: 1, fields: 0, fileSize: Math.round(component.maxSizeMb * 1024 * 1024) + 1 } }).catch((err: { statusCode?: number }) => {
    throw new AppError(err.statusCode === 413 ? 'MC_ERR_FILE_TOO_LARGE' : 'MC_ERR_VALIDATION', 'A multipart "file" part is required')
  })
  if (!part || part.fieldname !== 'file') throw new AppError('MC_ERR_VALIDATION', 'A multipart "file" part is required')
  try {
    return await ctx.attachments.acceptUpload({ stream: part.file, declaredName: part.filename, declaredType: part.mimetype, limits: componentLimits(component), createdBy })
  } finally {
    // A refused file may leave bytes unread; drain them so the connection answers.
    part.file.resume()
  }
}

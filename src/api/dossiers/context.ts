// The dossier routes' access to the services the runtime built once (src/runtime.ts), and their multipart upload.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { DossierComponent } from '../../catalogue/definition.js'
import { componentLimits } from '../../dossiers/portal.js'
import { AppError } from '../../errors.js'
import type { StoredFile } from '../../attachments/upload.js'
import type { DossierServices } from '../../runtime.js'

export type DossierContext = DossierServices

/** The dossier services, as the runtime plugin decorated them (src/plugins/runtime.ts). */
export const dossierContext = (app: FastifyInstance): DossierContext => app.dossiers

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
  const fileSize = Math.round(component.maxSizeMb * 1024 * 1024) + 1
  const multipart = request.parts({ limits: { files: 1, fields: 0, parts: 1, fileSize } })
  const parts = multipart[Symbol.asyncIterator]()
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

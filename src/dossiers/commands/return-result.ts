// dossier.returnResult: the result is handed to the applicant at the counter or sent by post ("returned" follows). A
// result delivered by post is returned once its parcel is recorded (src/delivery/service.ts), so the applicant always
// has a tracking number.
import { shipmentRepository } from '../../delivery/repository.js'
import { AppError } from '../../errors.js'
import { decide } from './decide.js'
import type { CommandHandler } from './registry.js'

export const returnResult: CommandHandler<'dossier.returnResult'> = {
  async execute({ principal, dossierId, input }, rt) {
    return decide(rt, principal, dossierId, 'returnResult', 'returned', input, {}, async ({ trx, dossier }) => {
      const parcels = dossier.delivery_method === 'post' ? await shipmentRepository(trx).ofDossier(dossier.id) : []
      if (dossier.delivery_method === 'post' && parcels.length === 0) throw new AppError('MC_ERR_SHIPMENT_MISSING')
      return {
        kind: 'decision',
        columns: {},
        data: parcels.length ? { trackingNumbers: parcels.map((p) => p.tracking_number) } : {},
      }
    })
  },
}

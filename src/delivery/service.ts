// Delivering results by post: the counter records the parcel it sent (carrier, tracking number, date) at the result
// step, through the carrier port; the dossier's timeline, its applicant's page and a mail then carry the tracking
// number, and the result step cannot be closed as returned before a parcel is recorded.
import type { Knex } from 'knex'
import { requireAccess } from '../auth/access.js'
import type { Principal } from '../auth/principal.js'
import { formatDate, localDay, parseDate } from '../domain/calendar/index.js'
import { Status } from '../domain/dossier/status.js'
import { openTaskFor, visibleTask } from '../dossiers/commands/tasks.js'
import { notifyApplicant } from '../dossiers/notify.js'
import { dossierRepository } from '../dossiers/repository.js'
import { AppError } from '../errors.js'
import type { Carrier } from './carriers.js'
import { shipmentRepository, shipmentView, type Shipment, type ShipmentRow } from './repository.js'

export interface ShipmentInput {
  carrier: string
  trackingNumber?: string
  /** YYYY-MM-DD; today (Vietnam) when omitted. */
  shippedOn?: string
}

export class DeliveryService {
  private readonly carriers: Map<string, Carrier>

  constructor(
    private readonly knex: Knex,
    carriers: Carrier[],
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.carriers = new Map(carriers.map((c) => [c.id, c]))
  }

  /** The carriers the counter may choose (for staff who work tasks). */
  async list(
    principal: Principal | undefined,
  ): Promise<Array<{ id: string; name: { vi: string; en: string }; manual: boolean }>> {
    await requireAccess(this.knex, { principal, permission: 'task.work' })
    return [...this.carriers.values()].map((c) => ({ id: c.id, name: c.name, manual: c.manual }))
  }

  /**
   * Records the parcel of a dossier delivered by post, by the officer working its result step (status 9). The same
   * carrier and number again for this dossier answer the parcel already recorded (`created: false`); on another
   * dossier they are refused.
   */
  async record(
    principal: Principal | undefined,
    taskKey: string,
    input: ShipmentInput,
  ): Promise<{ created: boolean; shipment: Shipment }> {
    const task = await visibleTask(this.knex, principal, taskKey)
    const caller = principal!
    if (task.state !== 'CREATED') throw new AppError('MC_ERR_TASK_NOT_FOUND', 'The task is no longer open')
    await this.knex.transaction((trx) => openTaskFor(trx, task.dossier_id, caller, taskKey))
    const dossier = (await dossierRepository(this.knex).byId(task.dossier_id))!
    if (dossier.delivery_method !== 'post' || !dossier.delivery_address) throw new AppError('MC_ERR_SHIPMENT_NOT_POST')
    if (dossier.status !== Status.resolved)
      throw new AppError('MC_ERR_DOSSIER_STATE', 'A parcel is recorded once the result is issued (status 9)')
    const carrier = this.carriers.get(input.carrier)
    if (!carrier) throw new AppError('MC_ERR_CARRIER_UNKNOWN', input.carrier)

    const now = this.clock()
    const today = formatDate(localDay(now.getTime()))
    const issuedOn = formatDate(localDay((dossier.result_issued_at ?? now).getTime()))
    const shippedOn = input.shippedOn ?? today
    if (!isDate(shippedOn) || shippedOn > today || shippedOn < issuedOn)
      throw new AppError('MC_ERR_SHIPMENT_DATE', `${shippedOn} is not between ${issuedOn} and ${today}`, {
        earliest: issuedOn,
        latest: today,
      })
    const { trackingNumber } = await carrier.ship({
      dossierCode: dossier.code ?? dossier.id,
      recipientName: dossier.applicant_name,
      address: dossier.delivery_address,
      shippedOn,
      ...(input.trackingNumber !== undefined ? { trackingNumber: input.trackingNumber } : {}),
    })

    const shipments = shipmentRepository(this.knex)
    const earlier = await shipments.byTrackingNumber(carrier.id, trackingNumber)
    if (earlier) return this.again(earlier, dossier.id)
    try {
      const row = await this.knex.transaction(async (trx) => {
        const dossiers = dossierRepository(trx)
        const locked = await dossiers.lock(dossier.id)
        const row = await shipmentRepository(trx).insert({
          dossier_id: dossier.id,
          carrier: carrier.id,
          carrier_name: carrier.name.vi,
          tracking_number: trackingNumber,
          shipped_on: shippedOn,
          recorded_by: caller.userId,
          recorded_at: now,
        })
        const data = { carrier: carrier.id, carrierName: carrier.name.vi, trackingNumber, shippedOn }
        await dossiers.timeline(dossier.id, { kind: 'result_shipped', at: now, actor_id: caller.userId, data })
        await dossiers.audit(caller.userId, 'dossier.shipmentRecorded', dossier.id, data)
        await notifyApplicant(trx, locked, `shipped:${row.id}`, (base) => ({
          name: 'result-shipped',
          // A dossier at its result step has its code.
          data: {
            ...base,
            dossierCode: base.dossierCode!,
            carrierName: carrier.name.vi,
            trackingNumber,
            shippedOn,
            address: locked.delivery_address!,
          },
        }))
        return row
      })
      return { created: true, shipment: shipmentView(row) }
    } catch (err) {
      // The same parcel recorded by two requests at once: the second finds the first's row.
      if ((err as { code?: string }).code !== '23505') throw err
      const winner = await shipments.byTrackingNumber(carrier.id, trackingNumber)
      if (!winner) throw err
      return this.again(winner, dossier.id)
    }
  }

  private again(row: ShipmentRow, dossierId: string): { created: boolean; shipment: Shipment } {
    if (row.dossier_id !== dossierId) throw new AppError('MC_ERR_SHIPMENT_DUPLICATE', row.tracking_number)
    return { created: false, shipment: shipmentView(row) }
  }
}

function isDate(text: string): boolean {
  try {
    parseDate(text)
    return true
  } catch {
    return false
  }
}

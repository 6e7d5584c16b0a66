// SQL of result shipments: the parcels the counter sent a dossier's result in.
import type { Db } from '../dossiers/repository.js'

export interface ShipmentRow {
  id: string
  dossier_id: string
  carrier: string
  carrier_name: string
  tracking_number: string
  /** YYYY-MM-DD */
  shipped_on: string
  recorded_by: string
  recorded_at: Date
}

export function shipmentRepository(db: Db) {
  // The date as text: a `date` column would come back as a JavaScript Date at the server's midnight.
  const select = () =>
    db('dossier_shipments').select(
      'id',
      'dossier_id',
      'carrier',
      'carrier_name',
      'tracking_number',
      db.raw(`to_char(shipped_on, 'YYYY-MM-DD') as shipped_on`),
      'recorded_by',
      'recorded_at',
    )
  return {
    async ofDossier(dossierId: string): Promise<ShipmentRow[]> {
      return (await select()
        .where({ dossier_id: dossierId })
        .orderBy([{ column: 'recorded_at' }, { column: 'id' }])) as ShipmentRow[]
    },

    async byTrackingNumber(carrier: string, trackingNumber: string): Promise<ShipmentRow | undefined> {
      return ((await select().where({ carrier, tracking_number: trackingNumber })) as ShipmentRow[])[0]
    },

    async insert(row: Omit<ShipmentRow, 'id'>): Promise<ShipmentRow> {
      const [inserted] = (await db('dossier_shipments').insert(row).returning('id')) as Array<{ id: string }>
      return ((await select().where({ id: inserted!.id })) as ShipmentRow[])[0]!
    },
  }
}

/** A parcel as the API shows it. */
export interface Shipment {
  id: string
  carrier: { id: string; name: string }
  trackingNumber: string
  shippedOn: string
  recordedAt: Date
}

export function shipmentView(r: ShipmentRow): Shipment {
  return {
    id: r.id,
    carrier: { id: r.carrier, name: r.carrier_name },
    trackingNumber: r.tracking_number,
    shippedOn: r.shipped_on,
    recordedAt: r.recorded_at,
  }
}

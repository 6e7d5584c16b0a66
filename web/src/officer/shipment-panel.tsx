// At the result step of a dossier delivered by post: where to send it, the parcels recorded, and the form that records
// one (carrier, tracking number from the post office receipt, date sent). The result counts as returned only once a
// parcel is recorded (the server refuses otherwise).
import { useState } from 'react'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { ProblemAlert, useAction, useAsync } from '../ui.js'
import type { DossierDetail, Shipment } from '../citizen/types.js'

interface Carrier {
  id: string
  name: { vi: string; en: string }
  manual: boolean
}

/** Today in Vietnam (YYYY-MM-DD), the default date sent. */
const todayInVietnam = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)

export function ShipmentPanel(props: { taskKey: string; d: DossierDetail; open: boolean; onRecorded(): void }) {
  const { tr, lang, date } = useLang()
  const { d } = props
  const carriers = useAsync((signal) => api<{ items: Carrier[] }>('/api/delivery/carriers', { signal }), [])
  const [carrier, setCarrier] = useState('')
  const [trackingNumber, setTrackingNumber] = useState('')
  const [shippedOn, setShippedOn] = useState(todayInVietnam())
  const chosen = carrier || carriers.data?.items[0]?.id || ''
  const record = useAction(async () => {
    await api<Shipment>(`/api/tasks/${encodeURIComponent(props.taskKey)}/shipment`, {
      method: 'POST',
      body: { carrier: chosen, trackingNumber, shippedOn },
    })
    setTrackingNumber('')
    props.onRecorded()
  })
  const address = d.deliveryAddress
  return (
    <section className="panel shipment" aria-labelledby="shipment-title">
      <h2 id="shipment-title">{tr('Gửi kết quả qua bưu chính', 'Post the result')}</h2>
      {address && (
        <p data-testid="shipment-address">
          {tr('Gửi đến', 'To')}: <strong>{d.applicant.name}</strong>, {address.street}, {address.communeName},{' '}
          {address.provinceName}
          {` — ${tr('điện thoại', 'phone')} ${address.phone ?? d.applicant.phone ?? '—'}`}
        </p>
      )}
      {d.shipments.length > 0 ? (
        <ul className="shipments">
          {d.shipments.map((s) => (
            <li key={s.id}>
              {s.carrier.name}, {date(s.shippedOn)} — {tr('số hiệu', 'tracking number')}{' '}
              <strong className="tracking-number">{s.trackingNumber}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">
          {tr(
            'Chưa ghi nhận bưu gửi. Hãy ghi số hiệu bưu gửi trên biên nhận của bưu cục trước khi trả kết quả.',
            'No parcel recorded yet. Record the tracking number from the post office receipt before returning the result.',
          )}
        </p>
      )}
      {props.open && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault()
            void record.run()
          }}
        >
          <label htmlFor="shipment-carrier">{tr('Đơn vị chuyển phát', 'Carrier')}</label>
          <select id="shipment-carrier" value={chosen} onChange={(e) => setCarrier(e.target.value)}>
            {(carriers.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name[lang]}
              </option>
            ))}
          </select>
          <label htmlFor="shipment-number">{tr('Số hiệu bưu gửi', 'Tracking number')}</label>
          <input
            id="shipment-number"
            value={trackingNumber}
            autoComplete="off"
            required
            onChange={(e) => setTrackingNumber(e.target.value)}
          />
          <label htmlFor="shipment-date">{tr('Ngày gửi', 'Date sent')}</label>
          <input
            id="shipment-date"
            type="date"
            value={shippedOn}
            max={todayInVietnam()}
            required
            onChange={(e) => setShippedOn(e.target.value)}
          />
          <ProblemAlert error={record.error ?? carriers.error} />
          <button type="submit" disabled={record.busy || !chosen || !trackingNumber.trim()}>
            {tr('Ghi nhận bưu gửi', 'Record the parcel')}
          </button>
        </form>
      )}
    </section>
  )
}

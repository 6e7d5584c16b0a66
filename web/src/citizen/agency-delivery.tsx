// The receiving agency (a select of the units of the procedure's level) and the result delivery (radio buttons),
// as the applicant's draft and the counter's intake both ask for them.
import { useLang } from '../i18n.js'
import { deliveries, label } from './labels.js'
import type { Agency, Delivery } from './types.js'

export function AgencyDeliveryFields(props: {
  idPrefix: string
  agencies: Agency[]
  agencyUnitId: string
  onAgency(unitId: string): void
  offered: Delivery[]
  delivery: Delivery | ''
  onDelivery(d: Delivery): void
}) {
  const { tr, lang } = useLang()
  return (
    <>
      <label htmlFor={`${props.idPrefix}-agency`}>{tr('Cơ quan tiếp nhận', 'Receiving agency')}</label>
      <select
        id={`${props.idPrefix}-agency`}
        value={props.agencyUnitId}
        onChange={(e) => props.onAgency(e.target.value)}
      >
        <option value="">{tr('— Chọn cơ quan —', '— Choose —')}</option>
        {props.agencies.map((a) => (
          <option key={a.unitId} value={a.unitId}>
            {lang === 'en' && a.nameEn ? a.nameEn : a.name}
          </option>
        ))}
      </select>
      <fieldset className="choices">
        <legend>{tr('Cách nhận kết quả', 'How to receive the result')}</legend>
        {props.offered.map((d) => (
          <label key={d} className="choice">
            <input
              type="radio"
              name={`${props.idPrefix}-delivery`}
              value={d}
              checked={props.delivery === d}
              onChange={() => props.onDelivery(d)}
            />{' '}
            {label(deliveries, d, lang)}
          </label>
        ))}
      </fieldset>
    </>
  )
}

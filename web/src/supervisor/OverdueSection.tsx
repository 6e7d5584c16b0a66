// Overdue and due-soon dossiers of my unit subtree, most late first: who holds each and where, how late in working
// days (in words as well as colour), and reassigning its open task to an officer of the task's group.
import { useEffect, useState } from 'react'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, ProblemAlert, StatusBadge, useAction, useAsync } from '../ui.js'
import { UnitPicker } from './controls.js'
import { unitAt, type Officer, type OverdueItem, type SubtreeUnit } from './data.js'

interface OverduePage {
  items: OverdueItem[]
  nextCursor: string | null
}

export function OverdueSection({ units }: { units: SubtreeUnit[] | undefined }) {
  const { tr, number } = useLang()
  const [unit, setUnit] = useState('')
  const [days, setDays] = useState(1)
  const [extra, setExtra] = useState<OverdueItem[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const first = useAsync(
    (signal) => api<OverduePage>('/api/supervision/overdue', { query: { unit, dueSoonDays: days, limit: 50 }, signal }),
    [unit, days],
  )
  useEffect(() => {
    setExtra([])
    setCursor(first.data?.nextCursor ?? null)
  }, [first.data])
  const more = useAction(async () => {
    if (!cursor) return
    const page = await api<OverduePage>('/api/supervision/overdue', {
      query: { unit, dueSoonDays: days, limit: 50, cursor },
    })
    setExtra((e) => [...e, ...page.items])
    setCursor(page.nextCursor)
  })
  const items = [...(first.data?.items ?? []), ...extra]
  const overdueCount = items.filter((i) => i.overdue).length

  return (
    <section className="panel" aria-labelledby="sv-overdue-title">
      <h2 id="sv-overdue-title">{tr('Hồ sơ quá hạn và sắp đến hạn', 'Overdue and due-soon dossiers')}</h2>
      <div className="sv-controls">
        <UnitPicker id="sv-overdue-unit" units={units} value={unit} onChange={setUnit} />
        <div className="sv-field">
          <label htmlFor="sv-due-soon">{tr('Sắp đến hạn trong (ngày làm việc)', 'Due within (working days)')}</label>
          <input
            id="sv-due-soon"
            type="number"
            min={0}
            max={30}
            value={days}
            onChange={(e) => {
              const n = Number(e.target.value)
              if (Number.isInteger(n) && n >= 0 && n <= 30) setDays(n)
            }}
          />
        </div>
      </div>
      {done && (
        <p className="alert alert-ok" role="status">
          {done}
        </p>
      )}
      <ProblemAlert error={first.error} />
      {first.loading && !first.data ? (
        <Loading />
      ) : (
        <div className="table-scroll">
          <table className="data stack" data-testid="overdue-table">
            <caption>
              {tr(
                `${number(overdueCount)} hồ sơ quá hạn, ${number(items.length - overdueCount)} hồ sơ sắp đến hạn trong ${days} ngày làm việc`,
                `${number(overdueCount)} overdue, ${number(items.length - overdueCount)} due within ${days} working day${days === 1 ? '' : 's'}`,
              )}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tr('Mã hồ sơ', 'Dossier')}</th>
                <th scope="col">{tr('Thủ tục', 'Procedure')}</th>
                <th scope="col">{tr('Bước / đơn vị đang giữ', 'Step / unit holding it')}</th>
                <th scope="col">{tr('Người đang giữ', 'Held by')}</th>
                <th scope="col">{tr('Hạn giải quyết', 'Due')}</th>
                <th scope="col">{tr('Tình trạng', 'Standing')}</th>
                <th scope="col">{tr('Giao lại', 'Reassign')}</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    {tr('Không có hồ sơ quá hạn hay sắp đến hạn.', 'No dossier is overdue or due soon.')}
                  </td>
                </tr>
              )}
              {items.map((item) => (
                <OverdueRow
                  key={item.dossierId}
                  item={item}
                  units={units}
                  onAssigned={(who) => {
                    setDone(
                      tr(
                        `Đã giao hồ sơ ${item.code ?? ''} cho ${who}.`,
                        `Dossier ${item.code ?? ''} is now assigned to ${who}.`,
                      ),
                    )
                    first.reload()
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" className="secondary" onClick={() => void more.run()} disabled={more.busy}>
          {tr('Xem thêm', 'Show more')}
        </button>
      )}
      <ProblemAlert error={more.error} />
    </section>
  )
}

function OverdueRow({
  item,
  units,
  onAssigned,
}: {
  item: OverdueItem
  units: SubtreeUnit[] | undefined
  onAssigned(name: string): void
}) {
  const { tr, date, dateTime, lang } = useLang()
  const [open, setOpen] = useState(false)
  const standing = item.overdue
    ? item.workingDaysLate > 0
      ? tr(
          `Quá hạn ${item.workingDaysLate} ngày làm việc`,
          `Overdue by ${item.workingDaysLate} working day${item.workingDaysLate === 1 ? '' : 's'}`,
        )
      : tr('Quá hạn (trong ngày)', 'Overdue (today)')
    : tr('Sắp đến hạn', 'Due soon')
  const stepUnit = unitAt(units, item.step.unitPath, lang)
  return (
    <>
      <tr className={item.overdue ? 'due-overdue' : 'due-soon'} data-dossier-code={item.code ?? ''}>
        <td>
          <strong>{item.code ?? '—'}</strong>
          <div>
            <StatusBadge status={item.status} />
          </div>
        </td>
        <td>
          {item.procedureName}
          <div className="small">{item.agency.name}</div>
        </td>
        <td>
          {item.step.name ?? '—'}
          {stepUnit && <div className="small">{stepUnit}</div>}
        </td>
        <td>
          {item.holder.name ?? <span className="sv-unclaimed">{tr('Chưa có người nhận', 'Not claimed yet')}</span>}
          {item.holder.since && (
            <div className="small">
              {tr('từ', 'since')} {dateTime(item.holder.since)}
            </div>
          )}
        </td>
        <td>
          {date(item.dueDate)}
          {item.extendedTo && (
            <div className="small">
              {tr('gia hạn đến', 'extended to')} {date(item.extendedTo)}
            </div>
          )}
        </td>
        <td>
          <span className={`sv-standing ${item.overdue ? 'sv-late' : 'sv-soon'}`}>
            <span aria-hidden="true" className="sv-icon">
              {item.overdue ? '!' : '…'}
            </span>
            <span data-testid="standing">{standing}</span>
          </span>
        </td>
        <td>
          {item.taskKey ? (
            <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
              {tr('Giao lại', 'Reassign')}
              <span className="sv-vh"> {item.code}</span>
            </button>
          ) : (
            <span className="muted small">{tr('Không có công việc mở', 'No open task')}</span>
          )}
        </td>
      </tr>
      {open && item.taskKey && (
        <tr className="sv-assign-row">
          <td colSpan={7}>
            <AssignForm
              taskKey={item.taskKey}
              code={item.code}
              current={item.holder.userId}
              onCancel={() => setOpen(false)}
              onDone={(name) => {
                setOpen(false)
                onAssigned(name)
              }}
            />
          </td>
        </tr>
      )}
    </>
  )
}

function AssignForm({
  taskKey,
  code,
  current,
  onCancel,
  onDone,
}: {
  taskKey: string
  code: string | null
  current: string | null
  onCancel(): void
  onDone(name: string): void
}) {
  const { tr } = useLang()
  const candidates = useAsync(
    (signal) =>
      api<{ officers: Officer[]; candidateGroups: string[] }>('/api/supervision/officers', {
        query: { taskKey },
        signal,
      }),
    [taskKey],
  )
  const [assignee, setAssignee] = useState('')
  const assign = useAction(async () => {
    const officer = candidates.data?.officers.find((o) => o.userId === assignee)
    if (!officer) return
    await api(`/api/supervision/tasks/${encodeURIComponent(taskKey)}/assign`, { method: 'POST', body: { assignee } })
    onDone(officer.fullName)
  })
  const id = `sv-assign-${taskKey}`
  return (
    <form
      className="sv-assign"
      onSubmit={(e) => {
        e.preventDefault()
        void assign.run()
      }}
    >
      <ProblemAlert error={candidates.error ?? assign.error} />
      {candidates.loading ? (
        <Loading />
      ) : candidates.data && candidates.data.officers.length === 0 ? (
        <p>
          {tr(
            `Không có cán bộ nào trong đơn vị thuộc nhóm ${candidates.data.candidateGroups.join(', ')}.`,
            `No officer of your units is in the group ${candidates.data.candidateGroups.join(', ')}.`,
          )}
        </p>
      ) : (
        <div className="row">
          <label htmlFor={id}>{tr(`Giao hồ sơ ${code ?? ''} cho`, `Assign dossier ${code ?? ''} to`)}</label>
          <select id={id} required value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">{tr('— Chọn cán bộ —', '— Choose an officer —')}</option>
            {candidates.data?.officers.map((o) => (
              <option key={o.userId} value={o.userId} disabled={o.userId === current}>
                {o.fullName} ({o.username}, {o.unitName}){o.userId === current ? tr(' — đang giữ', ' — holds it') : ''}
              </option>
            ))}
          </select>
          <button type="submit" disabled={assign.busy || !assignee}>
            {tr('Xác nhận giao', 'Confirm')}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {tr('Hủy', 'Cancel')}
          </button>
        </div>
      )}
    </form>
  )
}

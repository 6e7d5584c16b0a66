// /quan-tri: the units of the administrator's subtree in tree order; add a unit under one of them, rename it, move it
// under another parent, close it, and read its history.
import { useState } from 'react'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAction, useAsync } from '../ui.js'
import { AdminNav } from './AdminNav.js'
import { unitLevels, type AdminUnit } from './types.js'

interface HistoryEntry {
  id: number
  change: string
  before: Record<string, unknown> | null
  after: Record<string, unknown>
  reason: string | null
  actor: string | null
  at: string
}

const changeNames: Record<string, [string, string]> = {
  created: ['Thành lập', 'Created'],
  changed: ['Thay đổi', 'Changed'],
  moved: ['Chuyển', 'Moved'],
  closed: ['Đóng', 'Closed'],
}

const depth = (u: AdminUnit) => u.path.split('/').filter(Boolean).length

export function UnitsPage() {
  const { tr, dateTime } = useLang()
  const units = useAsync(() => api<{ items: AdminUnit[] }>('/api/admin/units'), [])
  const [selected, setSelected] = useState<string | null>(null)
  const items = units.data?.items ?? []
  const unit = items.find((u) => u.id === selected)
  return (
    <section>
      <PageTitle title={tr('Quản trị: đơn vị', 'Administration: units')}>
        {tr('Quản trị: đơn vị', 'Administration: units')}
      </PageTitle>
      <AdminNav />
      <ProblemAlert error={units.error} />
      {units.loading && !units.data ? (
        <Loading />
      ) : (
        <div className="admin-columns">
          <div className="table-scroll">
            <table className="data">
              <caption>{tr('Cơ cấu tổ chức trong phạm vi quản lý', 'The organisation you manage')}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr('Đơn vị', 'Unit')}</th>
                  <th scope="col">{tr('Cấp', 'Level')}</th>
                  <th scope="col">{tr('Mã định danh / mã ĐVHC', 'Agency / admin code')}</th>
                  <th scope="col">{tr('Thao tác', 'Actions')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((u) => (
                  <tr key={u.id} data-unit={u.id}>
                    <td style={{ paddingLeft: `${depth(u) * 0.9}rem` }}>
                      <span className={u.closedAt ? 'unit-closed' : ''}>{u.name}</span>
                      {u.closedAt && (
                        <span className="muted small">
                          {' '}
                          ({tr('đã đóng', 'closed')} {dateTime(u.closedAt)})
                        </span>
                      )}
                      <div className="muted small">{u.id}</div>
                    </td>
                    <td>{tr(...(unitLevels[u.level] ?? [u.level, u.level]))}</td>
                    <td>
                      {u.agencyCode ?? '—'} / {u.adminCode ?? '—'}
                    </td>
                    <td>
                      <button type="button" className="secondary" onClick={() => setSelected(u.id)}>
                        {tr('Chọn', 'Select')}
                        <span className="visually-hidden"> {u.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div>
            <NewUnitForm units={items} onDone={units.reload} />
            {unit && <UnitPanel key={unit.id} unit={unit} units={items} onDone={units.reload} />}
          </div>
        </div>
      )}
    </section>
  )
}

function UnitPanel({ unit, units: all, onDone }: { unit: AdminUnit; units: AdminUnit[]; onDone(): void }) {
  const { tr, dateTime } = useLang()
  const [name, setName] = useState(unit.name)
  const [parentId, setParentId] = useState('')
  const [reason, setReason] = useState('')
  const [done, setDone] = useState('')
  const history = useAsync(
    () => api<{ items: HistoryEntry[] }>(`/api/admin/units/${encodeURIComponent(unit.id)}/history`),
    [unit.id, done],
  )
  const act = useAction(async (what: 'rename' | 'move' | 'close') => {
    const path = `/api/admin/units/${encodeURIComponent(unit.id)}`
    if (what === 'rename') await api(path, { method: 'PATCH', body: { name, ...(reason ? { reason } : {}) } })
    if (what === 'move') await api(`${path}/move`, { method: 'POST', body: { parentId, reason } })
    if (what === 'close') await api(`${path}/close`, { method: 'POST', body: { reason } })
    setDone(`${what}:${Date.now()}`)
    onDone()
  })
  const parents = all.filter((u) => !u.closedAt && !u.path.startsWith(unit.path))
  return (
    <div className="panel" aria-labelledby="unit-panel-title">
      <h2 id="unit-panel-title">{unit.name}</h2>
      <ProblemAlert error={act.error} />
      {!unit.closedAt && (
        <form className="form" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="unit-name">{tr('Tên đơn vị', 'Unit name')}</label>
          <input id="unit-name" value={name} onChange={(e) => setName(e.target.value)} />
          <label htmlFor="unit-parent">{tr('Chuyển về đơn vị', 'Move under')}</label>
          <select id="unit-parent" value={parentId} onChange={(e) => setParentId(e.target.value)}>
            <option value="">—</option>
            {parents.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <label htmlFor="unit-reason">{tr('Lý do (căn cứ quyết định)', 'Reason (the decision)')}</label>
          <input id="unit-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="row">
            <button type="button" disabled={act.busy} onClick={() => void act.run('rename')}>
              {tr('Lưu tên', 'Save name')}
            </button>
            <button type="button" disabled={act.busy || !parentId} onClick={() => void act.run('move')}>
              {tr('Chuyển đơn vị', 'Move unit')}
            </button>
            <button type="button" className="secondary" disabled={act.busy} onClick={() => void act.run('close')}>
              {tr('Đóng đơn vị', 'Close unit')}
            </button>
          </div>
        </form>
      )}
      <h3>{tr('Lịch sử', 'History')}</h3>
      <ProblemAlert error={history.error} />
      <ol className="small">
        {(history.data?.items ?? []).map((h) => (
          <li key={h.id}>
            {dateTime(h.at)} — <strong>{tr(...(changeNames[h.change] ?? [h.change, h.change]))}</strong>
            {h.actor ? ` (${h.actor})` : ''}
            {h.reason ? `: ${h.reason}` : ''}
            {h.change === 'moved' && (
              <div className="muted">
                {String(h.before?.['path'] ?? '')} → {String(h.after['path'] ?? '')}
              </div>
            )}
          </li>
        ))}
      </ol>
    </div>
  )
}

function NewUnitForm({ units, onDone }: { units: AdminUnit[]; onDone(): void }) {
  const { tr } = useLang()
  const [form, setForm] = useState({
    id: '',
    parentId: '',
    name: '',
    nameEn: '',
    level: 'commune',
    kind: 'xa',
    agencyCode: '',
    adminCode: '',
  })
  const [created, setCreated] = useState<string | null>(null)
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value })
  const submit = useAction(async () => {
    const hasKind = form.level === 'commune'
    const unit = await api<AdminUnit>('/api/admin/units', {
      method: 'POST',
      body: {
        id: form.id.trim(),
        parentId: form.parentId || units[0]?.id,
        name: form.name,
        level: form.level,
        ...(form.nameEn ? { nameEn: form.nameEn } : {}),
        ...(hasKind ? { kind: form.kind } : {}),
        ...(form.agencyCode ? { agencyCode: form.agencyCode.trim() } : {}),
        ...(form.adminCode ? { adminCode: form.adminCode.trim() } : {}),
      },
    })
    setCreated(unit.name)
    onDone()
  })
  return (
    <form
      className="form panel"
      onSubmit={(e) => {
        e.preventDefault()
        void submit.run()
      }}
    >
      <h2>{tr('Thêm đơn vị', 'Add a unit')}</h2>
      <ProblemAlert error={submit.error} />
      {created && (
        <div className="alert alert-ok" role="status">
          {tr('Đã thêm', 'Added')}: {created}
        </div>
      )}
      <label htmlFor="new-unit-parent">{tr('Trực thuộc', 'Under')}</label>
      <select id="new-unit-parent" value={form.parentId} onChange={set('parentId')}>
        {units
          .filter((u) => !u.closedAt)
          .map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
      </select>
      <label htmlFor="new-unit-level">{tr('Cấp đơn vị', 'Level')}</label>
      <select id="new-unit-level" value={form.level} onChange={set('level')}>
        {Object.entries(unitLevels)
          .filter(([level]) => level !== 'province' && level !== 'district')
          .map(([level, [vi, en]]) => (
            <option key={level} value={level}>
              {tr(vi, en)}
            </option>
          ))}
      </select>
      {form.level === 'commune' && (
        <>
          <label htmlFor="new-unit-kind">{tr('Loại', 'Kind')}</label>
          <select id="new-unit-kind" value={form.kind} onChange={set('kind')}>
            <option value="xa">{tr('Xã', 'Commune (xã)')}</option>
            <option value="phuong">{tr('Phường', 'Ward (phường)')}</option>
            <option value="dac-khu">{tr('Đặc khu', 'Special zone (đặc khu)')}</option>
          </select>
        </>
      )}
      <label htmlFor="new-unit-name">{tr('Tên đơn vị', 'Unit name')}</label>
      <input id="new-unit-name" required value={form.name} onChange={set('name')} />
      <label htmlFor="new-unit-name-en">{tr('Tên tiếng Anh', 'English name')}</label>
      <input id="new-unit-name-en" value={form.nameEn} onChange={set('nameEn')} />
      <label htmlFor="new-unit-id">{tr('Mã đơn vị trong hệ thống', 'Unit id')}</label>
      <input
        id="new-unit-id"
        required
        pattern="[a-z0-9][a-z0-9\-]{1,62}"
        placeholder="xa-an-binh"
        value={form.id}
        onChange={set('id')}
      />
      <label htmlFor="new-unit-agency">{tr('Mã định danh cơ quan', 'Agency code')}</label>
      <input id="new-unit-agency" placeholder="H21.65" value={form.agencyCode} onChange={set('agencyCode')} />
      {form.level === 'commune' && (
        <>
          <label htmlFor="new-unit-admin-code">
            {tr('Mã đơn vị hành chính (5 số)', 'Administrative code (5 digits)')}
          </label>
          <input
            id="new-unit-admin-code"
            inputMode="numeric"
            pattern="[0-9]{5}"
            value={form.adminCode}
            onChange={set('adminCode')}
          />
        </>
      )}
      <button type="submit" disabled={submit.busy}>
        {tr('Thêm đơn vị', 'Add unit')}
      </button>
    </form>
  )
}

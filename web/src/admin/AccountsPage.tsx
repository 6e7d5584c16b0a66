// /quan-tri/can-bo: the staff accounts of the administrator's subtree; create one (its initial password is shown
// once), change its role, unit, groups and signing-certificate reference, disable or enable it, reset its password.
import { useState } from 'react'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { Loading, PageTitle, ProblemAlert, useAction, useAsync } from '../ui.js'
import { AdminNav } from './AdminNav.js'
import { roleNames, type AdminUnit, type StaffAccount, type StaffGroup } from './types.js'

/** What the form edits: a new account, or one being changed. */
interface Draft {
  username: string
  fullName: string
  email: string
  phone: string
  kind: string
  unitId: string
  groups: string[]
  signingCertificateRef: string
}

const emptyDraft: Draft = {
  username: '',
  fullName: '',
  email: '',
  phone: '',
  kind: 'officer',
  unitId: '',
  groups: [],
  signingCertificateRef: '',
}

export function AccountsPage() {
  const { tr } = useLang()
  const [q, setQ] = useState('')
  const accounts = useAsync(() => api<{ items: StaffAccount[] }>('/api/admin/accounts', { query: { q } }), [q])
  const units = useAsync(() => api<{ items: AdminUnit[] }>('/api/admin/units'), [])
  const groups = useAsync(() => api<{ items: StaffGroup[] }>('/api/admin/groups'), [])
  const [editing, setEditing] = useState<StaffAccount | null>(null)
  const [secret, setSecret] = useState<{ username: string; password: string } | null>(null)
  const act = useAction(async (account: StaffAccount, what: 'disable' | 'enable' | 'reset') => {
    const path = `/api/admin/accounts/${account.id}`
    if (what === 'reset') {
      const r = await api<{ temporaryPassword: string }>(`${path}/reset-password`, { method: 'POST' })
      setSecret({ username: account.username, password: r.temporaryPassword })
    } else {
      const reason =
        what === 'disable' ? tr('Khoá bởi quản trị', 'Disabled by an administrator') : tr('Mở khoá', 'Enabled')
      await api(`${path}/${what}`, { method: 'POST', body: { reason } })
    }
    accounts.reload()
  })
  const openUnits = (units.data?.items ?? []).filter((u) => !u.closedAt)
  return (
    <section>
      <PageTitle title={tr('Quản trị: tài khoản cán bộ', 'Administration: staff accounts')}>
        {tr('Quản trị: tài khoản cán bộ', 'Administration: staff accounts')}
      </PageTitle>
      <AdminNav />
      <ProblemAlert error={accounts.error ?? act.error} />
      {secret && (
        <div className="alert alert-ok" role="status" data-testid="one-time-password">
          {tr('Mật khẩu dùng một lần của', 'One-time password of')} <strong>{secret.username}</strong>:{' '}
          <span className="secret">{secret.password}</span>{' '}
          {tr('(chỉ hiện một lần; hãy trao trực tiếp cho cán bộ)', '(shown once; hand it to the officer in person)')}
        </div>
      )}
      <div className="admin-columns">
        <div>
          <div className="row search-bar">
            <label htmlFor="account-q" className="visually-hidden">
              {tr('Tìm tài khoản', 'Find an account')}
            </label>
            <input
              id="account-q"
              type="search"
              placeholder={tr('Tên đăng nhập hoặc họ tên', 'Username or full name')}
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
          </div>
          {accounts.loading && !accounts.data ? (
            <Loading />
          ) : (
            <div className="table-scroll">
              <table className="data">
                <caption>{tr('Tài khoản cán bộ', 'Staff accounts')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{tr('Tài khoản', 'Account')}</th>
                    <th scope="col">{tr('Vai trò', 'Role')}</th>
                    <th scope="col">{tr('Đơn vị', 'Unit')}</th>
                    <th scope="col">{tr('Nhóm', 'Groups')}</th>
                    <th scope="col">{tr('Thao tác', 'Actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(accounts.data?.items ?? []).map((a) => (
                    <tr key={a.id} data-account={a.username}>
                      <td>
                        <strong>{a.fullName}</strong>
                        <div className="muted small">{a.username}</div>
                        {a.disabledAt && <span className="badge">{tr('Đã khoá', 'Disabled')}</span>}
                      </td>
                      <td>{tr(...(roleNames[a.kind] ?? [a.kind, a.kind]))}</td>
                      <td>{a.unitName}</td>
                      <td className="small">{a.groups.join(', ')}</td>
                      <td>
                        <div className="row">
                          <button type="button" className="secondary" onClick={() => setEditing(a)}>
                            {tr('Sửa', 'Edit')}
                            <span className="visually-hidden"> {a.username}</span>
                          </button>
                          <button
                            type="button"
                            className="secondary"
                            disabled={act.busy}
                            onClick={() => void act.run(a, a.disabledAt ? 'enable' : 'disable')}
                          >
                            {a.disabledAt ? tr('Mở khoá', 'Enable') : tr('Khoá', 'Disable')}
                            <span className="visually-hidden"> {a.username}</span>
                          </button>
                          <button
                            type="button"
                            className="secondary"
                            disabled={act.busy}
                            onClick={() => void act.run(a, 'reset')}
                          >
                            {tr('Đặt lại mật khẩu', 'Reset password')}
                            <span className="visually-hidden"> {a.username}</span>
                          </button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <AccountForm
          key={editing?.id ?? 'new'}
          account={editing}
          units={openUnits}
          groups={groups.data?.items ?? []}
          onCancel={() => setEditing(null)}
          onSaved={(password, username) => {
            if (password) setSecret({ username, password })
            setEditing(null)
            accounts.reload()
          }}
        />
      </div>
    </section>
  )
}

function AccountForm(props: {
  account: StaffAccount | null
  units: AdminUnit[]
  groups: StaffGroup[]
  onCancel(): void
  onSaved(password: string | null, username: string): void
}) {
  const { tr, lang } = useLang()
  const { account } = props
  const [draft, setDraft] = useState<Draft>(
    account
      ? {
          username: account.username,
          fullName: account.fullName,
          email: account.email ?? '',
          phone: account.phone ?? '',
          kind: account.kind,
          unitId: account.unitId ?? '',
          groups: account.groups,
          signingCertificateRef: account.signingCertificateRef ?? '',
        }
      : { ...emptyDraft, unitId: props.units[0]?.id ?? '' },
  )
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value })
  const save = useAction(async () => {
    const body = {
      fullName: draft.fullName,
      email: draft.email || null,
      phone: draft.phone || null,
      kind: draft.kind,
      unitId: draft.unitId || props.units[0]?.id,
      groups: draft.groups,
      signingCertificateRef: draft.signingCertificateRef || null,
    }
    if (account) {
      await api(`/api/admin/accounts/${account.id}`, { method: 'PATCH', body })
      props.onSaved(null, account.username)
    } else {
      const made = await api<{ initialPassword: string; account: StaffAccount }>('/api/admin/accounts', {
        method: 'POST',
        body: { ...body, username: draft.username.trim().toLowerCase() },
      })
      props.onSaved(made.initialPassword, made.account.username)
    }
  })
  return (
    <form
      className="form panel"
      onSubmit={(e) => {
        e.preventDefault()
        void save.run()
      }}
    >
      <h2>
        {account ? `${tr('Sửa tài khoản', 'Edit account')} ${account.username}` : tr('Tạo tài khoản', 'New account')}
      </h2>
      <ProblemAlert error={save.error} />
      {!account && (
        <>
          <label htmlFor="acc-username">{tr('Tên đăng nhập', 'Username')}</label>
          <input id="acc-username" required value={draft.username} onChange={set('username')} />
        </>
      )}
      <label htmlFor="acc-name">{tr('Họ và tên', 'Full name')}</label>
      <input id="acc-name" required value={draft.fullName} onChange={set('fullName')} />
      <label htmlFor="acc-email">E-mail</label>
      <input id="acc-email" type="email" value={draft.email} onChange={set('email')} />
      <label htmlFor="acc-phone">{tr('Điện thoại', 'Phone')}</label>
      <input id="acc-phone" type="tel" value={draft.phone} onChange={set('phone')} />
      <label htmlFor="acc-kind">{tr('Vai trò', 'Role')}</label>
      <select id="acc-kind" value={draft.kind} onChange={set('kind')}>
        {Object.entries(roleNames).map(([kind, [vi, en]]) => (
          <option key={kind} value={kind}>
            {tr(vi, en)}
          </option>
        ))}
      </select>
      <label htmlFor="acc-unit">{tr('Đơn vị', 'Unit')}</label>
      <select id="acc-unit" value={draft.unitId} onChange={set('unitId')}>
        {props.units.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>{tr('Nhóm (bước quy trình được xử lý)', 'Groups (the process steps they work)')}</legend>
        <div className="checkbox-list">
          {props.groups.map((g) => (
            <label key={g.code}>
              <input
                type="checkbox"
                checked={draft.groups.includes(g.code)}
                onChange={(e) =>
                  setDraft({
                    ...draft,
                    groups: e.target.checked ? [...draft.groups, g.code] : draft.groups.filter((c) => c !== g.code),
                  })
                }
              />{' '}
              {lang === 'en' && g.nameEn ? g.nameEn : g.name} <span className="muted small">({g.code})</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label htmlFor="acc-cert">{tr('Tham chiếu chứng thư số ký', 'Signing certificate reference')}</label>
      <input id="acc-cert" value={draft.signingCertificateRef} onChange={set('signingCertificateRef')} />
      <div className="row">
        <button type="submit" disabled={save.busy}>
          {account ? tr('Lưu', 'Save') : tr('Tạo tài khoản', 'Create account')}
        </button>
        {account && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            {tr('Huỷ', 'Cancel')}
          </button>
        )}
      </div>
    </form>
  )
}

// /quan-tri/nhom: the groups (the candidate groups that process steps name) with their members, a new group for the
// province's administrators, and the roles with the permissions each grants.
import { useState } from 'react'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert, useAction, useAsync } from '../ui.js'
import { AdminNav } from './AdminNav.js'
import { roleNames, type StaffGroup } from './types.js'

const permissionNames: Record<string, [string, string]> = {
  'catalogue.read': ['Xem danh mục thủ tục', 'Read the procedure catalogue'],
  'catalogue.edit': ['Soạn thủ tục, quy trình', 'Edit procedures and processes'],
  'catalogue.publish': ['Công bố thủ tục', 'Publish procedures'],
  'dossier.submit': ['Nộp hồ sơ', 'Submit dossiers'],
  'dossier.readOwn': ['Xem hồ sơ của mình', 'Read own dossiers'],
  'dossier.readUnit': ['Xem hồ sơ của đơn vị', "Read the unit's dossiers"],
  'task.work': ['Xử lý nhiệm vụ', 'Work on tasks'],
  'task.assign': ['Phân công nhiệm vụ', 'Assign tasks'],
  'supervision.read': ['Giám sát, báo cáo', 'Supervision and reports'],
  'calendar.edit': ['Sửa lịch làm việc', 'Edit the working calendar'],
  'users.manage': ['Quản lý tài khoản cán bộ', 'Manage staff accounts'],
  'units.manage': ['Quản lý đơn vị', 'Manage units'],
  'audit.read': ['Xem nhật ký', 'Read the audit log'],
}

export function GroupsPage() {
  const { tr, lang } = useLang()
  const groups = useAsync(() => api<{ items: StaffGroup[] }>('/api/admin/groups'), [])
  const roles = useAsync(() => api<{ items: Array<{ kind: string; permissions: string[] }> }>('/api/admin/roles'), [])
  const [form, setForm] = useState({ code: '', name: '', nameEn: '' })
  const add = useAction(async () => {
    await api('/api/admin/groups', {
      method: 'POST',
      body: { code: form.code.trim(), name: form.name, ...(form.nameEn ? { nameEn: form.nameEn } : {}) },
    })
    setForm({ code: '', name: '', nameEn: '' })
    groups.reload()
  })
  return (
    <section>
      <PageTitle title={tr('Quản trị: nhóm và vai trò', 'Administration: groups and roles')}>
        {tr('Quản trị: nhóm và vai trò', 'Administration: groups and roles')}
      </PageTitle>
      <AdminNav />
      <ProblemAlert error={groups.error ?? roles.error} />
      <div className="admin-columns">
        <div className="table-scroll">
          <table className="data">
            <caption>
              {tr(
                'Nhóm: thành viên xử lý các bước quy trình ghi mã nhóm',
                'Groups: members work the process steps that name the group',
              )}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tr('Mã nhóm', 'Code')}</th>
                <th scope="col">{tr('Tên', 'Name')}</th>
                <th scope="col">{tr('Thành viên', 'Members')}</th>
              </tr>
            </thead>
            <tbody>
              {(groups.data?.items ?? []).map((g) => (
                <tr key={g.code}>
                  <td>
                    <code>{g.code}</code>
                  </td>
                  <td>{lang === 'en' && g.nameEn ? g.nameEn : g.name}</td>
                  <td>{g.members}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form
          className="form panel"
          onSubmit={(e) => {
            e.preventDefault()
            void add.run()
          }}
        >
          <h2>{tr('Thêm nhóm', 'Add a group')}</h2>
          <ProblemAlert error={add.error} />
          <label htmlFor="group-code">{tr('Mã nhóm', 'Code')}</label>
          <input
            id="group-code"
            required
            pattern="[a-z0-9][a-z0-9\-]{0,62}"
            value={form.code}
            onChange={(e) => setForm({ ...form, code: e.target.value })}
          />
          <label htmlFor="group-name">{tr('Tên nhóm', 'Name')}</label>
          <input
            id="group-name"
            required
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
          <label htmlFor="group-name-en">{tr('Tên tiếng Anh', 'English name')}</label>
          <input
            id="group-name-en"
            value={form.nameEn}
            onChange={(e) => setForm({ ...form, nameEn: e.target.value })}
          />
          <button type="submit" disabled={add.busy}>
            {tr('Thêm nhóm', 'Add group')}
          </button>
        </form>
      </div>
      <div className="table-scroll">
        <table className="data">
          <caption>{tr('Vai trò và quyền', 'Roles and their permissions')}</caption>
          <thead>
            <tr>
              <th scope="col">{tr('Vai trò', 'Role')}</th>
              <th scope="col">{tr('Quyền', 'Permissions')}</th>
            </tr>
          </thead>
          <tbody>
            {(roles.data?.items ?? []).map((r) => (
              <tr key={r.kind}>
                <td>{tr(...(roleNames[r.kind] ?? [r.kind, r.kind]))}</td>
                <td>{r.permissions.map((p) => tr(...(permissionNames[p] ?? [p, p]))).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

// /quan-tri/nhap-can-bo: import officers from a CSV or XLSX file. "Kiểm tra" runs a dry run that lists every bad row
// by its line; "Nhập" creates every account or none, and shows each one-time password once.
import { useState } from 'react'
import { api } from '../api.js'
import { useLang } from '../i18n.js'
import { PageTitle, ProblemAlert, problemOf, useAction } from '../ui.js'
import { AdminNav } from './AdminNav.js'
import type { ImportReport } from './types.js'

/** The file's columns as the administrator knows them. */
const columnNames: Record<string, [string, string]> = {
  username: ['Tên đăng nhập', 'Username'],
  fullName: ['Họ và tên', 'Full name'],
  email: ['E-mail', 'E-mail'],
  phone: ['Điện thoại', 'Phone'],
  kind: ['Vai trò', 'Role'],
  unit: ['Đơn vị', 'Unit'],
  groups: ['Nhóm', 'Groups'],
  signingCertificateRef: ['Chứng thư số', 'Signing certificate'],
}

interface ChosenFile {
  name: string
  format: 'csv' | 'xlsx'
  content: string
}

async function readChosen(file: File): Promise<ChosenFile> {
  const xlsx = /\.xlsx$/i.test(file.name)
  if (!xlsx) return { name: file.name, format: 'csv', content: await file.text() }
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return { name: file.name, format: 'xlsx', content: btoa(binary) }
}

export function ImportPage() {
  const { tr, msg } = useLang()
  const column = (field: string) => tr(...(columnNames[field] ?? [field, field]))
  const [file, setFile] = useState<ChosenFile | null>(null)
  const [report, setReport] = useState<ImportReport | null>(null)
  const run = useAction(async (dryRun: boolean) => {
    if (!file) return
    setReport(null)
    try {
      setReport(
        await api<ImportReport>('/api/admin/accounts/import', {
          method: 'POST',
          body: { format: file.format, content: file.content, dryRun },
        }),
      )
    } catch (err) {
      // A refused import carries its bad rows: show them like a dry run's.
      const p = problemOf(err)
      if (p.code === 'MC_ERR_IMPORT_INVALID' && Array.isArray(p['errors'])) {
        setReport({ dryRun: true, rows: 0, errors: p['errors'] as ImportReport['errors'], accounts: [], created: [] })
      }
      throw err
    }
  })
  return (
    <section>
      <PageTitle title={tr('Quản trị: nhập cán bộ từ tệp', 'Administration: import officers')}>
        {tr('Quản trị: nhập cán bộ từ tệp', 'Administration: import officers')}
      </PageTitle>
      <AdminNav />
      <div className="panel">
        <p>
          {tr(
            'Tệp CSV (UTF-8) hoặc XLSX, dòng đầu là tiêu đề: username (tên đăng nhập), full_name (họ và tên), email, phone, kind (officer, supervisor, analyst, administrator), unit (mã đơn vị hoặc mã định danh cơ quan), groups (mã nhóm, cách nhau bởi dấu ;), signing_certificate_ref.',
            'A CSV (UTF-8) or XLSX file whose first row names the columns: username, full_name, email, phone, kind (officer, supervisor, analyst, administrator), unit (unit id or agency code), groups (group codes separated by ;), signing_certificate_ref.',
          )}
        </p>
        <form className="form" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="import-file">{tr('Tệp danh sách cán bộ', 'List of officers')}</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={async (e) => {
              const chosen = e.target.files?.[0]
              setReport(null)
              run.clearError()
              setFile(chosen ? await readChosen(chosen) : null)
            }}
          />
          <div className="row">
            <button type="button" disabled={!file || run.busy} onClick={() => void run.run(true)}>
              {tr('Kiểm tra (không tạo tài khoản)', 'Check (dry run)')}
            </button>
            <button type="button" disabled={!file || run.busy} onClick={() => void run.run(false)}>
              {tr('Nhập', 'Import')}
            </button>
          </div>
        </form>
      </div>
      <ProblemAlert error={run.error} />
      {report && report.errors.length > 0 && (
        <div className="table-scroll">
          <table className="data" data-testid="import-errors">
            <caption>{tr('Các dòng có lỗi', 'Rows with errors')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('Dòng', 'Line')}</th>
                <th scope="col">{tr('Cột', 'Column')}</th>
                <th scope="col">{tr('Lỗi', 'Error')}</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e, i) => (
                <tr key={i}>
                  <td>{e.line}</td>
                  <td>{column(e.field)}</td>
                  <td>{msg(e.message)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report && report.dryRun && report.errors.length === 0 && report.rows > 0 && (
        <div className="alert alert-ok" role="status">
          {tr(
            `Tệp hợp lệ: ${report.rows} tài khoản sẽ được tạo.`,
            `The file is valid: ${report.rows} accounts would be created.`,
          )}
        </div>
      )}
      {report && report.created.length > 0 && (
        <div className="table-scroll">
          <div className="alert alert-ok" role="status">
            {tr(
              `Đã tạo ${report.created.length} tài khoản. Mật khẩu dưới đây chỉ hiện một lần.`,
              `${report.created.length} accounts created. The passwords below are shown once.`,
            )}
          </div>
          <table className="data" data-testid="import-created">
            <caption>{tr('Tài khoản đã tạo', 'Accounts created')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('Tên đăng nhập', 'Username')}</th>
                <th scope="col">{tr('Mật khẩu dùng một lần', 'One-time password')}</th>
              </tr>
            </thead>
            <tbody>
              {report.created.map((c) => (
                <tr key={c.id} data-username={c.username}>
                  <td>{c.username}</td>
                  <td>
                    <span className="secret">{c.initialPassword}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

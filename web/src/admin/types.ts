// What the administration API answers (src/api/admin/index.ts), as the screens read it.
export interface AdminUnit {
  id: string
  parentId: string | null
  name: string
  nameEn: string | null
  level: string
  kind: string | null
  agencyCode: string | null
  adminCode: string | null
  path: string
  closedAt: string | null
}

export interface StaffAccount {
  id: string
  username: string
  kind: string
  fullName: string
  email: string | null
  phone: string | null
  unitId: string | null
  unitName: string | null
  groups: string[]
  signingCertificateRef: string | null
  disabledAt: string | null
}

export interface StaffGroup {
  code: string
  name: string
  nameEn: string | null
  description: string | null
  members: number
}

export interface ImportReport {
  dryRun: boolean
  rows: number
  errors: Array<{ line: number; field: string; message: { vi: string; en: string } }>
  accounts: Array<{ line: number; username: string; fullName: string; unitId: string; kind: string; groups: string[] }>
  created: Array<{ id: string; username: string; initialPassword: string }>
}

export interface AuditEntry {
  id: number
  at: string
  actor: string | null
  action: string
  subjectType: string
  subjectId: string
  data: Record<string, unknown> | null
}

/** The unit levels an administrator may add, in Vietnamese and English. */
export const unitLevels: Record<string, [vi: string, en: string]> = {
  province: ['Tỉnh / thành phố', 'Province'],
  service_centre: ['Trung tâm Phục vụ hành chính công', 'Public administration service centre'],
  service_centre_branch: ['Chi nhánh trung tâm', 'Service centre branch'],
  department: ['Sở, ngành', 'Department'],
  vertical_agency: ['Cơ quan ngành dọc', 'Vertical agency'],
  commune: ['Xã / phường / đặc khu', 'Commune'],
  office: ['Phòng, bộ phận', 'Office'],
  district: ['Huyện (trước 01/7/2025)', 'District (before 1 July 2025)'],
}

export const roleNames: Record<string, [vi: string, en: string]> = {
  officer: ['Cán bộ', 'Officer'],
  supervisor: ['Lãnh đạo / giám sát', 'Supervisor'],
  analyst: ['Thiết kế quy trình', 'Analyst'],
  administrator: ['Quản trị', 'Administrator'],
}

// What the citizen portal and the officer workspace read from the API (the route schemas in src/api/ are the source).

import type { DeliveryAddress, DeliveryAddressInput } from '../../../src/delivery/address.js'

export interface Localized {
  vi: string
  en?: string
}

export interface ProcedureSummary {
  code: string
  slug: string
  name: string
  field: string
  agencyLevel: 'tinh' | 'huyen' | 'xa'
  agency: string
  onlineLevel: 'toan-trinh' | 'mot-phan'
}

export interface Component {
  id: string
  name: string
  form: 'original' | 'copy' | 'original-or-copy' | 'present-original'
  quantity: number
  required: boolean
  condition?: string
  reusable?: boolean
  accept: string[]
  maxSizeMb: number
  template?: string
}

export interface Fee {
  name: string
  kind: 'phi' | 'le-phi'
  /** null: set by the provincial council. */
  amountVnd: number | null
  /** The amount for an online submission, where the fee schedule sets a lower one. */
  onlineAmountVnd?: number
  /** The amount is per unit (copy …) asked in this form field. */
  perField?: string
  /** When the fee applies (Vietnamese, English); a fee without one is the procedure's own fee. */
  condition?: string
  conditionEn?: string
  note?: string
  noteEn?: string
}

export type Delivery = 'online' | 'counter' | 'post'

export interface ProcedureDetail extends ProcedureSummary {
  version: number
  nameEn?: string
  duration: string
  durationNote?: string
  durationNoteEn?: string
  result?: string
  applicants?: string[]
  components: Component[]
  fees: Fee[]
  resultDelivery: Delivery[]
  legalBasis: Array<{ number: string; title: string; issuedOn?: string }>
  steps: Array<{ id: string; name: string; unitRole: string; shareWorkingDays?: number }>
  form: Record<string, unknown>
}

export interface Agency {
  unitId: string
  name: string
  nameEn: string | null
  agencyCode: string | null
}

export interface DraftAttachment {
  componentId: string
  fileId?: string
  reuseFromDossierCode?: string
  reuseFromStore?: { kind: StoreDocument['kind']; id: string }
}

/** A document of my store ("kho dữ liệu"): a signed result, or a component an agency accepted. */
export interface StoreDocument {
  kind: 'result' | 'component'
  id: string
  title: string
  resultNo: string | null
  dossierId: string
  dossierCode: string
  procedureName: string
  fileName: string
  mime: string
  size: number
  sha256: string
  at: string
}

/** An open draft in "Hồ sơ của tôi". */
export interface DraftSummary {
  id: string
  procedure: string
  procedureName: string | null
  createdAt: string
  updatedAt: string
}

export interface Draft {
  id: string
  procedure: string
  agencyUnitId: string | null
  formData: Record<string, unknown>
  deliveryMethod: Delivery | null
  deliveryAddress: DeliveryAddressInput | null
  attachments: DraftAttachment[]
  submittedDossierId: string | null
  updatedAt: string
}

// The postal address: what the applicant sends (codes of the official list, the street as typed) and what the
// dossier keeps (with the list's names), as the server defines them.
export type { DeliveryAddress, DeliveryAddressInput }

/** A parcel the result was posted in. */
export interface Shipment {
  id: string
  carrier: { id: string; name: string }
  trackingNumber: string
  shippedOn: string
  recordedAt: string
}

export interface CommandResult {
  dossierId: string
  status: number
  code: string | null
}

export interface DossierSummary {
  id: string
  code: string | null
  status: number
  statusLabel: { vi: string; en: string }
  procedureName: string
  applicantName?: string
  submittedAt: string
  dueDate: string | null
  dueAt?: string | null
  overdue: boolean
  currentStepName?: string | null
  currentUnitRole?: string | null
}

export interface StepRow {
  stepId: string
  stepName: string
  giver: string | null
  receiverRole: string | null
  receiverUser: string | null
  receivedAt: string
  stepDueAt: string | null
  finishedAt: string | null
  result: 'early' | 'on_time' | 'late' | null
  giverName: string | null
  receiverUserName: string | null
  outcome: 'returned' | null
  returnReason: string | null
}

export interface TimelineEntry {
  kind: string
  at: string
  actorId: string | null
  stepId: string | null
  data: Record<string, unknown>
}

export interface DossierDetail {
  id: string
  code: string | null
  status: number
  statusLabel: { vi: string; en: string }
  procedure: { code: string; slug: string; name: string }
  agency: { unitId: string; name: string }
  applicant: { name: string; idNumber: string | null; email: string | null; phone: string | null }
  channel: 'online' | 'counter'
  deliveryMethod: Delivery
  deliveryAddress: DeliveryAddress | null
  shipments: Shipment[]
  formData: Record<string, unknown>
  submittedAt: string
  acceptedAt: string | null
  receiptDate: string | null
  dueDate: string | null
  dueAt: string | null
  originalDueDate: string | null
  overdue: boolean
  paused: boolean
  supplement: { stage: string | null; count: number; dueAt: string | null; missing: string[]; note: string | null }
  extension: { at: string; reason: string | null } | null
  current: {
    step: string | null
    stepName: string | null
    unitRole: string | null
    assignee: { id: string; name: string } | null
    since: string | null
    stepDueAt: string | null
    stepOverdue: boolean
  }
  result: {
    no: string | null
    issuedAt: string | null
    timeliness: 'early' | 'on_time' | 'late' | null
    finishedAt: string | null
  }
  closeReason: string | null
  attachments: Array<{
    componentId: string
    fileId: string
    reusedFromDossierCode: string | null
    reusedFromResultId: string | null
  }>
  steps: StepRow[]
  timeline: TimelineEntry[]
  openTasks: Array<{
    taskKey: string
    elementId: string
    name: string
    candidateGroups: string[]
    assignee: string | null
    dueAt: string | null
  }>
  incidents?: Array<{ elementId: string; errorType: string; errorMessage: string; createdAt: string }>
  version: number
}

export interface Uploaded {
  fileId: string
  componentId: string
  mime: string
  size: number
  name: string
  draft?: Draft
}

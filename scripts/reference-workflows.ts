// Draws the first versions of the five reference workflows (workflows/*.bpmn) from one skeleton, so
// they share intake, supplement, deadline and return handling; run: npx tsx scripts/reference-workflows.ts
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BpmnBuilder } from './bpmn-builder.js'

const out = fileURLToPath(new URL('../workflows/', import.meta.url))

interface Step {
  id: string
  name: string
  group: string
  doc?: string
  /** Who handles the step (the `unit` task header, workflows/README.md): absent = the receiving unit. */
  unit?: string
}

/**
 * The decisions a processing step's workflow routes, as the user task's `decisions` header (its decision form
 * offers only these): the first step approves, asks for a supplement or refuses; a later step approves or sends
 * the dossier back to the step before it (returnToPrevious, with a reason).
 */
const FIRST_STEP = 'approve,supplement,refuse'
const LATER_STEP = 'approve,returnToPrevious'

interface Spec {
  file: string
  processId: string
  name: string
  doc: string
  /** Financial obligation (lệ phí) paid before the dossier is accepted. */
  payment?: boolean
  /**
   * The fee by case: a DMN decision (workflows/<procedure>.dmn, deployed with the process) evaluated just before the
   * fee is asked; its result `fee` ({lines, totalVnd}) is what dossier.request-payment asks.
   */
  feeDecision?: string
  /** Issuing the result goes through a registry that may reject it (BPMN error). */
  registryMayReject?: boolean
  /** Draws the processing inside the sub-process from column `c`; returns nothing. */
  processing: (b: BpmnBuilder, c: number) => void
}

/** Hand-off job then the step's user task, with the step deadline timer and its escalation below. */
function step(b: BpmnBuilder, s: Step, col: number, row = 0, decisions = FIRST_STEP): void {
  b.service(`Task_Handoff_${s.id}`, `Chuyển: ${s.name}`, 'dossier.handoff', col, row, { step: s.id })
  b.user(s.id, s.name, s.group, col + 1, row, {
    due: '=stepDueAt',
    headers: { step: s.id, decisions, ...(s.unit ? { unit: s.unit } : {}) },
    ...(s.doc ? { doc: s.doc } : {}),
  })
  // A step drawn above the main row hangs its escalation above it, out of the main row's way.
  const dir = row < 0 ? -1 : 1
  b.timer(`Timer_${s.id}`, 'Đến hạn bước', s.id, '=stepDueAt', { slot: 1, top: row < 0 })
  b.service(`Task_Escalate_${s.id}`, 'Cảnh báo quá hạn bước', 'dossier.escalate', col + 1, row + dir * 1.25, {
    level: 'step',
    step: s.id,
  })
  b.end(`End_Escalated_${s.id}`, 'Đã cảnh báo', col + 1, row + dir * 2.2)
  b.flow(`Task_Handoff_${s.id}`, s.id)
    .flow(`Timer_${s.id}`, `Task_Escalate_${s.id}`)
    .flow(`Task_Escalate_${s.id}`, `End_Escalated_${s.id}`)
}

/**
 * The officer's decision after a processing step: approve → `next`; supplement (once) → request,
 * wait for the message, resume the clock, back to `again`; refuse → BPMN error REFUSED.
 */
function decision(b: BpmnBuilder, key: string, after: string, again: string, next: string, col: number): void {
  const gw = `Gateway_Decision_${key}`
  b.xor(gw, 'Kết quả xử lý?', col, 0)
  b.service(`Task_RequestSupplement_${key}`, 'Yêu cầu bổ sung hồ sơ', 'dossier.request-supplement', col + 1, -1.3, {
    stage: 'processing',
  })
  b.receive(`Task_WaitSupplement_${key}`, 'Chờ hồ sơ bổ sung', 'Message_SupplementReceived', col + 2, -1.3)
  b.timer(`Timer_Supplement_${key}`, 'Hết hạn bổ sung', `Task_WaitSupplement_${key}`, '=supplementDueAt', {
    interrupting: true,
    top: true,
  })
  b.end(`End_SupplementExpired_${key}`, 'Không bổ sung', col + 2, -2.5, { error: 'Error_SupplementExpired' })
  b.service(`Task_Resume_${key}`, 'Tiếp tục tính thời hạn', 'dossier.resume', col + 3, -1.3, { reason: 'supplement' })
  b.end(`End_Refused_${key}`, 'Từ chối giải quyết', col, 1.25, { error: 'Error_Refused' })
  b.flow(after, gw)
  b.flow(gw, next, { name: 'Đạt', condition: '=decision = "approve"' })
  b.flow(gw, `Task_RequestSupplement_${key}`, {
    name: 'Bổ sung',
    condition: '=decision = "supplement" and supplementCount < 1',
  })
  b.flow(gw, `End_Refused_${key}`, { name: 'Từ chối', isDefault: true })
  b.chain(`Task_RequestSupplement_${key}`, `Task_WaitSupplement_${key}`, `Task_Resume_${key}`)
  b.flow(`Timer_Supplement_${key}`, `End_SupplementExpired_${key}`)
  b.flow(`Task_Resume_${key}`, again, {
    via: [
      [col + 3, -2.1],
      [b.colOf(again), -2.1],
    ],
  })
}

/** Where a returned dossier goes: the merge gateway before the previous step's hand-off, on the lane `row`. */
interface Back {
  to: string
  row: number
  when?: string
}

/**
 * After a later step: `returnToPrevious` goes back to the previous step's merge (the first `backs` whose `when`
 * holds, when the previous step depends on an earlier branch), anything else on to `next`. Going back passes the
 * previous step's hand-off again, so its step deadline restarts (R11) while the dossier's due stays.
 */
function returnGateway(
  b: BpmnBuilder,
  key: string,
  after: string,
  backs: Back[],
  next: string,
  col: number,
  row = 0,
): void {
  const gw = `Gateway_Return_${key}`
  b.xor(gw, 'Trả lại bước trước?', col, row)
  b.flow(after, gw)
  b.flow(gw, next, { name: 'Đạt', isDefault: true })
  const earlier: string[] = []
  for (const back of backs) {
    // Conditions exclude one another, so the engine never has two flows to choose from.
    const guard = [...earlier.map((w) => `not(${w})`), ...(back.when ? [back.when] : [])]
    b.flow(gw, back.to, {
      name: 'Trả lại',
      condition: ['=decision = "returnToPrevious"', ...guard].join(' and '),
      via: [
        [col, back.row],
        [b.colOf(back.to), back.row],
      ],
    })
    if (back.when) earlier.push(back.when)
  }
}

function build(spec: Spec): string {
  const b = new BpmnBuilder(spec.processId, spec.name, spec.doc)
  b.message('Message_SupplementReceived', 'dossier.supplement-received')
  if (spec.payment) b.message('Message_PaymentReceived', 'dossier.payment-received')
  b.error('Error_Refused', 'Từ chối giải quyết', 'REFUSED')
  b.error('Error_SupplementExpired', 'Hết hạn bổ sung', 'SUPPLEMENT_EXPIRED')
  if (spec.registryMayReject) b.error('Error_RegistryRejected', 'Hệ thống đăng ký từ chối', 'REGISTRY_REJECTED')

  // Intake: automatic completeness check, then the one-stop counter accepts, asks for a supplement or refuses.
  b.start('StartEvent_Submitted', 'Hồ sơ được nộp', 0, 0)
  b.xor('Gateway_Intake', 'Kiểm tra lại', 1, 0)
  b.service('Task_CompletenessCheck', 'Kiểm tra tính đầy đủ (tự động)', 'dossier.completeness-check', 2, 0)
  b.user('Task_Receive', 'Kiểm tra, tiếp nhận hồ sơ', 'mot-cua', 3, 0, { headers: { step: 'Task_Receive' } })
  b.xor('Gateway_Reception', 'Tiếp nhận?', 4, 0)
  b.service('Task_RefuseReception', 'Từ chối tiếp nhận', 'dossier.close', 5, -1.2, { outcome: 'refused-at-reception' })
  b.end('End_RefusedAtReception', 'Không được tiếp nhận', 6, -1.2)
  b.service('Task_RequestSupplementAtReception', 'Hướng dẫn bổ sung hồ sơ', 'dossier.request-supplement', 4, 1.25, {
    stage: 'reception',
  })
  b.receive('Task_WaitSupplementAtReception', 'Chờ hồ sơ bổ sung', 'Message_SupplementReceived', 4, 2.5)
  b.timer('Timer_SupplementAtReception', 'Hết hạn bổ sung', 'Task_WaitSupplementAtReception', '=supplementDueAt', {
    interrupting: true,
    slot: 1,
  })
  b.service('Task_CloseUnsupplemented', 'Dừng xử lý hồ sơ', 'dossier.close', 5, 3.6, { outcome: 'stopped' })
  b.end('End_Unsupplemented', 'Dừng xử lý', 6, 3.6)
  b.chain('StartEvent_Submitted', 'Gateway_Intake', 'Task_CompletenessCheck', 'Task_Receive', 'Gateway_Reception')
  b.flow('Gateway_Reception', 'Task_RefuseReception', { name: 'Từ chối', condition: '=decision = "refuse"' })
  b.flow('Gateway_Reception', 'Task_RequestSupplementAtReception', {
    name: 'Bổ sung',
    condition: '=decision = "supplement"',
  })
  b.chain('Task_RefuseReception', 'End_RefusedAtReception')
  b.chain('Task_RequestSupplementAtReception', 'Task_WaitSupplementAtReception')
  b.flow('Task_WaitSupplementAtReception', 'Gateway_Intake', { via: [[1, 2.5]] })
  b.flow('Timer_SupplementAtReception', 'Task_CloseUnsupplemented').chain(
    'Task_CloseUnsupplemented',
    'End_Unsupplemented',
  )

  let col = 5
  let acceptFrom = 'Gateway_Reception'
  if (spec.payment) {
    // Nghĩa vụ tài chính: the fee is paid before the dossier is accepted and the clock starts.
    const c = spec.feeDecision ? 6 : 5
    if (spec.feeDecision) b.rule('Task_ComputeFee', 'Tính lệ phí theo hồ sơ', spec.feeDecision, 'fee', 5, 0)
    b.service('Task_RequestPayment', 'Yêu cầu nộp lệ phí', 'dossier.request-payment', c, 0)
    b.receive('Task_WaitPayment', 'Chờ nộp lệ phí', 'Message_PaymentReceived', c + 1, 0)
    b.timer('Timer_Payment', 'Hết hạn nộp lệ phí', 'Task_WaitPayment', '=paymentDueAt', { interrupting: true, slot: 1 })
    b.service('Task_ClosePaymentExpired', 'Dừng xử lý hồ sơ', 'dossier.close', c + 2, 1.25, { outcome: 'stopped' })
    b.end('End_PaymentExpired', 'Không nộp lệ phí', c + 3, 1.25)
    if (spec.feeDecision) {
      b.flow('Gateway_Reception', 'Task_ComputeFee', { name: 'Tiếp nhận', isDefault: true })
      b.chain('Task_ComputeFee', 'Task_RequestPayment', 'Task_WaitPayment')
    } else {
      b.flow('Gateway_Reception', 'Task_RequestPayment', { name: 'Tiếp nhận', isDefault: true })
      b.chain('Task_RequestPayment', 'Task_WaitPayment')
    }
    b.flow('Timer_Payment', 'Task_ClosePaymentExpired').chain('Task_ClosePaymentExpired', 'End_PaymentExpired')
    acceptFrom = 'Task_WaitPayment'
    col = c + 2
  }
  b.service('Task_Accept', 'Tiếp nhận, hẹn ngày trả kết quả', 'dossier.receive', col, 0)
  if (spec.payment) b.flow(acceptFrom, 'Task_Accept')
  else b.flow('Gateway_Reception', 'Task_Accept', { name: 'Tiếp nhận', isDefault: true })
  // A merge before processing only when the registry's rejection loops back to it (else it is superfluous).
  const intoProcessing = spec.registryMayReject ? 'Gateway_Processing' : 'Task_Accept'
  if (spec.registryMayReject)
    b.xor('Gateway_Processing', 'Xử lý lại', col + 1, 0).flow('Task_Accept', 'Gateway_Processing')

  // Processing, inside one sub-process so the overall deadline and the ways out are drawn once.
  b.sub(
    'SubProcess_Processing',
    'Giải quyết hồ sơ',
    () => {
      b.start('StartEvent_Processing', 'Bắt đầu giải quyết', col + 2.2, 0)
      spec.processing(b, col + 3.2)
    },
    { top: 0.6, bottom: 0.6 },
  )
  b.flow(intoProcessing, 'SubProcess_Processing')
  const left = b.colOfLeft('SubProcess_Processing')
  // The row just under the sub-process (whose bottom is padded for the flows that return a dossier).
  const below = 3.9
  b.timer('Timer_DossierDue', 'Đến hạn trả kết quả', 'SubProcess_Processing', '=dueAt', { slot: 2 })
  b.errorBoundary('Boundary_Refused', 'Từ chối', 'SubProcess_Processing', 'Error_Refused', 1)
  b.errorBoundary('Boundary_SupplementExpired', 'Không bổ sung', 'SubProcess_Processing', 'Error_SupplementExpired', 0)
  b.service('Task_EscalateDossier', 'Cảnh báo hồ sơ quá hạn', 'dossier.escalate', left + 1.5, below, {
    level: 'dossier',
  })
  b.end('End_DossierEscalated', 'Đã cảnh báo', left + 2.5, below)
  b.service('Task_CloseRefused', 'Thông báo từ chối giải quyết', 'dossier.close', left + 1.5, below + 1.1, {
    outcome: 'refused',
  })
  b.end('End_Refused', 'Từ chối giải quyết', left + 2.5, below + 1.1)
  b.service('Task_CloseExpired', 'Dừng xử lý hồ sơ', 'dossier.close', left + 1.5, below + 2.2, { outcome: 'stopped' })
  b.end('End_Expired', 'Dừng xử lý', left + 2.5, below + 2.2)
  b.flow('Timer_DossierDue', 'Task_EscalateDossier').chain('Task_EscalateDossier', 'End_DossierEscalated')
  b.flow('Boundary_Refused', 'Task_CloseRefused').chain('Task_CloseRefused', 'End_Refused')
  b.flow('Boundary_SupplementExpired', 'Task_CloseExpired').chain('Task_CloseExpired', 'End_Expired')

  // Result: issue it, then return it online or at the counter / by post.
  const r = b.colAfter('SubProcess_Processing')
  b.service('Task_IssueResult', 'Phát hành kết quả', 'dossier.issue-result', r, 0)
  b.flow('SubProcess_Processing', 'Task_IssueResult')
  if (spec.registryMayReject) {
    b.errorBoundary('Boundary_RegistryRejected', 'Hệ thống từ chối', 'Task_IssueResult', 'Error_RegistryRejected', 1)
    b.flow('Boundary_RegistryRejected', 'Gateway_Processing', {
      via: [
        [r - 0.05, 2.4],
        [col + 1, 2.4],
      ],
    })
  }
  b.xor('Gateway_Delivery', 'Hình thức nhận kết quả?', r + 1, 0)
  b.user('Task_Return', 'Trả kết quả', 'mot-cua', r + 2, 0, { due: '=dueAt', headers: { step: 'Task_Return' } })
  b.xor('Gateway_Returned', 'Đã trả', r + 3, 0)
  b.service('Task_Close', 'Kết thúc hồ sơ', 'dossier.close', r + 4, 0, { outcome: 'returned' })
  b.end('End_Returned', 'Đã trả kết quả', r + 5, 0)
  b.flow('Task_IssueResult', 'Gateway_Delivery')
  b.flow('Gateway_Delivery', 'Gateway_Returned', {
    name: 'Trực tuyến',
    condition: '=deliveryMethod = "online"',
    via: [
      [r + 1, -0.9],
      [r + 3, -0.9],
    ],
  })
  b.flow('Gateway_Delivery', 'Task_Return', { name: 'Tại quầy / bưu chính', isDefault: true })
  b.chain('Task_Return', 'Gateway_Returned', 'Task_Close', 'End_Returned')
  return b.toXml()
}

/**
 * The leader's signing step, the end of processing, and the way back (the leader returns the dossier to the
 * step before); `from` flows in unless a decision already does.
 */
const leaderSigns = (
  b: BpmnBuilder,
  from: string | undefined,
  id: string,
  name: string,
  group: string,
  c: number,
  backs: Back[],
): void => {
  step(b, { id, name, group }, c, 0, LATER_STEP)
  b.end('EndEvent_Processed', 'Đã ký', c + 3.2, 0)
  if (from) b.flow(from, `Task_Handoff_${id}`)
  returnGateway(b, id.replace(/^Task_/, ''), id, backs, 'EndEvent_Processed', c + 2)
}

/** The common commune shape: one specialist step (with the officer's decision), then the leader signs or returns it. */
function reviewAndSign(review: Step, sign: Step): Spec['processing'] {
  return (b, c) => {
    b.xor('Gateway_Review', 'Xem xét lại', c, 0)
    b.flow('StartEvent_Processing', 'Gateway_Review')
    step(b, review, c + 1)
    b.flow('Gateway_Review', `Task_Handoff_${review.id}`)
    decision(b, review.id.replace(/^Task_/, ''), review.id, 'Gateway_Review', `Task_Handoff_${sign.id}`, c + 3)
    leaderSigns(b, undefined, sign.id, sign.name, sign.group, c + 7, [{ to: 'Gateway_Review', row: 2.75 }])
  }
}

const specs: Spec[] = [
  {
    file: 'dang-ky-khai-sinh.bpmn',
    processId: 'dang-ky-khai-sinh',
    name: 'Đăng ký khai sinh',
    doc: 'Birth registration at the commune (Luật Hộ tịch 2014 Điều 16; Nghị định 123/2015/NĐ-CP). Same day. See forms/dang-ky-khai-sinh.json.',
    processing: reviewAndSign(
      { id: 'Task_Review', name: 'Kiểm tra, ghi Sổ hộ tịch', group: 'tu-phap-ho-tich' },
      { id: 'Task_Sign', name: 'Chủ tịch UBND xã ký Giấy khai sinh', group: 'lanh-dao-xa' },
    ),
  },
  {
    file: 'xac-nhan-tinh-trang-hon-nhan.bpmn',
    processId: 'xac-nhan-tinh-trang-hon-nhan',
    name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
    doc: 'Marital status certificate at the commune, 3 working days; when the applicant lived elsewhere and cannot prove their status, the commune where they lived verifies within its own 3 working days (Nghị định 123/2015/NĐ-CP Điều 22). See forms/xac-nhan-tinh-trang-hon-nhan.json.',
    processing: (b, c) => {
      b.xor('Gateway_Review', 'Xem xét lại', c, 0)
      b.flow('StartEvent_Processing', 'Gateway_Review')
      step(b, { id: 'Task_Review', name: 'Kiểm tra, xác minh tình trạng hôn nhân', group: 'tu-phap-ho-tich' }, c + 1)
      b.flow('Gateway_Review', 'Task_Handoff_Task_Review')
      decision(b, 'Review', 'Task_Review', 'Gateway_Review', 'Gateway_Verification', c + 3)
      b.xor('Gateway_Verification', 'Cần xác minh nơi khác?', c + 7, 0)
      b.xor('Gateway_VerifyAgain', 'Xác minh lại', c + 7.6, -1.6)
      step(
        b,
        {
          id: 'Task_Verify',
          name: 'Xác minh tại UBND xã nơi từng thường trú',
          group: 'xac-minh-lien-xa',
          doc: 'Done by the commune where the applicant used to live; its own period of 3 working days.',
        },
        c + 8.2,
        -1.6,
        LATER_STEP,
      )
      b.flow('Gateway_Verification', 'Gateway_VerifyAgain', {
        name: 'Cần xác minh',
        condition: '=verificationNeeded = true',
      })
      b.flow('Gateway_VerifyAgain', 'Task_Handoff_Task_Verify')
      b.xor('Gateway_Verified', 'Đã xác minh', c + 11, 0)
      b.flow('Gateway_Verification', 'Gateway_Verified', { name: 'Không cần', isDefault: true })
      returnGateway(
        b,
        'Verify',
        'Task_Verify',
        [{ to: 'Gateway_Review', row: -4.3 }],
        'Gateway_Verified',
        c + 10.2,
        -1.6,
      )
      leaderSigns(b, 'Gateway_Verified', 'Task_Sign', 'Chủ tịch UBND xã ký Giấy xác nhận', 'lanh-dao-xa', c + 12, [
        { to: 'Gateway_VerifyAgain', row: -4.45, when: 'verificationNeeded = true' },
        { to: 'Gateway_Review', row: 2.75 },
      ])
    },
  },
  {
    file: 'cap-ban-sao-trich-luc-ho-tich.bpmn',
    processId: 'cap-ban-sao-trich-luc-ho-tich',
    name: 'Cấp bản sao trích lục hộ tịch',
    doc: 'Copies of civil-status extracts from the civil-status register or database (Luật Hộ tịch 2014 Điều 63–64; Nghị định 123/2015/NĐ-CP). See forms/cap-ban-sao-trich-luc-ho-tich.json.',
    processing: reviewAndSign(
      { id: 'Task_Extract', name: 'Tra cứu sổ hộ tịch, lập bản sao', group: 'tu-phap-ho-tich' },
      { id: 'Task_Sign', name: 'Lãnh đạo UBND xã ký bản sao', group: 'lanh-dao-xa' },
    ),
  },
  {
    file: 'cap-giay-phep-xay-dung-nha-o-rieng-le.bpmn',
    processId: 'cap-giay-phep-xay-dung-nha-o-rieng-le',
    name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
    doc: 'Construction permit for a private house, 15 working days, inter-agency: one-stop counter → appraisal → site inspection → consultation of another agency when needed → leader signs → return (Luật Xây dựng 2014, sửa đổi 2020, Điều 102). See forms/cap-giay-phep-xay-dung-nha-o-rieng-le.json.',
    processing: (b, c) => {
      b.xor('Gateway_Appraise', 'Thẩm định lại', c, 0)
      b.flow('StartEvent_Processing', 'Gateway_Appraise')
      step(b, { id: 'Task_Appraise', name: 'Thẩm định hồ sơ', group: 'kinh-te-ha-tang-do-thi' }, c + 1)
      b.flow('Gateway_Appraise', 'Task_Handoff_Task_Appraise')
      decision(b, 'Appraise', 'Task_Appraise', 'Gateway_Appraise', 'Gateway_SiteInspectionAgain', c + 3)
      // Each later step can send the dossier back to the one before it: inspection → appraisal,
      // consultation → inspection, the leader → consultation (when there was one) or inspection.
      b.xor('Gateway_SiteInspectionAgain', 'Kiểm tra lại', c + 7, 0)
      b.flow('Gateway_SiteInspectionAgain', 'Task_Handoff_Task_SiteInspection')
      step(
        b,
        { id: 'Task_SiteInspection', name: 'Kiểm tra thực địa', group: 'kinh-te-ha-tang-do-thi' },
        c + 8,
        0,
        LATER_STEP,
      )
      b.xor('Gateway_Consult', 'Cần lấy ý kiến?', c + 11, 0)
      returnGateway(
        b,
        'SiteInspection',
        'Task_SiteInspection',
        [{ to: 'Gateway_Appraise', row: 2.75 }],
        'Gateway_Consult',
        c + 10,
      )
      b.xor('Gateway_ConsultAgain', 'Lấy ý kiến lại', c + 11.6, -1.6)
      step(
        b,
        {
          id: 'Task_Consult',
          name: 'Lấy ý kiến Sở Xây dựng',
          group: 'co-quan-phoi-hop',
          unit: 'agency:X99.10',
          doc: 'Handled by the consulted department (Sở Xây dựng, agency code X99.10), not by the receiving unit.',
        },
        c + 12.2,
        -1.6,
        LATER_STEP,
      )
      b.xor('Gateway_Consulted', 'Đã có ý kiến', c + 15, 0)
      b.flow('Gateway_Consult', 'Gateway_ConsultAgain', {
        name: 'Cần lấy ý kiến',
        condition: '=consultationNeeded = true',
      })
      b.flow('Gateway_ConsultAgain', 'Task_Handoff_Task_Consult')
      b.flow('Gateway_Consult', 'Gateway_Consulted', { name: 'Không cần', isDefault: true })
      returnGateway(
        b,
        'Consult',
        'Task_Consult',
        [{ to: 'Gateway_SiteInspectionAgain', row: -4.3 }],
        'Gateway_Consulted',
        c + 14.2,
        -1.6,
      )
      leaderSigns(b, 'Gateway_Consulted', 'Task_Sign', 'Lãnh đạo UBND ký giấy phép', 'lanh-dao-ubnd', c + 16, [
        { to: 'Gateway_ConsultAgain', row: -4.45, when: 'consultationNeeded = true' },
        { to: 'Gateway_SiteInspectionAgain', row: 2.9 },
      ])
    },
  },
  {
    file: 'dang-ky-thanh-lap-ho-kinh-doanh.bpmn',
    processId: 'dang-ky-thanh-lap-ho-kinh-doanh',
    name: 'Đăng ký thành lập hộ kinh doanh',
    doc: 'Household business registration, 3 working days, with the registration fee paid first (financial obligation) and the certificate recorded in the national household-business registry, which may reject it. See forms/dang-ky-thanh-lap-ho-kinh-doanh.json.',
    payment: true,
    feeDecision: 'le-phi-dang-ky-ho-kinh-doanh',
    registryMayReject: true,
    processing: reviewAndSign(
      { id: 'Task_Review', name: 'Xem xét hồ sơ đăng ký', group: 'dang-ky-kinh-doanh' },
      { id: 'Task_Sign', name: 'Lãnh đạo phòng ký Giấy chứng nhận', group: 'lanh-dao-phong' },
    ),
  },
  {
    file: 'lien-thong-khai-sinh-thuong-tru-bhyt.bpmn',
    processId: 'lien-thong-khai-sinh-thuong-tru-bhyt',
    name: 'Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    doc: 'Linked group of three procedures (Nghị định 63/2024/NĐ-CP; Quyết định 296/QĐ-VPCP): one dossier, one code, one result set. The commune registers the birth (receiving unit), the police register permanent residence (agency:X99.50), social insurance issues the health-insurance card (agency:X99.60); each later step can send the dossier back to the one before it. See forms/lien-thong-khai-sinh-thuong-tru-bhyt.json.',
    processing: (b, c) => {
      b.xor('Gateway_Review', 'Xem xét lại', c, 0)
      b.flow('StartEvent_Processing', 'Gateway_Review')
      step(b, { id: 'Task_BirthRegistration', name: 'Tư pháp xã đăng ký khai sinh', group: 'tu-phap-ho-tich' }, c + 1)
      b.flow('Gateway_Review', 'Task_Handoff_Task_BirthRegistration')
      decision(b, 'BirthRegistration', 'Task_BirthRegistration', 'Gateway_Review', 'Gateway_ResidenceAgain', c + 3)
      b.xor('Gateway_ResidenceAgain', 'Đăng ký thường trú lại', c + 7, 0)
      b.flow('Gateway_ResidenceAgain', 'Task_Handoff_Task_Residence')
      step(
        b,
        { id: 'Task_Residence', name: 'Công an đăng ký thường trú', group: 'cong-an-cu-tru', unit: 'agency:X99.50' },
        c + 8,
        0,
        LATER_STEP,
      )
      returnGateway(
        b,
        'Residence',
        'Task_Residence',
        [{ to: 'Gateway_Review', row: 2.75 }],
        'Task_Handoff_Task_HealthInsurance',
        c + 10,
      )
      step(
        b,
        {
          id: 'Task_HealthInsurance',
          name: 'Bảo hiểm xã hội cấp thẻ BHYT',
          group: 'bhxh-the-bhyt',
          unit: 'agency:X99.60',
        },
        c + 11,
        0,
        LATER_STEP,
      )
      b.end('EndEvent_Processed', 'Đã cấp thẻ BHYT', c + 14.2, 0)
      returnGateway(
        b,
        'HealthInsurance',
        'Task_HealthInsurance',
        [{ to: 'Gateway_ResidenceAgain', row: 2.9 }],
        'EndEvent_Processed',
        c + 13,
      )
    },
  },
]

for (const spec of specs) writeFileSync(`${out}${spec.file}`, build(spec))
console.log(`wrote ${specs.length} workflows to ${out}`)

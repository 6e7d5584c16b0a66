// Electronic results: made from the dossier's data by the procedure's template (or brought by the officer as a PDF),
// signed at the signing step by the officer's certificate and, where the procedure needs it, the agency's seal after
// it; stored once with its hash; downloaded by the applicant and the staff who may read the dossier (each download on
// the timeline); verified by anyone, by upload or by the code of its QR link.
import { createHash, randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import type { Knex } from 'knex'
import type { Principal } from '../auth/principal.js'
import type { BlobStore } from '../attachments/storage.js'
import { fileRepository } from '../attachments/file-repository.js'
import type { ResultDocumentDefinition } from '../catalogue/definition.js'
import { isResolved } from '../domain/dossier/status.js'
import { openTaskFor, visibleTask } from '../dossiers/commands/tasks.js'
import { printoutRepository } from '../dossiers/printout-repository.js'
import type { DossierQueries } from '../dossiers/queries.js'
import { dossierRepository } from '../dossiers/repository.js'
import { AppError } from '../errors.js'
import { issuerOf, type PrintAgency } from '../print/index.js'
import { renderPdf } from '../print/pdf.js'
import type { PdfSigner, SigningKeys } from '../signing/port.js'
import type { VerifiedSignature } from '../signing/verify.js'
import type * as pkijs from 'pkijs'
import { resultRepository, type ResultRow, type ResultSignature } from './repository.js'
import { resultDocument } from './templates.js'

export interface ResultServiceDeps {
  knex: Knex
  store: BlobStore
  keys: SigningKeys
  trustAnchors: pkijs.Certificate[]
  queries: DossierQueries
  clock: () => Date
  /** Where the public verification page is reached (the QR link): PUBLIC_BASE_URL. */
  portalUrl: string
}

/** What the dossier's readers see of a result. */
export interface ResultSummary extends PublicResult {
  id: string
  documentId: string
  source: 'template' | 'upload'
  verificationCode: string
  verificationUrl: string
}

/** What anyone learns about an uploaded PDF. */
export interface VerificationReport {
  signed: boolean
  /** Every signature valid and the last covering the whole file: not modified since signing. */
  unmodified: boolean
  signatures: VerifiedSignature[]
  /** The result motcua issued with exactly these bytes, when there is one. */
  issued: PublicResult | null
}

/** A result as the public verification page shows it: no personal data of the applicant. */
export interface PublicResult {
  title: string
  resultNo: string
  issuer: string
  signedAt: Date
  signatures: ResultSignature[]
  sha256: string
}

const verificationCodePattern = /^[A-Za-z0-9_-]{16,64}$/

export class ResultService {
  constructor(private readonly deps: ResultServiceDeps) {}

  private verificationUrl(code: string): string {
    return `${this.deps.portalUrl}/xac-minh/${code}`
  }

  private summary(r: ResultRow): ResultSummary {
    return {
      ...this.publicOf(r),
      id: r.id,
      documentId: r.document_id,
      source: r.source,
      verificationCode: r.verification_code,
      verificationUrl: this.verificationUrl(r.verification_code),
    }
  }

  /** The result document the procedure signs at this task's step, if any. */
  async documentAtStep(dossierId: string, elementId: string): Promise<ResultDocumentDefinition | undefined> {
    const definition = await dossierRepository(this.deps.knex).definitionById(dossierId)
    return definition.resultDocuments?.find((d) => d.signingStep === elementId)
  }

  /**
   * Approving a signing step needs the signed result once this server can sign (a key store is configured); a server
   * without keys keeps issuing the result number only.
   */
  async requireSignedBeforeApproval(dossierId: string, elementId: string, canSign: boolean): Promise<void> {
    if (!canSign) return
    const doc = await this.documentAtStep(dossierId, elementId)
    if (doc && !(await resultRepository(this.deps.knex).document(dossierId, doc.id)))
      throw new AppError('MC_ERR_RESULT_NOT_SIGNED')
  }

  /** What a task's step signs, and the result when it is signed already (for the officer's task page). */
  async atTask(
    principal: Principal | undefined,
    taskKey: string,
  ): Promise<{ document: ResultDocumentDefinition | null; result: ResultSummary | null }> {
    const task = await visibleTask(this.deps.knex, principal, taskKey)
    const doc = await this.documentAtStep(task.dossier_id, task.element_id)
    const row = doc ? await resultRepository(this.deps.knex).document(task.dossier_id, doc.id) : undefined
    return { document: doc ?? null, result: row ? this.summary(row) : null }
  }

  /**
   * The officer working the signing step signs the result: made from the dossier's data by the template, or the PDF
   * they brought (`uploaded`). Signed by their own certificate, then the agency's seal where the procedure needs it;
   * stored once. Signing twice answers the result already signed.
   */
  async signAtTask(principal: Principal | undefined, taskKey: string, uploaded?: Buffer): Promise<ResultSummary> {
    const { knex, clock } = this.deps
    const task = await visibleTask(knex, principal, taskKey)
    const caller = principal!
    if (task.state !== 'CREATED') throw new AppError('MC_ERR_TASK_NOT_FOUND', 'The task is no longer open')
    // The officer working the step: one of its groups, and not held by someone else.
    await knex.transaction((trx) => openTaskFor(trx, task.dossier_id, caller, taskKey))
    const doc = await this.documentAtStep(task.dossier_id, task.element_id)
    if (!doc) throw new AppError('MC_ERR_RESULT_NOT_AT_THIS_STEP')
    const results = resultRepository(knex)
    const existing = await results.document(task.dossier_id, doc.id)
    if (existing) return this.summary(existing)

    const dossier = (await dossierRepository(knex).byId(task.dossier_id))!
    const issuingUnitId = dossier.competent_unit_id ?? dossier.agency_unit_id
    const printouts = printoutRepository(knex)
    const chain = await printouts.chain(issuingUnitId)
    const agency: PrintAgency = issuerOf(
      chain.map((u) => ({ name: u.name, level: u.level, divisionName: u.division_name })),
    )
    const issuingUnit = (await knex('units').where({ id: issuingUnitId }).first('name', 'agency_code')) as {
      name: string
      agency_code: string | null
    }
    const person = await this.deps.keys.person(caller.username)
    if (!person)
      throw new AppError('MC_ERR_SIGNING_KEY_MISSING', `No certificate for ${caller.username}`, undefined, {
        vi: 'Tài khoản của bạn chưa được cấu hình chứng thư số để ký kết quả',
        en: 'No signing certificate is configured for your account',
      })
    let seal: PdfSigner | undefined
    if (doc.seal) {
      seal = issuingUnit.agency_code ? await this.deps.keys.seal(issuingUnit.agency_code) : undefined
      if (!seal)
        throw new AppError(
          'MC_ERR_SIGNING_KEY_MISSING',
          `No seal for ${issuingUnit.agency_code ?? issuingUnitId}`,
          undefined,
          {
            vi: 'Cơ quan chưa được cấu hình chữ ký số của cơ quan (con dấu) để ký kết quả',
            en: 'No organisation seal certificate is configured for the agency',
          },
        )
    }

    const now = clock()
    const resultNo = `${dossier.code ?? dossier.id}/KQ`
    const verificationCode = randomBytes(18).toString('base64url')
    const officerName =
      ((await knex('users').where({ id: caller.userId }).first('full_name')) as { full_name: string } | undefined)
        ?.full_name ?? caller.username
    const unsigned =
      uploaded ??
      (await renderPdf(
        resultDocument(doc.template, {
          title: doc.name,
          number: resultNo,
          issuedAt: now,
          agency,
          dossierCode: dossier.code ?? dossier.id,
          verificationUrl: this.verificationUrl(verificationCode),
          formData: dossier.form_data,
          signer: { title: task.name, name: officerName },
        }),
        { author: issuingUnit.name, createdAt: now, keywords: resultNo },
      ))
    const signatures: ResultSignature[] = []
    let signed: Buffer
    try {
      signed = await person.sign(unsigned, {
        reason: `Ký duyệt ${doc.name} số ${resultNo}`,
        name: officerName,
        location: agency.place,
        signingTime: now,
      })
      signatures.push({ kind: 'person', subject: person.subject, at: now.toISOString() })
      if (seal) {
        signed = await seal.sign(signed, {
          reason: `Chữ ký số của cơ quan: ${issuingUnit.name}`,
          name: issuingUnit.name,
          location: agency.place,
          signingTime: now,
        })
        signatures.push({ kind: 'seal', subject: seal.subject, at: now.toISOString() })
      }
    } catch (err) {
      if (uploaded) throw new AppError('MC_ERR_RESULT_PDF_UNSUPPORTED', (err as Error).message)
      throw err
    }

    // The blob is content-addressed: stored before the transaction, it is only referenced once the row commits.
    const blob = await this.deps.store.put(Readable.from([signed]))
    const row = await knex.transaction(async (trx) => {
      const repo = dossierRepository(trx)
      await repo.lock(dossier.id)
      // Still the caller's open task (not completed, not claimed by another meanwhile).
      await openTaskFor(trx, dossier.id, caller, taskKey)
      const again = await resultRepository(trx).document(dossier.id, doc.id)
      if (again) return again
      const file = await fileRepository(trx).insert({
        sha256: blob.sha256,
        size: blob.size,
        mime: 'application/pdf',
        originalName: `${doc.id}-${(dossier.code ?? dossier.id).replace(/[^A-Za-z0-9-]/g, '-')}.pdf`,
        storageKey: blob.key,
        createdBy: caller.userId,
      })
      const inserted = await resultRepository(trx).insert({
        dossier_id: dossier.id,
        document_id: doc.id,
        title: doc.name,
        result_no: resultNo,
        source: uploaded ? 'upload' : 'template',
        file_id: file.id,
        sha256: blob.sha256,
        verification_code: verificationCode,
        issuer_name: issuingUnit.name,
        signatures,
        signed_by: caller.userId,
        signed_at: now,
      })
      const data = { resultId: inserted.id, title: doc.name, resultNo, sha256: blob.sha256, signatures }
      await repo.timeline(dossier.id, { kind: 'result_signed', at: now, actor_id: caller.userId, data })
      await repo.audit(caller.userId, 'dossier.resultSigned', dossier.id, data)
      return inserted
    })
    return this.summary(row)
  }

  /**
   * The results of a dossier its reader may see: staff from signing on; the applicant once the result is issued.
   */
  async list(principal: Principal | undefined, dossierId: string): Promise<ResultSummary[]> {
    const d = await this.deps.queries.get(principal, dossierId)
    const row = await dossierRepository(this.deps.knex).applicantAndStatus(d.id)
    if (row?.applicant_id === principal!.userId && !isResolved(d.status)) return []
    return (await resultRepository(this.deps.knex).ofDossier(d.id)).map((r) => this.summary(r))
  }

  /** The signed file, for whoever may list it; each download is on the timeline and in the audit log. */
  async download(
    principal: Principal | undefined,
    dossierId: string,
    resultId: string,
  ): Promise<{ stream: Readable; size: number; name: string }> {
    const visible = await this.list(principal, dossierId)
    const summary = visible.find((r) => r.id === resultId)
    if (!summary) throw new AppError('MC_ERR_RESULT_NOT_FOUND')
    const row = (await resultRepository(this.deps.knex).withFile(dossierId, resultId))!
    const stream = await this.deps.store.get(row.storage_key)
    await this.deps.knex.transaction(async (trx) => {
      const repo = dossierRepository(trx)
      const data = { resultId, title: row.title, resultNo: row.result_no }
      await repo.timeline(dossierId, {
        kind: 'result_downloaded',
        at: this.deps.clock(),
        actor_id: principal!.userId,
        data,
      })
      await repo.audit(principal!.userId, 'dossier.resultDownloaded', dossierId, data)
    })
    const safe = `${row.document_id}-${row.result_no.replace(/[^A-Za-z0-9-]/g, '-')}.pdf`
    return { stream, size: Number(row.size), name: safe }
  }

  private publicOf(r: ResultRow): PublicResult {
    return {
      title: r.title,
      resultNo: r.result_no,
      issuer: r.issuer_name,
      signedAt: r.signed_at,
      signatures: r.signatures,
      sha256: r.sha256,
    }
  }

  /** The result a QR link names (public: no personal data). */
  async byCode(code: string): Promise<PublicResult> {
    const row = verificationCodePattern.test(code) ? await resultRepository(this.deps.knex).byCode(code) : undefined
    if (!row) throw new AppError('MC_ERR_RESULT_NOT_FOUND')
    return this.publicOf(row)
  }

  /** Checks an uploaded PDF's signatures and whether it is, byte for byte, a result motcua issued. */
  async verify(pdf: Buffer): Promise<VerificationReport> {
    // Loaded here, not at start: pkijs and asn1js serve only this.
    const { verifyPdf } = await import('../signing/verify.js')
    const report = await verifyPdf(pdf, this.deps.trustAnchors)
    const sha256 = createHash('sha256').update(pdf).digest('hex')
    const issued = await resultRepository(this.deps.knex).bySha256(sha256)
    return {
      signed: report.signatures.length > 0,
      unmodified: report.intact,
      signatures: report.signatures,
      issued: issued ? this.publicOf(issued) : null,
    }
  }
}

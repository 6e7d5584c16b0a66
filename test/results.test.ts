// Specification: electronic results end to end through the HTTP API. An online birth registration reaches the signing
// step; the leader cannot approve before signing; signing makes the trích lục khai sinh from the dossier's data
// (PDF/A, the commune as issuing body, number, date, QR link) signed by the leader's certificate and then the
// commune's seal; the applicant downloads it once issued (each download on the timeline), nobody else can; pdfsig and
// our verifier both find it valid and unmodified, and both find a tampered copy modified; the QR link's page data
// names the result and the agency.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { apiClient, multipartFile } from './helpers/api.js'
import { buildTestApp } from './helpers/app.js'
import { eventually } from './helpers/eventually.js'
import { atSigningStep as signingStepOf } from './helpers/issued-result.js'
import { makePdf } from './helpers/files.js'
import { testSigning } from './helpers/signing.js'

const run = promisify(execFile)
const signing = testSigning({ 'lanhdao-xa': 'Đặng Văn Long' }, { 'X99.30': 'UBND xã An Bình' })
const built = await buildTestApp(t, { ...signing.env, PUBLIC_BASE_URL: 'https://dichvucong.demo.example' })
const { app, db } = built
await seedCalendar(db.knex)
const report = await seedProcedures(db.knex, app.engine)
if (report.failed.length) throw new Error(JSON.stringify(report.failed))
const api = apiClient(built)
const tmp = mkdtempSync(join(tmpdir(), 'motcua-results-'))

async function pdfsig(pdf: Buffer, name: string): Promise<string> {
  const path = join(tmp, name)
  writeFileSync(path, pdf)
  // pdfsig exits non-zero when a signature is invalid; its report is what we read either way.
  return run('pdfsig', [path]).then(
    (r) => r.stdout,
    (err: { stdout?: string }) => err.stdout ?? '',
  )
}
async function pdftext(pdf: Buffer): Promise<string> {
  const path = join(tmp, 'text.pdf')
  writeFileSync(path, pdf)
  return (await run('pdftotext', ['-enc', 'UTF-8', path, '-'])).stdout
}
const verify = (pdf: Buffer) =>
  app.inject({
    method: 'POST',
    url: '/api/public/results/verify',
    ...multipartFile(pdf, 'ket-qua.pdf', 'application/pdf'),
  })

async function work(who: string, taskKey: string, body: Record<string, unknown>) {
  const claimed = await api.call('POST', `/api/tasks/${taskKey}/claim`, who)
  if (claimed.statusCode !== 200) throw new Error(`${who} claims: ${claimed.body}`)
  return api.call('POST', `/api/tasks/${taskKey}/complete`, who, body)
}

const atSigningStep = (key: string) => signingStepOf(api, db.knex, key)

const { dossierId, signKey } = await atSigningStep('results-1')
const code = (await db.knex('dossiers').where({ id: dossierId }).first('code')).code as string

let signedPdf: Buffer
let resultId: string

t.test('at the signing step, the result is signed before the approval, by the officer of the step', async (t) => {
  const early = await work('lanhdao-xa', signKey, { decision: 'approve' })
  t.equal(early.statusCode, 409, 'approving before signing is refused')
  t.equal(early.json().code, 'MC_ERR_RESULT_NOT_SIGNED')
  t.equal((await api.call('POST', `/api/tasks/${signKey}/result`, 'tuphap-xa')).statusCode, 404, 'not their step')
  const review = (await db.knex('tasks').where({ dossier_id: dossierId, element_id: 'Task_Review' }).first())
    .user_task_key as string
  const notHere = await api.call('POST', `/api/tasks/${review}/result`, 'tuphap-xa')
  t.equal(notHere.statusCode, 404, 'a completed step signs nothing')
  t.same(await db.knex('dossier_results').where({ dossier_id: dossierId }), [], 'nothing stored by the refusals')

  const signed = await api.call('POST', `/api/tasks/${signKey}/result`, 'lanhdao-xa')
  t.equal(signed.statusCode, 201, signed.body)
  const r = signed.json()
  resultId = r.id
  t.match(r, {
    documentId: 'trich-luc-khai-sinh',
    title: 'Trích lục khai sinh',
    resultNo: `${code}/KQ`,
    source: 'template',
    issuer: 'UBND xã An Bình',
    signatures: [
      { kind: 'person', subject: /CN=Đặng Văn Long/ },
      { kind: 'seal', subject: /CN=UBND xã An Bình/ },
    ],
  })
  t.match(r.verificationUrl, /^https:\/\/dichvucong\.demo\.example\/xac-minh\/[A-Za-z0-9_-]{24}$/)
  const again = await api.call('POST', `/api/tasks/${signKey}/result`, 'lanhdao-xa')
  t.equal(again.json().id, r.id, 'signing again answers the same result; nothing is signed twice')
  t.equal(
    await db
      .knex('dossier_results')
      .where({ dossier_id: dossierId })
      .count('* as n')
      .first()
      .then((x) => Number(x!.n)),
    1,
  )
  const update = await db
    .knex('dossier_results')
    .where({ id: r.id })
    .update({ title: 'x' })
    .then(
      () => 'changed',
      () => 'refused',
    )
  t.equal(update, 'refused', 'the database refuses to modify a signed result')

  const mine = await api.call('GET', `/api/dossiers/${dossierId}/results`, 'congdan')
  t.same(mine.json(), [], 'the applicant sees no result before it is issued')
  const approved = await api.call('POST', `/api/tasks/${signKey}/complete`, 'lanhdao-xa', { decision: 'approve' })
  t.equal(approved.statusCode, 200, approved.body)
  await eventually(
    'status 10 (online delivery)',
    async () => (await db.knex('dossiers').where({ id: dossierId }).first('status')).status === 10,
  )
})

t.test('the applicant downloads the signed result; another applicant cannot; each download is recorded', async (t) => {
  const list = await api.call('GET', `/api/dossiers/${dossierId}/results`, 'congdan')
  t.equal(list.json().length, 1)
  const res = await api.call('GET', `/api/dossiers/${dossierId}/results/${resultId}`, 'congdan')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/pdf')
  t.equal(res.headers['cache-control'], 'private, no-store')
  signedPdf = res.rawPayload
  const stored = await db.knex('dossier_results').where({ id: resultId }).first('sha256')
  t.equal(
    createHash('sha256').update(signedPdf).digest('hex'),
    stored.sha256,
    'the bytes are those whose hash was recorded',
  )
  for (const who of ['doanhnghiep', 'congan']) {
    t.equal((await api.call('GET', `/api/dossiers/${dossierId}/results/${resultId}`, who)).statusCode, 404, who)
    t.equal((await api.call('GET', `/api/dossiers/${dossierId}/results`, who)).statusCode, 404, who)
  }
  t.equal(
    (await api.call('GET', `/api/dossiers/${dossierId}/results/${resultId}`, 'motcua-xa')).statusCode,
    200,
    'the counter prints it',
  )
  const kinds = (
    await db.knex('dossier_events').where({ dossier_id: dossierId }).orderBy('id').select('kind', 'actor_id')
  ).map((e: { kind: string }) => e.kind)
  t.ok(kinds.indexOf('result_signed') < kinds.indexOf('result_issued'), 'signed, then issued')
  t.equal(kinds.filter((k: string) => k === 'result_downloaded').length, 2, 'both downloads are on the timeline')
})

t.test('the result PDF: PDF/A metadata, the issuing body, number, date, data and the verification link', async (t) => {
  const text = await pdftext(signedPdf)
  for (const expected of [
    'UBND XÃ AN BÌNH',
    'TRÍCH LỤC KHAI SINH',
    `${code}/KQ`,
    'NGUYỄN VĂN BÉ',
    'Trần Thị Bình',
    'Đặng Văn Long',
    'xac-minh/',
  ])
    t.ok(text.includes(expected), `shows ${expected}`)
  const raw = signedPdf.toString('latin1')
  t.match(raw, /pdfaid:part>1</, 'PDF/A-1 identification in the XMP metadata')
  t.match(raw, /\/OutputIntents/, 'an output intent (sRGB)')
  t.match(raw, /\/FontFile2/, 'fonts embedded')
})

t.test('pdfsig and our verifier find it valid and unmodified; a tampered copy modified', async (t) => {
  const report = await pdfsig(signedPdf, 'signed.pdf')
  t.equal(report.match(/Signature is Valid\./g)?.length, 2, 'both signatures valid (pdfsig)')
  t.match(report, /Signature #2:[\s\S]*Total document signed/, 'the seal covers the whole document (pdfsig)')
  const ours = await verify(signedPdf)
  t.equal(ours.statusCode, 200, ours.body)
  t.match(ours.json(), {
    signed: true,
    unmodified: true,
    signatures: [
      { commonName: 'Đặng Văn Long', valid: true, trusted: true, coversWholeDocument: false },
      {
        commonName: 'UBND xã An Bình',
        organization: 'UBND xã An Bình',
        valid: true,
        trusted: true,
        coversWholeDocument: true,
      },
    ],
    issued: { resultNo: `${code}/KQ`, issuer: 'UBND xã An Bình', title: 'Trích lục khai sinh' },
  })
  t.ok(Math.abs(Date.parse(ours.json().signatures[0].signingTime) - Date.now()) < 10 * 60_000, 'the server’s time')

  // One byte changed inside the first page's content stream, both signatures' ranges.
  const tampered = Buffer.from(signedPdf)
  const at = tampered.indexOf('stream\n') + 40
  tampered[at] = tampered[at]! ^ 0x01
  const theirs = await pdfsig(tampered, 'tampered.pdf')
  t.match(theirs, /Digest Mismatch/, 'pdfsig reports the tampered copy modified')
  t.notMatch(theirs, /Signature is Valid/)
  const ourTampered = (await verify(tampered)).json()
  t.match(
    ourTampered,
    { signed: true, unmodified: false, issued: null },
    'our verifier too, and it is not what was issued',
  )
  t.ok(ourTampered.signatures.every((s: { valid: boolean }) => !s.valid))

  const appended = Buffer.concat([signedPdf, Buffer.from('\n%% added later\n')])
  t.match(
    (await verify(appended)).json(),
    { unmodified: false, issued: null },
    'bytes after the last signature: modified',
  )
  t.match((await verify(makePdf())).json(), { signed: false, unmodified: false, issued: null }, 'an unsigned PDF')
})

t.test('the QR link names the issued result and its agency, without personal data', async (t) => {
  const { verification_code: vc } = await db.knex('dossier_results').where({ id: resultId }).first('verification_code')
  const res = await app.inject({ method: 'GET', url: `/api/public/results/${vc}` })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { title: 'Trích lục khai sinh', resultNo: `${code}/KQ`, issuer: 'UBND xã An Bình' })
  t.notMatch(res.body, /Nguyễn Văn|001090000001/, 'no applicant data')
  const unknown = await app.inject({ method: 'GET', url: '/api/public/results/AAAAAAAAAAAAAAAAAAAAAAAA' })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().code, 'MC_ERR_RESULT_NOT_FOUND')
})

t.test('a result made elsewhere (PDF) is signed at the signing step; what is not a PDF is refused', async (t) => {
  const other = await atSigningStep('results-2')
  const url = `/api/tasks/${other.signKey}/result/upload`
  const notTheirs = await api.upload('tuphap-xa', url, makePdf(), 'kq.pdf', 'application/pdf')
  t.equal(notTheirs.statusCode, 404, 'an officer of another group signs nothing')
  t.equal((await api.call('POST', `/api/tasks/${other.signKey}/claim`, 'lanhdao-xa')).statusCode, 200)
  const refused = await api.upload(
    'lanhdao-xa',
    url,
    Buffer.from('<html>không phải PDF</html>'),
    'kq.pdf',
    'application/pdf',
  )
  t.equal(refused.statusCode, 415, refused.body)
  const signed = await api.upload('lanhdao-xa', url, makePdf(), 'ket-qua-tu-he-thong-khac.pdf', 'application/pdf')
  t.equal(signed.statusCode, 201, signed.body)
  t.match(signed.json(), {
    source: 'upload',
    title: 'Trích lục khai sinh',
    signatures: [{ kind: 'person' }, { kind: 'seal' }],
  })
  const row = await db
    .knex('dossier_results as r')
    .join('files as f', 'f.id', 'r.file_id')
    .where('r.id', signed.json().id)
    .first('f.storage_key')
  const stored = await built.runtime.dossiers.attachments.open({ storageKey: row.storage_key })
  const chunks: Buffer[] = []
  for await (const c of stored) chunks.push(c as Buffer)
  const report = await pdfsig(Buffer.concat(chunks), 'uploaded.pdf')
  t.equal(report.match(/Signature is Valid\./g)?.length, 2, 'pdfsig: the uploaded result carries both valid signatures')
})

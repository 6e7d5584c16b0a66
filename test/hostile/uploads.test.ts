// Specification: uploads through the multipart routes that lie about what they are — a PDF name over PNG, EXE, HTML,
// SVG or ZIP-bomb bytes, polyglots, zero bytes, over the component's size, two files, stray fields, broken multipart —
// are refused with a problem that says why, and nothing is stored on disk or in the database; a polyglot that really
// starts as an accepted type is stored as that type, whatever the client declared.
import t from 'tap'
import { multipartFile } from '../helpers/api.js'
import { makeDocx, makePdf, makePng, makeZip, filesUnder } from '../helpers/files.js'
import { diff, fingerprint, problemShape } from './support.js'
import { hostileWorld } from './world.js'

const w = await hostileWorld(t, { dossier: false })
const { app } = w
const knex = w.db.knex
const citizen = await w.api.as('congdan')
/** to-khai accepts PDF, JPEG and PNG up to 10 MB. */
const url = `/api/dossiers/drafts/${w.draftId}/attachments/to-khai`

const blobs = (): string[] => filesUnder(w.config.filesDir)

async function send(payload: Buffer, contentType: string) {
  return app.inject({ method: 'POST', url, headers: { ...citizen, 'content-type': contentType }, payload })
}

const html = Buffer.from('<!doctype html><html><body><script>fetch("/api/auth/me")</script></body></html>')
const zipBomb = makeDocx(Buffer.alloc(50 * 1024 * 1024))
const refused: Array<{ what: string; file: Buffer; name: string; type?: string; status: number; code: string }> = [
  {
    what: 'HTML named .pdf, declared application/pdf',
    file: html,
    name: 'to-khai.pdf',
    type: 'application/pdf',
    status: 415,
    code: 'MC_ERR_FILE_TYPE_NOT_ALLOWED',
  },
  {
    what: 'HTML behind a BOM and blank lines',
    file: Buffer.concat([Buffer.from('\ufeff\n\n  '), html]),
    name: 'to-khai.pdf',
    status: 415,
    code: 'MC_ERR_FILE_TYPE_NOT_ALLOWED',
  },
  {
    what: 'SVG with a script, named .png',
    file: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    name: 'anh.png',
    type: 'image/png',
    status: 415,
    code: 'MC_ERR_FILE_TYPE_NOT_ALLOWED',
  },
  {
    what: 'a Windows executable named .pdf',
    file: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(1024, 0x90)]),
    name: 'to-khai.pdf',
    type: 'application/pdf',
    status: 415,
    code: 'MC_ERR_FILE_TYPE_NOT_ALLOWED',
  },
  {
    what: 'an ELF binary named .png',
    file: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(512)]),
    name: 'a.png',
    status: 415,
    code: 'MC_ERR_FILE_TYPE_NOT_ALLOWED',
  },
  {
    what: 'a GIF/HTML polyglot (GIF is not accepted here)',
    file: Buffer.concat([Buffer.from('GIF89a'), html]),
    name: 'to-khai.pdf',
    status: 415,
    code: 'MC_ERR_FILE_TYPE_NOT_ALLOWED',
  },
  {
    what: 'a ZIP named .pdf',
    file: makeZip([{ name: 'a.txt', data: Buffer.from('x') }]),
    name: 'to-khai.pdf',
    status: 415,
    code: 'MC_ERR_FILE_TYPE_NOT_ALLOWED',
  },
  {
    what: 'a ZIP bomb named .pdf',
    file: zipBomb,
    name: 'to-khai.pdf',
    type: 'application/pdf',
    status: 422,
    code: 'MC_ERR_FILE_SUSPICIOUS',
  },
  {
    what: 'a DOCX where only PDF and images are accepted',
    file: makeDocx(),
    name: 'to-khai.docx',
    status: 415,
    code: 'MC_ERR_FILE_TYPE_NOT_ALLOWED',
  },
  {
    what: 'random bytes named .jpg',
    file: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    name: 'anh.jpg',
    type: 'image/jpeg',
    status: 415,
    code: 'MC_ERR_FILE_TYPE_NOT_ALLOWED',
  },
  {
    what: 'zero bytes',
    file: Buffer.alloc(0),
    name: 'to-khai.pdf',
    type: 'application/pdf',
    status: 422,
    code: 'MC_ERR_FILE_EMPTY',
  },
  {
    what: 'a PDF over the component’s 10 MB',
    file: Buffer.concat([makePdf(), Buffer.alloc(10 * 1024 * 1024 + 10, 0x20)]),
    name: 'to-khai.pdf',
    status: 413,
    code: 'MC_ERR_FILE_TOO_LARGE',
  },
]

t.test(
  'files that lie about their type, are empty, oversize or bombs are refused with the reason, and nothing is stored',
  async (t) => {
    for (const c of refused) {
      const before = await fingerprint(knex)
      const blobsBefore = blobs()
      const body = multipartFile(c.file, c.name, c.type)
      const res = await send(body.payload, body.headers['content-type']!)
      t.equal(problemShape(res), undefined, `${c.what}: a problem`)
      t.equal(res.statusCode, c.status, `${c.what}: ${c.status}`)
      t.equal(res.json().code, c.code, `${c.what}: ${c.code}`)
      t.same(diff(before, await fingerprint(knex)), [], `${c.what}: no row`)
      t.same(blobs(), blobsBefore, `${c.what}: no file on disk`)
    }
  },
)

const boundary = '----motcuahostile'
const part = (headers: string, body: Buffer | string) =>
  Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')])
const end = Buffer.from(`--${boundary}--\r\n`)
const filePart = (name = 'file', filename = 'to-khai.pdf') =>
  part(
    `Content-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/pdf`,
    makePdf(),
  )
const malformed: Array<{ what: string; payload: Buffer; type?: string }> = [
  { what: 'two files', payload: Buffer.concat([filePart(), filePart('file', 'thu-hai.pdf'), end]) },
  {
    what: 'a field before the file',
    payload: Buffer.concat([part('Content-Disposition: form-data; name="note"', 'x'), filePart(), end]),
  },
  { what: 'the file under another part name', payload: Buffer.concat([filePart('document'), end]) },
  { what: 'no part at all', payload: end },
  {
    what: 'a field and no file',
    payload: Buffer.concat([part('Content-Disposition: form-data; name="file"', 'not a file'), end]),
  },
  { what: 'a body cut off in the middle of the file', payload: filePart().subarray(0, 200) },
  {
    what: 'another boundary than declared',
    payload: Buffer.concat([filePart(), end]),
    type: 'multipart/form-data; boundary=something-else',
  },
  { what: 'multipart without a boundary', payload: Buffer.concat([filePart(), end]), type: 'multipart/form-data' },
  { what: 'JSON declared as multipart', payload: Buffer.from('{"file":"x"}') },
  {
    what: 'a 2,000-character boundary',
    payload: Buffer.concat([filePart(), end]),
    type: `multipart/form-data; boundary=${'b'.repeat(2000)}`,
  },
]

t.test(
  'broken or overfull multipart bodies (two files, stray fields, other part names, truncation, wrong boundary) are refused with a problem, and nothing is stored',
  async (t) => {
    for (const c of malformed) {
      const before = await fingerprint(knex)
      const blobsBefore = blobs()
      const res = await send(c.payload, c.type ?? `multipart/form-data; boundary=${boundary}`)
      t.equal(problemShape(res), undefined, `${c.what}: a problem (${res.statusCode})`)
      t.ok(res.statusCode >= 400 && res.statusCode < 500, `${c.what}: 4xx`)
      t.same(diff(before, await fingerprint(knex)), [], `${c.what}: no row`)
      t.same(blobs(), blobsBefore, `${c.what}: no file on disk`)
    }
  },
)

t.test(
  'a polyglot that starts as an accepted type is stored as what its leading bytes are, whatever was declared (downloads then carry nosniff and attachment: test/api-dossiers.test.ts)',
  async (t) => {
    const cases = [
      {
        what: 'PDF with HTML and script after the header, declared text/html',
        file: Buffer.concat([makePdf(), html]),
        type: 'text/html',
        mime: 'application/pdf',
      },
      {
        what: 'PNG with a ZIP appended, declared application/zip',
        file: Buffer.concat([makePng(), makeZip([{ name: 'x.html', data: html }])]),
        type: 'application/zip',
        mime: 'image/png',
      },
    ]
    for (const c of cases) {
      const body = multipartFile(c.file, "to-khai\"; filename*=UTF-8''evil.html\r\nX-Injected: 1.pdf", c.type)
      const res = await send(body.payload, body.headers['content-type']!)
      t.equal(res.statusCode, 201, `${c.what}: accepted as its leading type`)
      t.equal(res.json().mime, c.mime, `${c.what}: stored as ${c.mime}, not as declared`)
      t.notMatch(
        res.json().name,
        /[\r\n"/\\]/,
        `${c.what}: the stored name carries no quotes, line breaks or path separators`,
      )
    }
  },
)

t.test(
  'a file name with a path, NUL, RTL override or line breaks is kept for display only, never as a path or a header',
  async (t) => {
    for (const name of [
      '../../../etc/passwd.pdf',
      'a\u0000b.pdf',
      'gnp\u202e.exe.pdf',
      'x\r\nSet-Cookie: a=1.pdf',
      'C:\\Windows\\system32\\a.pdf',
      `${'đ'.repeat(300)}.pdf`,
    ]) {
      const body = multipartFile(makePdf(), name, 'application/pdf')
      const res = await send(body.payload, body.headers['content-type']!)
      t.ok(
        res.statusCode === 201 || (res.statusCode >= 400 && res.statusCode < 500 && problemShape(res) === undefined),
        `${JSON.stringify(name)}: stored or refused with a problem (${res.statusCode})`,
      )
      if (res.statusCode !== 201) continue
      const stored = res.json().name as string
      t.notMatch(
        stored,
        /[\u0000-\u001f\u202e/\\]/,
        `${JSON.stringify(name)}: no control characters, overrides or separators (${JSON.stringify(stored)})`,
      )
      t.ok(stored.length <= 255, `${JSON.stringify(name)}: bounded`)
    }
    t.ok(
      blobs().every((p) => p.startsWith(w.config.filesDir)),
      'every blob lies under the files directory',
    )
  },
)

t.test(
  'the counter’s scan upload refuses the same lies with the same reasons, and only an officer may use it; nothing is stored',
  async (t) => {
    const officer = await w.api.as('motcua-xa')
    const counterUrl = '/api/counter/procedures/dang-ky-khai-sinh/attachments/to-khai'
    const cases = [
      ...refused.filter((c) => ['MC_ERR_FILE_EMPTY', 'MC_ERR_FILE_TOO_LARGE'].includes(c.code)),
      refused[0]!,
      refused[2]!,
    ].map((c) => ({ ...c, headers: officer }))
    cases.push({
      what: 'a citizen, not an officer, with a real PDF',
      file: makePdf(),
      name: 'to-khai.pdf',
      status: 403,
      code: 'MC_ERR_FORBIDDEN',
      headers: citizen,
    })
    for (const c of cases) {
      const before = await fingerprint(knex)
      const blobsBefore = blobs()
      const body = multipartFile(c.file, c.name, c.type)
      const res = await app.inject({
        method: 'POST',
        url: counterUrl,
        headers: { ...c.headers, 'content-type': body.headers['content-type']! },
        payload: body.payload,
      })
      t.equal(problemShape(res), undefined, `${c.what}: a problem`)
      t.equal(res.statusCode, c.status, `${c.what}: ${c.status}`)
      t.equal(res.json().code, c.code, `${c.what}: ${c.code}`)
      t.same(diff(before, await fingerprint(knex)), [], `${c.what}: no row`)
      t.same(blobs(), blobsBefore, `${c.what}: no file on disk`)
    }
    const twoFiles = await app.inject({
      method: 'POST',
      url: counterUrl,
      headers: { ...officer, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([filePart(), filePart('file', 'thu-hai.pdf'), end]),
    })
    t.equal(twoFiles.statusCode, 400, 'two files in one scan upload: 400')
  },
)

// Accepting uploads: the bytes decide the type, the size limit holds while streaming, ZIP bombs are refused, blobs are
// stored once.
import t, { type Test } from 'tap'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { createTestDatabase, dbKind } from './helpers/db.js'
import { makeDocx, makePdf, makePng, makeZip } from './helpers/files.js'
import { AppError } from '../src/errors.js'
import { LocalDiskStore } from '../src/attachments/storage.js'
import { MIME } from '../src/attachments/sniff.js'
import { AttachmentService, sanitizeFileName, type UploadLimits } from '../src/attachments/upload.js'

const documents: UploadLimits = { types: [MIME.pdf, MIME.jpeg, MIME.png], maxBytes: 1024 * 1024 }
const office: UploadLimits = { types: [MIME.pdf, MIME.docx, MIME.xlsx], maxBytes: 5 * 1024 * 1024 }

/** Every file below `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
}

async function setup(t: Test) {
  const db = await createTestDatabase(t)
  const root = mkdtempSync(join(tmpdir(), 'motcua-files-'))
  const store = new LocalDiskStore(root)
  return { db, root, store, service: new AttachmentService({ knex: db.knex, store }) }
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

t.test(
  `given a real PDF and PNG (${dbKind}), they are accepted with the sniffed type and the right SHA-256`,
  async (t) => {
    const { service, store } = await setup(t)
    for (const [bytes, name, mime] of [
      [makePdf(), 'Tờ khai đăng ký khai sinh.pdf', MIME.pdf],
      [makePng(), 'ảnh chân dung.png', MIME.png],
    ] as const) {
      const file = await service.acceptUpload({
        stream: Readable.from([bytes]),
        declaredName: name,
        declaredType: 'application/octet-stream',
        limits: documents,
      })
      t.equal(file.mime, mime, `${name}: type from the content, not the declared type`)
      t.equal(file.size, bytes.length)
      t.equal(file.sha256, createHash('sha256').update(bytes).digest('hex'))
      t.equal(file.originalName, name)
      t.same(Buffer.from(await text(await service.open(file)), 'latin1').length, bytes.length)
      t.ok(await store.has(file.storageKey))
      t.same(await service.get(file.id), file, 'the row reads back')
    }
  },
)

t.test(
  'given a .exe renamed to .pdf, it is refused, nothing is stored, and the message says what is accepted',
  async (t) => {
    const { service, root } = await setup(t)
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2048, 1)])
    const err = await refusal(
      service.acceptUpload({
        stream: Readable.from([exe]),
        declaredName: 'giay-khai-sinh.pdf',
        declaredType: 'application/pdf',
        limits: documents,
      }),
    )
    t.equal(err.code, 'MC_ERR_FILE_TYPE_NOT_ALLOWED')
    t.equal(err.status, 415)
    t.equal(err.messages.vi, 'Loại tệp không được chấp nhận: nội dung tệp là EXE, chỉ chấp nhận PDF, JPEG, PNG')
    t.match(err.messages.en, 'accepted: PDF, JPEG, PNG')
    t.same(err.extensions['detectedType'], MIME.exe)
    t.same(filesUnder(root), [], 'nothing left on disk')
  },
)

t.test(
  'given a stream over the limit, reading stops just past it, it is refused and nothing is left on disk',
  async (t) => {
    const { service, root, db } = await setup(t)
    let produced = 0
    const chunk = Buffer.alloc(64 * 1024, 0x41)
    // 100 MB of text that would be accepted if it were small enough.
    const huge = Readable.from(
      (function* () {
        for (let i = 0; i < 1600; i++) {
          produced += chunk.length
          yield chunk
        }
      })(),
    )
    const err = await refusal(
      service.acceptUpload({
        stream: huge,
        declaredName: 'big.txt',
        limits: { types: [MIME.text], maxBytes: 1024 * 1024 },
      }),
    )
    t.equal(err.code, 'MC_ERR_FILE_TOO_LARGE')
    t.equal(err.status, 413)
    t.match(err.messages.vi, 'tối đa 1 MB')
    t.ok(produced <= 1024 * 1024 + 4 * chunk.length, `stopped reading at the limit (read ${produced} bytes)`)
    t.same(filesUnder(root), [], 'no temporary file left')
    t.same(await db.knex('files').select('id'), [])
  },
)

t.test('given a DOCX, it is accepted when DOCX is allowed and refused where only PDF and images are', async (t) => {
  const { service } = await setup(t)
  const docx = makeDocx()
  const file = await service.acceptUpload({ stream: Readable.from([docx]), declaredName: 'don.docx', limits: office })
  t.equal(file.mime, MIME.docx)
  const err = await refusal(
    service.acceptUpload({ stream: Readable.from([docx]), declaredName: 'don.pdf', limits: documents }),
  )
  t.equal(err.code, 'MC_ERR_FILE_TYPE_NOT_ALLOWED')
  t.match(err.messages.vi, 'Word (DOCX)')
})

t.test('given a zip bomb inside a .docx, it is refused as suspicious without extracting it', async (t) => {
  const { service, root } = await setup(t)
  // 50 MB of zeros deflates to ~50 KB: a ratio of about 1000.
  const bomb = makeDocx(Buffer.alloc(50 * 1024 * 1024))
  t.ok(bomb.length < 100 * 1024)
  const err = await refusal(
    service.acceptUpload({ stream: Readable.from([bomb]), declaredName: 'to-khai.docx', limits: office }),
  )
  t.equal(err.code, 'MC_ERR_FILE_SUSPICIOUS')
  t.equal(err.status, 422)
  t.match(err.detail, /zip bomb/)
  t.same(filesUnder(root), [])

  // The same bomb whose headers claim the entry is tiny: caught while inflating into a counter.
  const liar = makeZip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'word/document.xml', data: Buffer.alloc(50 * 1024 * 1024), declaredSize: 1000 },
  ])
  const err2 = await refusal(
    service.acceptUpload({ stream: Readable.from([liar]), declaredName: 'liar.docx', limits: office }),
  )
  t.equal(err2.code, 'MC_ERR_FILE_SUSPICIOUS')

  const many = makeZip(Array.from({ length: 50 }, (_, i) => ({ name: `word/f${i}.xml`, data: Buffer.from('x') })))
  const err3 = await refusal(
    service.acceptUpload({
      stream: Readable.from([many]),
      declaredName: 'many.docx',
      limits: { ...office, zip: { maxEntries: 20 } },
    }),
  )
  t.equal(err3.code, 'MC_ERR_FILE_SUSPICIOUS')
  t.match(err3.detail, /too many entries/)

  const broken = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100, 7)])
  const err4 = await refusal(
    service.acceptUpload({ stream: Readable.from([broken]), declaredName: 'broken.docx', limits: office }),
  )
  t.equal(err4.code, 'MC_ERR_FILE_SUSPICIOUS')
  t.same(filesUnder(root), [], 'nothing stored after any of these')
})

t.test('given the same content uploaded twice, there are two file rows and one blob', async (t) => {
  const { service, root } = await setup(t)
  const pdf = makePdf()
  const a = await service.acceptUpload({ stream: Readable.from([pdf]), declaredName: 'a.pdf', limits: documents })
  const b = await service.acceptUpload({ stream: Readable.from([pdf]), declaredName: 'b.pdf', limits: documents })
  t.not(a.id, b.id)
  t.equal(a.storageKey, b.storageKey)
  t.equal(filesUnder(root).length, 1, 'one blob on disk')
  t.equal(filesUnder(join(root, '.tmp')).length, 0)
})

t.test('text, XML, empty and binary content are told apart', async (t) => {
  const { service } = await setup(t)
  const limits: UploadLimits = { types: [MIME.text, MIME.xml], maxBytes: 1024 * 1024 }
  const txt = await service.acceptUpload({
    stream: Readable.from([Buffer.from('Họ và tên: Nguyễn Văn A\n')]),
    declaredName: 'a.txt',
    limits,
  })
  t.equal(txt.mime, MIME.text)
  const xml = await service.acceptUpload({
    stream: Readable.from([Buffer.from('\uFEFF<?xml version="1.0"?><hoSo/>')]),
    declaredName: 'a.xml',
    limits,
  })
  t.equal(xml.mime, MIME.xml)
  const bin = await refusal(
    service.acceptUpload({
      stream: Readable.from([Buffer.from([0x41, 0x00, 0xff, 0x10])]),
      declaredName: 'a.txt',
      limits,
    }),
  )
  t.equal(bin.code, 'MC_ERR_FILE_TYPE_NOT_ALLOWED')
  const empty = await refusal(service.acceptUpload({ stream: Readable.from([]), declaredName: 'a.txt', limits }))
  t.equal(empty.code, 'MC_ERR_FILE_EMPTY')
})

t.test('file names are kept for display but cannot carry paths or control characters', async (t) => {
  t.equal(sanitizeFileName('../../etc/passwd'), 'passwd')
  t.equal(sanitizeFileName('C:\\Users\\an\\Giấy tờ.pdf'), 'Giấy tờ.pdf')
  t.equal(sanitizeFileName('a\u0000b<c>|d?.pdf'), 'abcd.pdf')
  t.equal(sanitizeFileName('...hidden'), 'hidden')
  t.equal(sanitizeFileName('Gia\u0302\u0301y to\u031B\u0300.pdf'), 'Giấy tờ.pdf'.normalize('NFC'), 'NFC')
  t.equal(sanitizeFileName('   '), 'tep-dinh-kem')
  const long = sanitizeFileName('đ'.repeat(300) + '.pdf')
  t.ok(Buffer.byteLength(long) <= 200)
  t.ok(long.endsWith('.pdf'), 'the extension survives shortening')
})

t.test('blob keys cannot address anything outside the store', async (t) => {
  const store = new LocalDiskStore(mkdtempSync(join(tmpdir(), 'motcua-files-')))
  await t.rejects(store.get('../../etc/passwd'), /not a blob key/)
  await t.rejects(store.delete('sha256/../../x'), /not a blob key/)
})

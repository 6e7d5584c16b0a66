// The blob-store contract, run against both stores: local disk (FILES_DIR) and an S3-compatible bucket on a real
// S3-protocol server in-process (s3rver). Content-addressed keys, bytes streamed in and out unchanged, one object per
// content, spooled files consumed, missing blobs and foreign keys refused; the upload service on top leaves nothing
// behind when it refuses a file. Then the S3 settings: validated at boot, and the API's uploads land in the bucket.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import t, { type Test } from 'tap'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { createBlobStore, LocalDiskStore, type BlobStore } from '../src/attachments/storage.js'
import { S3Store } from '../src/attachments/s3-store.js'
import { MIME } from '../src/attachments/sniff.js'
import { AttachmentService } from '../src/attachments/upload.js'
import { ConfigError, loadConfig, type S3Config } from '../src/config.js'
import { seedProcedures } from '../src/catalogue/service.js'
import { seedCalendar } from '../src/db/calendar-repository.js'
import { apiClient } from './helpers/api.js'
import { buildTestApp } from './helpers/app.js'
import { createTestDatabase } from './helpers/db.js'
import { makePdf } from './helpers/files.js'
import { startS3Server } from './helpers/s3.js'

const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath, d.name))
    : []

async function bucketKeys(config: S3Config): Promise<string[]> {
  const s3 = new S3Client({
    region: config.region,
    endpoint: config.endpoint!,
    forcePathStyle: true,
    credentials: config.credentials!,
  })
  try {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: config.bucket }))
    return (out.Contents ?? []).map((o) => o.Key!).sort()
  } finally {
    s3.destroy()
  }
}

interface StoreUnderTest {
  store: BlobStore
  /** Keys of the blobs the store holds. */
  objects(): Promise<string[]>
}

const stores: Record<string, (t: Test) => Promise<StoreUnderTest>> = {
  'local disk': async () => {
    const root = mkdtempSync(join(tmpdir(), 'motcua-files-'))
    return {
      store: new LocalDiskStore(root),
      objects: async () =>
        filesUnder(join(root, 'sha256'))
          .map((p) => p.slice(root.length + 1))
          .sort(),
    }
  },
  's3 (s3rver)': async (t) => {
    const server = await startS3Server(t)
    const store = new S3Store(server.config, mkdtempSync(join(tmpdir(), 'motcua-spool-')))
    t.teardown(() => store.close())
    return { store, objects: () => bucketKeys(server.config) }
  },
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

for (const [name, make] of Object.entries(stores)) {
  t.test(`blob store contract: ${name}`, async (t) => {
    const { store, objects } = await make(t)

    t.test('a stream is stored under its SHA-256 and read back unchanged; the spool is left empty', async (t) => {
      const bytes = Buffer.concat([Buffer.from('Tờ khai đăng ký khai sinh — Nguyễn Văn Bé\n'), randomBytes(300_000)])
      const blob = await store.put(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]))
      const digest = sha(bytes)
      t.same(blob, {
        key: `sha256/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`,
        sha256: digest,
        size: bytes.length,
      })
      t.equal(await store.has(blob.key), true)
      t.ok((await buffer(await store.get(blob.key))).equals(bytes), 'the same bytes')
      t.same(filesUnder(store.tmpDir), [], 'no spooled file left')
      t.ok((await objects()).includes(blob.key))
    })

    t.test('a spooled file is consumed; the same content twice is one blob', async (t) => {
      const bytes = randomBytes(10_000)
      const before = (await objects()).length
      for (const copy of ['a', 'b']) {
        const path = join(store.tmpDir, `spooled-${copy}.part`)
        if (!existsSync(store.tmpDir))
          await import('node:fs/promises').then((fs) => fs.mkdir(store.tmpDir, { recursive: true }))
        writeFileSync(path, bytes)
        const blob = await store.putFile(path, { sha256: sha(bytes), size: bytes.length })
        t.equal(blob.sha256, sha(bytes))
        t.notOk(existsSync(path), `copy ${copy}: the spooled file is gone`)
      }
      t.equal((await objects()).length, before + 1, 'one blob for two uploads of the same content')
    })

    t.test('12 MB go through as streams both ways', async (t) => {
      const hash = createHash('sha256')
      const chunks = (function* () {
        for (let i = 0; i < 192; i++) {
          const c = randomBytes(64 * 1024)
          hash.update(c)
          yield c
        }
      })()
      const blob = await store.put(Readable.from(chunks))
      t.equal(blob.size, 12 * 1024 * 1024)
      t.equal(blob.sha256, hash.digest('hex'))
      const back = createHash('sha256')
      let size = 0
      for await (const c of await store.get(blob.key)) {
        back.update(c as Buffer)
        size += (c as Buffer).length
      }
      t.equal(size, blob.size)
      t.equal(back.digest('hex'), blob.sha256)
    })

    t.test(
      'a missing blob: has is false and get fails with ENOENT; delete removes a blob and may be repeated',
      async (t) => {
        const absent = `sha256/00/00/${'0'.repeat(64)}`
        t.equal(await store.has(absent), false)
        await t.rejects(store.get(absent), { code: 'ENOENT' })
        const blob = await store.put(Readable.from([Buffer.from('xoá tôi')]))
        await store.delete(blob.key)
        t.equal(await store.has(blob.key), false)
        t.notOk((await objects()).includes(blob.key))
        await store.delete(blob.key)
      },
    )

    t.test('keys cannot address anything but blobs', async (t) => {
      for (const bad of ['../../etc/passwd', 'sha256/../../x', 'sha256/ab/cd/not-a-digest', 'other/bucket/object']) {
        await t.rejects(store.get(bad), /not a blob key/)
        await t.rejects(store.has(bad), /not a blob key/)
        await t.rejects(store.delete(bad), /not a blob key/)
      }
    })

    t.test(
      'the upload service on this store: a PDF is accepted and opened; a refused file leaves nothing anywhere',
      async (t) => {
        const db = await createTestDatabase(t)
        const service = new AttachmentService({ knex: db.knex, store })
        const pdf = makePdf()
        const file = await service.acceptUpload({
          stream: Readable.from([pdf]),
          declaredName: 'Giấy chứng sinh.pdf',
          limits: { types: [MIME.pdf], maxBytes: 1024 * 1024 },
        })
        t.equal(file.mime, MIME.pdf)
        t.ok((await buffer(await service.open(file))).equals(pdf))
        const before = await objects()
        const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2048, 1)])
        await t.rejects(
          service.acceptUpload({
            stream: Readable.from([exe]),
            declaredName: 'giay.pdf',
            limits: { types: [MIME.pdf], maxBytes: 1024 * 1024 },
          }),
          { code: 'MC_ERR_FILE_TYPE_NOT_ALLOWED' },
        )
        await t.rejects(
          service.acceptUpload({
            stream: Readable.from([Buffer.alloc(2 * 1024 * 1024, 0x41)]),
            declaredName: 'big.pdf',
            limits: { types: [MIME.pdf], maxBytes: 1024 * 1024 },
          }),
          { code: 'MC_ERR_FILE_TOO_LARGE' },
        )
        t.same(await objects(), before, 'no blob stored')
        t.same(filesUnder(store.tmpDir), [], 'no spooled file left')
      },
    )
  })
}

t.test('S3 settings are validated at boot and choose the store', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-cfg-'))
  const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir, ...env }, { isTTY: false })
  t.equal(load({}).s3, undefined, 'no S3_BUCKET: local disk')
  t.ok(createBlobStore(load({})) instanceof LocalDiskStore)
  const full = load({
    S3_ENDPOINT: 'https://s3.example.vn/',
    S3_BUCKET: 'motcua-files',
    S3_REGION: 'hn-1',
    S3_ACCESS_KEY_ID: 'AK',
    S3_SECRET_ACCESS_KEY: 'SK',
    S3_FORCE_PATH_STYLE: 'true',
  })
  t.same(full.s3, {
    endpoint: 'https://s3.example.vn',
    bucket: 'motcua-files',
    region: 'hn-1',
    credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
    forcePathStyle: true,
  })
  const store = createBlobStore(full)
  t.ok(store instanceof S3Store, 'S3_BUCKET set: the bucket')
  t.equal(store.tmpDir, join(full.filesDir, '.tmp'), 'uploads still spool under FILES_DIR')
  t.same(
    load({ S3_BUCKET: 'motcua-files' }).s3,
    { bucket: 'motcua-files', region: 'us-east-1', forcePathStyle: false },
    'AWS itself, the default credential chain',
  )
  const refused: Array<[Record<string, string>, string]> = [
    [{ S3_ENDPOINT: 'http://127.0.0.1:9000' }, 'S3_BUCKET'],
    [{ S3_BUCKET: 'motcua-files', S3_ACCESS_KEY_ID: 'AK' }, 'S3_SECRET_ACCESS_KEY'],
    [{ S3_BUCKET: 'motcua-files', S3_SECRET_ACCESS_KEY: 'SK' }, 'S3_ACCESS_KEY_ID'],
    [{ S3_BUCKET: 'Motcua_Files' }, 'S3_BUCKET'],
    [{ S3_BUCKET: 'motcua-files', S3_ENDPOINT: 'ftp://x' }, 'S3_ENDPOINT'],
    [{ S3_BUCKET: 'motcua-files', S3_ENDPOINT: 'http://minio:9000/bucket' }, 'S3_ENDPOINT'],
    [{ S3_BUCKET: 'motcua-files', S3_FORCE_PATH_STYLE: 'maybe' }, 'S3_FORCE_PATH_STYLE'],
  ]
  const refusedVariable = (env: Record<string, string>): string => {
    try {
      load(env)
      return 'accepted'
    } catch (err) {
      return err instanceof ConfigError ? err.variable : String(err)
    }
  }
  for (const [env, variable] of refused)
    t.equal(refusedVariable(env), variable, `${JSON.stringify(env)} is refused, naming ${variable}`)
})

t.test('with S3 configured, a document uploaded through the API is stored in the bucket, not on disk', async (t) => {
  const server = await startS3Server(t)
  const built = await buildTestApp(t, server.env)
  await seedCalendar(built.db.knex)
  const report = await seedProcedures(built.db.knex, built.app.engine)
  if (report.failed.length) throw new Error(JSON.stringify(report.failed))
  const { call, upload } = apiClient(built)
  const draft = (
    await call('POST', '/api/dossiers/drafts', 'congdan', {
      procedure: 'dang-ky-khai-sinh',
      agencyUnitId: 'xa-an-binh',
    })
  ).json()
  const pdf = makePdf()
  const res = await upload(
    'congdan',
    `/api/dossiers/drafts/${draft.id}/attachments/to-khai`,
    pdf,
    'to-khai.pdf',
    'application/pdf',
  )
  t.equal(res.statusCode, 201, res.body)
  const digest = sha(pdf)
  t.same(await bucketKeys(server.config), [`sha256/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`])
  t.same(filesUnder(built.config.filesDir), [], 'FILES_DIR holds no blob and no spooled file')
  t.equal(
    (await built.db.knex('files').where({ sha256: digest }).first('storage_key')).storage_key,
    `sha256/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`,
  )
})

// Blob storage on an S3-compatible object store (AWS S3, MinIO, Ceph, Viettel/VNPT/FPT object storage): the same
// content-addressed keys as on disk, uploads spooled and hashed locally first, downloads streamed from the store.
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import type { S3Config } from '../config.js'
import { blobKey, keyFor, removeQuietly, spool, type BlobStore, type StoredBlob } from './blob.js'

type S3Module = typeof import('@aws-sdk/client-s3')

/** The SDK is large: it is loaded when the first blob is stored or read, not when motcua starts on local disk. */
let sdk: Promise<S3Module> | undefined
const loadSdk = (): Promise<S3Module> => (sdk ??= import('@aws-sdk/client-s3'))

export class S3Store implements BlobStore {
  private client?: Promise<{ s3: S3Client; sdk: S3Module }>

  /** `tmpDir`: a local directory where uploads are spooled (and hashed) before they go to the bucket. */
  constructor(
    private readonly config: S3Config,
    readonly tmpDir: string,
  ) {}

  private connect(): Promise<{ s3: S3Client; sdk: S3Module }> {
    this.client ??= loadSdk().then((sdk) => ({
      sdk,
      s3: new sdk.S3Client({
        region: this.config.region,
        forcePathStyle: this.config.forcePathStyle,
        ...(this.config.endpoint ? { endpoint: this.config.endpoint } : {}),
        ...(this.config.credentials ? { credentials: this.config.credentials } : {}),
        // The SDK's default adds CRC32 trailers (aws-chunked uploads) that many S3-compatible servers reject or
        // store verbatim; motcua sends its own SHA-256 with every upload instead.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    }))
    return this.client
  }

  async put(stream: Readable): Promise<StoredBlob> {
    const spooled = await spool(stream, this.tmpDir)
    return this.putFile(spooled.path, spooled)
  }

  /**
   * Uploads a spooled file (streamed from disk, its length known) under its SHA-256 key, with the digest for the
   * store to check; the local file is removed whatever happens. A blob already there is not uploaded again.
   */
  async putFile(path: string, known: { sha256: string; size: number }): Promise<StoredBlob> {
    const key = keyFor(known.sha256)
    try {
      if (!(await this.has(key))) {
        const { s3, sdk } = await this.connect()
        await s3.send(
          new sdk.PutObjectCommand({
            Bucket: this.config.bucket,
            Key: key,
            Body: createReadStream(path),
            ContentLength: known.size,
            ContentType: 'application/octet-stream',
            ChecksumSHA256: Buffer.from(known.sha256, 'hex').toString('base64'),
          }),
        )
      }
      return { key, sha256: known.sha256, size: known.size }
    } finally {
      await removeQuietly(path)
    }
  }

  /** The blob's bytes as a stream from the store; a missing blob fails now with ENOENT, as on disk. */
  async get(key: string): Promise<Readable> {
    const { s3, sdk } = await this.connect()
    try {
      const out = await s3.send(new sdk.GetObjectCommand({ Bucket: this.config.bucket, Key: blobKey(key) }))
      const body = out.Body
      if (body instanceof Readable) return body
      if (body && 'transformToWebStream' in body) return Readable.fromWeb(body.transformToWebStream() as never)
      throw new Error(`no body for ${key}`)
    } catch (err) {
      if (isNotFound(err)) throw Object.assign(new Error(`no blob ${key}`), { code: 'ENOENT' })
      throw err
    }
  }

  async has(key: string): Promise<boolean> {
    const { s3, sdk } = await this.connect()
    try {
      await s3.send(new sdk.HeadObjectCommand({ Bucket: this.config.bucket, Key: blobKey(key) }))
      return true
    } catch (err) {
      if (isNotFound(err)) return false
      throw err
    }
  }

  async delete(key: string): Promise<void> {
    const { s3, sdk } = await this.connect()
    await s3.send(new sdk.DeleteObjectCommand({ Bucket: this.config.bucket, Key: blobKey(key) }))
  }

  /** Closes the client's connections (tests, shutdown). */
  async close(): Promise<void> {
    if (this.client) (await this.client).s3.destroy()
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } }
  return (
    e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.Code === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404
  )
}

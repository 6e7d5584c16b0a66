// Blob storage for uploaded files: the interface, spooling a stream to a temporary file, and the local-disk store
// (the S3-compatible one is in s3-store.ts).
//
// Blobs are content-addressed (key = SHA-256 of the bytes), so storing the same document twice —
// a citizen reusing a document in a second dossier — costs nothing, and a key never changes meaning.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Transform, type Readable, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { S3Config } from '../config.js'
import { S3Store } from './s3-store.js'

export interface StoredBlob {
  key: string
  sha256: string
  size: number
}

export interface BlobStore {
  /** Stores a stream. */
  put(stream: Readable): Promise<StoredBlob>
  /** Moves an already spooled local file (from `tmpDir`) into the store; the file is consumed. */
  putFile(path: string, known: { sha256: string; size: number }): Promise<StoredBlob>
  get(key: string): Promise<Readable>
  has(key: string): Promise<boolean>
  delete(key: string): Promise<void>
  /** Where uploads are spooled before they are accepted. */
  readonly tmpDir: string
}

export interface SpooledFile {
  path: string
  sha256: string
  size: number
}

/** Thrown by `spool` when the stream goes past `maxBytes`; reading stops right there. */
export class SpoolLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`stream is larger than ${maxBytes} bytes`)
    this.name = 'SpoolLimitError'
  }
}

/**
 * Writes a stream to a new temporary file in `dir`, hashing and counting as it goes, and fsyncs it.
 * Past `maxBytes` it stops reading (the source is destroyed) and removes the file, so a huge upload
 * is never held in memory nor left on disk.
 */
export async function spool(stream: Readable, dir: string, maxBytes = Number.POSITIVE_INFINITY): Promise<SpooledFile> {
  await mkdir(dir, { recursive: true })
  const path = join(dir, `upload-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.part`)
  const hash = createHash('sha256')
  let size = 0
  const meter = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      size += chunk.length
      if (size > maxBytes) return cb(new SpoolLimitError(maxBytes))
      hash.update(chunk)
      cb(null, chunk)
    },
  })
  try {
    await pipeline(stream, meter, createWriteStream(path, { flags: 'wx', mode: 0o600 }))
    await fsync(path)
  } catch (err) {
    await removeQuietly(path)
    throw err
  }
  return { path, sha256: hash.digest('hex'), size }
}

export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
}

async function fsync(path: string): Promise<void> {
  const fh = await open(path, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

const KEY = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/

/** The key itself when it is a well-formed blob key; anything else (a path, another object) is refused. */
export function blobKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`not a blob key: ${key}`)
  return key
}

export function keyFor(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`)
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`
}

/** Files under one directory (FILES_DIR): `<root>/sha256/ab/cd/<hash>`, temporary files in `<root>/.tmp`. */
export class LocalDiskStore implements BlobStore {
  readonly tmpDir: string

  constructor(readonly root: string) {
    // Same file system as the blobs, so moving a spooled file in is an atomic rename.
    this.tmpDir = join(root, '.tmp')
  }

  async put(stream: Readable): Promise<StoredBlob> {
    const spooled = await spool(stream, this.tmpDir)
    return this.putFile(spooled.path, spooled)
  }

  async putFile(path: string, known: { sha256: string; size: number }): Promise<StoredBlob> {
    const key = keyFor(known.sha256)
    const target = this.pathOf(key)
    if (await this.has(key)) {
      // Already stored: content addressing makes the second copy unnecessary.
      await removeQuietly(path)
      return { key, sha256: known.sha256, size: known.size }
    }
    await mkdir(dirname(target), { recursive: true })
    await rename(path, target)
    // The rename is durable only once the directory entry is on disk.
    await fsync(dirname(target))
    return { key, sha256: known.sha256, size: known.size }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key)
    await stat(path) // fail now with ENOENT rather than on the first read
    return createReadStream(path)
  }

  async has(key: string): Promise<boolean> {
    return stat(this.pathOf(key)).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false
        throw err
      },
    )
  }

  async delete(key: string): Promise<void> {
    await removeQuietly(this.pathOf(key))
  }

  /** Only well-formed keys map to a path, so a key can never point outside the root. */
  private pathOf(key: string): string {
    const m = KEY.exec(blobKey(key))!
    return join(this.root, 'sha256', m[1]!, m[2]!, m[3]!)
  }
}

/** The store configured for this process: the S3 bucket when S3_BUCKET is set (spooling under FILES_DIR), else local disk under FILES_DIR. */
export function createBlobStore(config: { filesDir: string; s3?: S3Config }): BlobStore {
  return config.s3 ? new S3Store(config.s3, join(config.filesDir, '.tmp')) : new LocalDiskStore(config.filesDir)
}

// What every blob store shares: the store interface, content-addressed keys, and spooling a stream to a hashed
// temporary file.
//
// Blobs are content-addressed (key = SHA-256 of the bytes), so storing the same document twice — a citizen reusing a
// document in a second dossier — costs nothing, and a key never changes meaning.
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, open, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform, type Readable, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'

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

/** Flushes a file (or a directory's entries) to disk. */
export async function fsync(path: string): Promise<void> {
  const fh = await open(path, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

/** A blob key: `sha256/ab/cd/<the 64-digit hash>`. */
export const KEY = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/

/** The key itself when it is a well-formed blob key; anything else (a path, another object) is refused. */
export function blobKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`not a blob key: ${key}`)
  return key
}

export function keyFor(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`)
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`
}

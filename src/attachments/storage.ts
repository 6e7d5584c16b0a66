// Blob storage for uploaded files: the local-disk store, and choosing the store this process uses (the S3-compatible
// one is in s3-store.ts, what both share in blob.ts).
import { createReadStream } from 'node:fs'
import { mkdir, rename, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import type { S3Config } from '../config.js'
import { blobKey, fsync, keyFor, KEY, removeQuietly, spool, type BlobStore, type StoredBlob } from './blob.js'
import { S3Store } from './s3-store.js'

export type { BlobStore, SpooledFile, StoredBlob } from './blob.js'

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

/**
 * The store configured for this process: the S3 bucket when S3_BUCKET is set (spooling under FILES_DIR), else local
 * disk under FILES_DIR.
 */
export function createBlobStore(config: { filesDir: string; s3?: S3Config }): BlobStore {
  return config.s3 ? new S3Store(config.s3, join(config.filesDir, '.tmp')) : new LocalDiskStore(config.filesDir)
}

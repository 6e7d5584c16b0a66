// Accepting an upload: size enforced while streaming, type sniffed from the bytes, ZIP bombs refused, stored once by
// SHA-256.
import type { Readable } from 'node:stream'
import type { Knex } from 'knex'
import { AppError } from '../errors.js'
import { fileRepository, type FileRow } from './file-repository.js'
import { removeQuietly, spool, SpoolLimitError, type BlobStore, type SpooledFile } from './blob.js'
import { defaultZipLimits, labelOf, sniffFile, SuspiciousFileError, type ZipLimits } from './sniff.js'

export interface UploadLimits {
  /** Accepted MIME types (as sniffed), e.g. ['application/pdf', 'image/jpeg', 'image/png']. */
  types: string[]
  maxBytes: number
  zip?: Partial<ZipLimits>
}

export interface AcceptUploadInput {
  stream: Readable
  /** The name the client gave; kept (sanitised) for display only. */
  declaredName: string
  /** The Content-Type the client gave; informative only — the bytes decide. */
  declaredType?: string
  limits: UploadLimits
  createdBy?: string
  /**
   * Last word before the file is stored, once its bytes are read and checked (e.g. "no second part followed"): throwing
   * stores nothing.
   */
  beforeStore?: () => Promise<void>
}

export interface StoredFile {
  id: string
  sha256: string
  size: number
  mime: string
  originalName: string
  storageKey: string
  createdBy: string | null
  createdAt: Date
}

const fromRow = (r: FileRow): StoredFile => ({
  id: r.id,
  sha256: r.sha256,
  size: Number(r.size),
  mime: r.mime,
  originalName: r.original_name,
  storageKey: r.storage_key,
  createdBy: r.created_by,
  createdAt: r.created_at,
})

export class AttachmentService {
  constructor(private readonly deps: { knex: Knex; store: BlobStore }) {}

  /**
   * Checks an upload and stores it. On any refusal nothing is stored: the spooled file is removed
   * and an AppError says what was expected. Runs outside any transaction (it streams for a while;
   * embedded PGlite has a single connection): link the returned file id to a dossier afterwards.
   */
  async acceptUpload(input: AcceptUploadInput): Promise<StoredFile> {
    const { limits } = input
    let spooled: SpooledFile | undefined
    try {
      checkFileNameLength(input.declaredName)
      spooled = await spool(input.stream, this.deps.store.tmpDir, limits.maxBytes).catch((err: unknown) => {
        if (err instanceof SpoolLimitError) throw tooLarge(limits.maxBytes)
        throw err
      })
      if (spooled.size === 0) throw new AppError('MC_ERR_FILE_EMPTY')
      const mime = await sniffFile(spooled.path, spooled.size, { ...defaultZipLimits, ...limits.zip }).catch(
        (err: unknown) => {
          if (err instanceof SuspiciousFileError) throw suspicious(err.reason)
          throw err
        },
      )
      if (!limits.types.includes(mime)) throw typeNotAllowed(mime, limits.types)
      await input.beforeStore?.()
      const blob = await this.deps.store.putFile(spooled.path, spooled)
      spooled = undefined // moved into the store
      const row = await fileRepository(this.deps.knex).insert({
        sha256: blob.sha256,
        size: blob.size,
        mime,
        originalName: sanitizeFileName(input.declaredName),
        storageKey: blob.key,
        createdBy: input.createdBy ?? null,
      })
      return fromRow(row)
    } finally {
      if (spooled) await removeQuietly(spooled.path)
    }
  }

  async get(id: string): Promise<StoredFile | undefined> {
    const row = await fileRepository(this.deps.knex).byId(id)
    return row && fromRow(row)
  }

  /** The file's bytes, for download. */
  async open(file: Pick<StoredFile, 'storageKey'>): Promise<Readable> {
    return this.deps.store.get(file.storageKey)
  }
}

/** The longest file name accepted, in characters (UTF-16 code units): longer is refused, not shortened. */
export const MAX_FILE_NAME_LENGTH = 1000
/** The longest name kept for display, in bytes of UTF-8 (the extension kept). */
const MAX_STORED_NAME_BYTES = 200

/**
 * Refuses a declared file name longer than MAX_FILE_NAME_LENGTH before anything else looks at it: no file system
 * names anything that long, and cleaning a huge name is work an attacker chooses (a 30,000-character name once took
 * 28 s of CPU, blocking every other request).
 */
export function checkFileNameLength(name: string): void {
  if (name.length > MAX_FILE_NAME_LENGTH)
    throw new AppError('MC_ERR_FILE_NAME_TOO_LONG', `${name.length} characters; at most ${MAX_FILE_NAME_LENGTH}`, {
      maxLength: MAX_FILE_NAME_LENGTH,
    })
}

/**
 * Keeps what a person would recognise (Vietnamese letters included) and drops what could do harm
 * elsewhere: directories, control characters, characters Windows forbids, leading dots, excess length. Linear in the
 * name's length, and bounded: only the first MAX_FILE_NAME_LENGTH characters are read (acceptUpload refuses longer).
 */
export function sanitizeFileName(name: string): string {
  const base = name.slice(0, MAX_FILE_NAME_LENGTH).normalize('NFC').split(/[/\\]/).pop() ?? ''
  const clean = base
    // Bidirectional controls too: "gnp\u202e.exe.pdf" would display as "gnpfdp.exe." and hide its real extension.
    .replace(/[\u0000-\u001f\u007f<>:"|?*\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    // A lone surrogate (half of a pair, cut or forged) is not a character and has no UTF-8 form.
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
  return truncateUtf8(clean, MAX_STORED_NAME_BYTES) || 'tep-dinh-kem'
}

/** At most maxBytes of UTF-8, whole code points only, keeping a short extension: one pass over the name. */
function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : ''
  const budget = maxBytes - Buffer.byteLength(ext)
  let stem = ''
  let bytes = 0
  for (const ch of name.slice(0, name.length - ext.length)) {
    const size = Buffer.byteLength(ch)
    if (bytes + size > budget) break
    stem += ch
    bytes += size
  }
  return stem.trimEnd() + ext
}

const megabytes = (n: number): string => `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    'MC_ERR_FILE_TOO_LARGE',
    `maximum ${maxBytes} bytes`,
    { maxBytes },
    {
      vi: `Tệp vượt quá dung lượng cho phép (tối đa ${megabytes(maxBytes)})`,
      en: `The file is larger than allowed (at most ${megabytes(maxBytes)})`,
    },
  )
}

function typeNotAllowed(detected: string, allowed: string[]): AppError {
  const expected = allowed.map(labelOf).join(', ')
  return new AppError(
    'MC_ERR_FILE_TYPE_NOT_ALLOWED',
    `detected ${detected}; accepted: ${allowed.join(', ')}`,
    { detectedType: detected, allowedTypes: allowed },
    {
      vi: `Loại tệp không được chấp nhận: nội dung tệp là ${labelOf(detected)}, chỉ chấp nhận ${expected}`,
      en: `This type of file is not accepted: the content is ${labelOf(detected)}; accepted: ${expected}`,
    },
  )
}

function suspicious(reason: string): AppError {
  return new AppError(
    'MC_ERR_FILE_SUSPICIOUS',
    reason,
    {},
    {
      vi: 'Tệp có cấu trúc bất thường (ví dụ tệp nén có tỉ lệ nén quá lớn), nghi ngờ không an toàn nên không được chấp nhận',
      en: `The file has an abnormal structure and was refused as unsafe: ${reason}`,
    },
  )
}

// Detects a file's type from its bytes (magic numbers, ZIP contents, UTF-8 text) and checks ZIP containers for bombs.
import { open } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import yauzl from 'yauzl'

export const MIME = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  xml: 'application/xml',
  text: 'text/plain',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  docm: 'application/vnd.ms-word.document.macroEnabled.12',
  xlsm: 'application/vnd.ms-excel.sheet.macroEnabled.12',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  zip: 'application/zip',
  exe: 'application/x-msdownload',
  elf: 'application/x-executable',
  ole: 'application/x-ole-storage',
  rar: 'application/vnd.rar',
  sevenZip: 'application/x-7z-compressed',
  unknown: 'application/octet-stream',
} as const

/** How a type is named to users in messages. */
export const MIME_LABELS: Record<string, string> = {
  [MIME.pdf]: 'PDF',
  [MIME.jpeg]: 'JPEG',
  [MIME.png]: 'PNG',
  [MIME.gif]: 'GIF',
  [MIME.xml]: 'XML',
  [MIME.text]: 'TXT',
  [MIME.docx]: 'Word (DOCX)',
  [MIME.xlsx]: 'Excel (XLSX)',
  [MIME.pptx]: 'PowerPoint (PPTX)',
  [MIME.docm]: 'Word có macro (DOCM)',
  [MIME.xlsm]: 'Excel có macro (XLSM)',
  [MIME.odt]: 'ODT',
  [MIME.ods]: 'ODS',
  [MIME.zip]: 'ZIP',
  [MIME.exe]: 'EXE',
  [MIME.elf]: 'ELF',
  [MIME.ole]: 'Office 97–2003 (DOC/XLS)',
  [MIME.rar]: 'RAR',
  [MIME.sevenZip]: '7z',
  [MIME.unknown]: '?',
}

export const labelOf = (mime: string): string => MIME_LABELS[mime] ?? mime

export interface ZipLimits {
  maxEntries: number
  /** Sum of the uncompressed sizes, declared and actual. */
  maxTotalUncompressed: number
  /** Uncompressed ÷ compressed, for the whole archive and for any large entry. */
  maxRatio: number
}

export const defaultZipLimits: ZipLimits = { maxEntries: 2_000, maxTotalUncompressed: 200 * 1024 * 1024, maxRatio: 100 }

/** The container looks like an attack (zip bomb, broken or lying headers, encryption). */
export class SuspiciousFileError extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'SuspiciousFileError'
  }
}

const startsWith = (buf: Buffer, sig: number[] | string, at = 0): boolean => {
  const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig)
  return buf.length >= at + bytes.length && buf.subarray(at, at + bytes.length).equals(bytes)
}

/** The type of the file at `path`; ZIP-based files are opened (never extracted) and checked against `zipLimits`. */
export async function sniffFile(path: string, size: number, zipLimits: ZipLimits = defaultZipLimits): Promise<string> {
  const head = await readHead(path, 4096)
  if (startsWith(head, '%PDF-')) return MIME.pdf
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return MIME.png
  if (startsWith(head, [0xff, 0xd8, 0xff])) return MIME.jpeg
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return MIME.gif
  if (startsWith(head, 'PK\x03\x04') || startsWith(head, 'PK\x05\x06'))
    return classifyZip(await inspectZip(path, size, zipLimits))
  if (startsWith(head, 'MZ')) return MIME.exe
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return MIME.elf
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return MIME.ole
  if (startsWith(head, 'Rar!\x1a\x07')) return MIME.rar
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return MIME.sevenZip
  if (!(await isUtf8Text(path))) return MIME.unknown
  const start = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
  return start.startsWith('<?xml') ? MIME.xml : MIME.text
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(n)
    const { bytesRead } = await fh.read(buf, 0, n, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}

/** Valid UTF-8 throughout, without NUL or control characters other than tab, CR, LF, FF. */
async function isUtf8Text(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  try {
    for await (const chunk of createReadStream(path)) {
      const text = decoder.decode(chunk as Buffer, { stream: true })
      if (/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text)) return false
    }
    decoder.decode()
    return true
  } catch {
    return false
  }
}

export interface ZipSummary {
  names: string[]
  /** Content of the `mimetype` entry of OpenDocument files. */
  mimetype?: string
}

function classifyZip(zip: ZipSummary): string {
  if (zip.mimetype === MIME.odt || zip.mimetype === MIME.ods) return zip.mimetype
  if (zip.names.includes('[Content_Types].xml')) {
    const macros = zip.names.some((n) => n.toLowerCase().endsWith('vbaproject.bin'))
    if (zip.names.some((n) => n.startsWith('word/'))) return macros ? MIME.docm : MIME.docx
    if (zip.names.some((n) => n.startsWith('xl/'))) return macros ? MIME.xlsm : MIME.xlsx
    if (zip.names.some((n) => n.startsWith('ppt/'))) return MIME.pptx
  }
  return MIME.zip
}

/**
 * Reads a ZIP's directory and inflates every entry into a counter (nothing is written anywhere):
 * refuses too many entries, a declared or actual uncompressed total over the limit, compression
 * ratios no document has, encrypted entries, and headers that lie about sizes or names.
 */
export function inspectZip(path: string, fileSize: number, limits: ZipLimits): Promise<ZipSummary> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => reject(new SuspiciousFileError(reason))
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => {
        if (err || !zip) return fail(`not a valid ZIP container: ${err?.message ?? 'unreadable'}`)
        if (zip.entryCount > limits.maxEntries) {
          zip.close()
          return fail(`too many entries in the ZIP container (${zip.entryCount} > ${limits.maxEntries})`)
        }
        const summary: ZipSummary = { names: [] }
        let declared = 0
        let actual = 0
        let done = false
        const stop = (reason: string): void => {
          if (done) return
          done = true
          zip.close()
          fail(reason)
        }
        zip.on('error', (e: Error) => stop(`broken ZIP container: ${e.message}`))
        zip.on('end', () => {
          if (done) return
          done = true
          resolve(summary)
        })
        zip.on('entry', (entry: yauzl.Entry) => {
          if (done) return
          summary.names.push(entry.fileName)
          if (entry.isEncrypted()) return stop(`encrypted entry in the ZIP container: ${entry.fileName}`)
          declared += entry.uncompressedSize
          if (declared > limits.maxTotalUncompressed) {
            return stop(`uncompressed size over ${limits.maxTotalUncompressed} bytes (zip bomb?)`)
          }
          if (declared > 1024 * 1024 && declared / Math.max(1, fileSize) > limits.maxRatio) {
            return stop(`compression ratio over ${limits.maxRatio} (zip bomb?)`)
          }
          if (
            entry.uncompressedSize > 1024 * 1024 &&
            entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio
          ) {
            return stop(`entry ${entry.fileName} has a compression ratio over ${limits.maxRatio} (zip bomb?)`)
          }
          if (entry.fileName.endsWith('/')) return zip.readEntry()
          zip.openReadStream(entry, (e, stream) => {
            if (e || !stream) return stop(`unreadable entry ${entry.fileName}: ${e?.message ?? ''}`)
            const keep = entry.fileName === 'mimetype' ? ([] as Buffer[]) : undefined
            let kept = 0
            stream.on('data', (chunk: Buffer) => {
              actual += chunk.length
              if (keep && kept < 256) {
                keep.push(chunk)
                kept += chunk.length
              }
              // The declared sizes may lie; the bytes actually inflated may not pass the limit either.
              if (actual > limits.maxTotalUncompressed) {
                stream.destroy()
                stop(`uncompressed size over ${limits.maxTotalUncompressed} bytes (zip bomb?)`)
              }
            })
            stream.on('error', (se: Error) => stop(`broken entry ${entry.fileName}: ${se.message}`))
            stream.on('end', () => {
              if (keep) summary.mimetype = Buffer.concat(keep).toString('latin1').trim()
              if (!done) zip.readEntry()
            })
          })
        })
        zip.readEntry()
      },
    )
  })
}

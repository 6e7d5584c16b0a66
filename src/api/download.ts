// A stored file sent as a download: its type, length and name, never sniffed by the browser, never cached.
import type { FastifyReply } from 'fastify'
import type { Readable } from 'node:stream'

/** RFC 6266 filename*: the stored (sanitised) name, UTF-8, plus an ASCII fallback. */
function contentDisposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

export function sendDownload(
  reply: FastifyReply,
  file: { type: string; size: number | string; name: string; stream: Readable },
): FastifyReply {
  return reply
    .header('content-type', file.type)
    .header('content-length', String(file.size))
    .header('content-disposition', contentDisposition(file.name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.stream)
}

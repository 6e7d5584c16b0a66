// Uploads one file with progress: fetch cannot report upload progress, so this is XMLHttpRequest with the session's
// bearer token (one silent retry is not attempted: a refused token shows as the server's problem).
import { ApiError, getSession, type Problem } from '../api.js'

export function uploadWithProgress<T>(path: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    const token = getSession()?.accessToken
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`)
    xhr.setRequestHeader('accept', 'application/json, application/problem+json')
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      let body: unknown
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = undefined
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1)
        resolve(body as T)
        return
      }
      const p = body as Partial<Problem> | undefined
      reject(
        new ApiError(
          p?.code && p.message
            ? ({ status: xhr.status, title: p.title ?? '', ...p } as Problem)
            : {
                status: xhr.status,
                code: 'MC_ERR_HTTP',
                title: xhr.statusText,
                message: { vi: `Máy chủ trả lời lỗi ${xhr.status}.`, en: `The server answered ${xhr.status}.` },
              },
        ),
      )
    }
    xhr.onerror = () =>
      reject(
        new ApiError({
          status: 0,
          code: 'MC_ERR_NETWORK',
          title: 'Network error',
          message: {
            vi: 'Không kết nối được máy chủ. Vui lòng thử lại.',
            en: 'Could not reach the server. Please try again.',
          },
        }),
      )
    const body = new FormData()
    body.append('file', file)
    xhr.send(body)
  })
}

/** "2,4 MB" */
export function fileSize(bytes: number, lang: 'vi' | 'en'): string {
  const mb = bytes / (1024 * 1024)
  const fmt = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 })
  return mb >= 0.1 ? `${fmt.format(mb)} MB` : `${fmt.format(bytes / 1024)} KB`
}

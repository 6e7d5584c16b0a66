// The ALTCHA bot check in a form: the widget fetches a challenge from our server and solves it in the browser (no
// third-party service), in the page's language; the form gets the payload once it is verified.
import { useEffect, useRef } from 'react'
import 'altcha'
import 'altcha/i18n/vi'
import type {} from 'altcha/types/react'
import { useLang } from '../i18n.js'

interface Widget extends HTMLElement {
  reset?(): void
}

/**
 * Calls `onPayload` with the solved payload (null while unsolved). Change `resetKey` to start over: a payload works
 * once, so a form asks again after a refusal.
 */
export function AltchaField({ onPayload, resetKey }: { onPayload(payload: string | null): void; resetKey: number }) {
  const { tr, lang } = useLang()
  const ref = useRef<Widget>(null)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const onState = (e: Event) => {
      const d = (e as CustomEvent<{ state: string; payload?: string }>).detail
      onPayload(d.state === 'verified' && d.payload ? d.payload : null)
    }
    el.addEventListener('statechange', onState)
    return () => el.removeEventListener('statechange', onState)
  }, [onPayload])
  useEffect(() => {
    if (resetKey > 0) {
      ref.current?.reset?.()
      onPayload(null)
    }
  }, [resetKey, onPayload])
  return (
    <div className="altcha-field">
      <p id="altcha-help" className="muted small">
        {tr(
          'Đánh dấu ô dưới đây để xác nhận bạn không phải máy tự động. Trình duyệt giải một phép tính nhỏ trong giây lát; không có dữ liệu nào gửi cho bên thứ ba.',
          'Tick the box below to confirm you are not an automated program. Your browser solves a small computation in a moment; nothing is sent to a third party.',
        )}
      </p>
      <altcha-widget
        ref={ref}
        challenge="/api/auth/altcha-challenge"
        language={lang}
        name="altcha"
        aria-describedby="altcha-help"
      />
    </div>
  )
}

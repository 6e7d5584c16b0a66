// The one date input of the app: always dd/mm/yyyy (and the month pickers mm/yyyy after "Tháng"), whatever language
// the browser runs in. A native <input type="date"> follows the browser's locale: mm/dd/yyyy and "December 2026" in an
// English browser, and typing 25112026 there fills the wrong parts. Values in and out stay ISO (2026-11-25, 2026-11).
import { useEffect, useState, type InputHTMLAttributes } from 'react'

/** The digits typed, with the slashes put in as they come (25112026 → 25/11/2026); a text typed with its own slashes
 * elsewhere (1/2/2026) is left as typed. `parts`: 3 for a date, 2 for a month. */
export function shapeTyped(raw: string, parts: 2 | 3): string {
  const iso = parts === 3 ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw) : /^(\d{4})-(\d{2})$/.exec(raw)
  // A pasted ISO value (2026-11-25) reads as the app writes it.
  if (iso) return parts === 3 ? `${iso[3]}/${iso[2]}/${iso[1]}` : `${iso[2]}/${iso[1]}`
  const kept = raw.replace(/[^\d/]/g, '')
  const slashes = [...kept].flatMap((c, i) => (c === '/' ? [i] : []))
  const autoSlashes = parts === 3 ? [2, 5] : [2]
  if (!slashes.every((i) => autoSlashes.includes(i))) return kept.slice(0, parts === 3 ? 10 : 7)
  const digits = kept.replace(/\//g, '').slice(0, parts === 3 ? 8 : 6)
  const cut = parts === 3 ? [2, 4] : [2]
  let out = ''
  for (let i = 0; i < digits.length; i++) out += (cut.includes(i) ? '/' : '') + digits[i]
  return out
}

/** dd/mm/yyyy (day and month may be one digit) as ISO, or undefined when it is not a date of the calendar. */
export function isoDate(text: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim())
  if (!m) return undefined
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined
  return `${m[3]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** mm/yyyy as ISO (2026-11), or undefined. */
export function isoMonth(text: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{4})$/.exec(text.trim())
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) return undefined
  return `${m[2]}-${m[1]!.padStart(2, '0')}`
}

/** ISO as shown: 2026-11-25 → 25/11/2026, 2026-11 → 11/2026; anything else as it is (a half-typed value). */
export function shown(iso: string): string {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (d) return `${d[3]}/${d[2]}/${d[1]}`
  const m = /^(\d{4})-(\d{2})$/.exec(iso)
  return m ? `${m[2]}/${m[1]}` : iso
}

type Native = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'>

export interface DateInputProps extends Native {
  /** ISO (2026-11-25, or 2026-11 for a month), '' when empty. */
  value: string
  /** The ISO value once the text is a whole valid date, else ''; `text` is what stands in the box. */
  onValue(iso: string, text: string): void
  month?: boolean
}

/** A text box for dd/mm/yyyy (mm/yyyy with `month`): digits only on phones, slashes put in, ISO in and out. */
export function DateInput({ value, onValue, month, onBlur, ...rest }: DateInputProps) {
  const parts = month ? 2 : 3
  const toIso = month ? isoMonth : isoDate
  const [text, setText] = useState(() => shown(value))
  // A value set from outside (a reset, another control) replaces the text, unless it is what the text already says.
  useEffect(() => {
    setText((t) => (toIso(t) === value || (value === '' && !toIso(t)) ? t : shown(value)))
  }, [value, toIso])
  return (
    <input
      {...rest}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={rest.placeholder ?? (month ? 'mm/yyyy' : 'dd/mm/yyyy')}
      maxLength={month ? 7 : 10}
      value={text}
      onChange={(e) => {
        const next = shapeTyped(e.target.value, parts)
        setText(next)
        onValue(toIso(next) ?? '', next)
      }}
      onBlur={(e) => {
        // A whole date reads back in its full form: 1/2/2026 → 01/02/2026.
        const iso = toIso(text)
        if (iso) setText(shown(iso))
        onBlur?.(e)
      }}
    />
  )
}

// Vietnamese first, English on a switch: components write both texts side by side with tr(vi, en),
// so no shared dictionary file stands between the screens. The choice is remembered per browser.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'

export type Lang = 'vi' | 'en'

interface LangContextValue {
  lang: Lang
  setLang(lang: Lang): void
  tr(vi: string, en: string): string
  /** A bilingual message object as the API sends it. */
  msg(m: { vi: string; en: string } | undefined): string
  date(value: string | Date | null | undefined): string
  dateTime(value: string | Date | null | undefined): string
  number(value: number): string
}

const LangContext = createContext<LangContextValue | null>(null)
const storageKey = 'motcua.lang'
const timeZone = 'Asia/Ho_Chi_Minh'

function initialLang(): Lang {
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'vi'
  } catch {
    return 'vi'
  }
}

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang)
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  const setLang = useCallback((next: Lang) => {
    setLangState(next)
    try {
      localStorage.setItem(storageKey, next)
    } catch {
      /* private mode: the choice lasts for the page */
    }
  }, [])
  const value = useMemo<LangContextValue>(() => {
    const locale = lang === 'vi' ? 'vi-VN' : 'en-GB'
    const fmt = (opts: Intl.DateTimeFormatOptions) => (v: string | Date | null | undefined) =>
      v ? new Intl.DateTimeFormat(locale, { timeZone, ...opts }).format(new Date(v)) : '—'
    return {
      lang,
      setLang,
      tr: (vi, en) => (lang === 'vi' ? vi : en),
      msg: (m) => (m ? m[lang] : ''),
      date: fmt({ day: '2-digit', month: '2-digit', year: 'numeric' }),
      dateTime: fmt({ day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
      number: (n) => new Intl.NumberFormat(locale).format(n),
    }
  }, [lang, setLang])
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>
}

export function useLang(): LangContextValue {
  const value = useContext(LangContext)
  if (!value) throw new Error('useLang outside LangProvider')
  return value
}

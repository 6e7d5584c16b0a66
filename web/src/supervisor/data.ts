// The supervision API as the dashboard reads it: response types, periods, and small number formats.
import type { Counts06a } from '../../../src/domain/statistics/report-06a.js'
import type {
  Indicators766,
  Ratio as ServerRatio,
  ScoredRatio as ServerScoredRatio,
} from '../../../src/domain/statistics/indicators-766.js'
import type { Candidate, SubtreeUnit, SupervisionDirectory } from '../../../src/supervision/directory.js'
import type { UnitView } from '../../../src/supervision/repository.js'
import type { OverdueItem as ServerOverdueItem, SupervisionService } from '../../../src/supervision/service.js'

export type { Counts06a }

/** What a server type looks like once sent as JSON: dates become strings. */
type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T
type Answer<F extends (...args: never[]) => Promise<unknown>> = Json<Awaited<ReturnType<F>>>

export type { SubtreeUnit, UnitView }
export type OverdueItem = Json<ServerOverdueItem>
export type Officer = Candidate
export type Bottleneck = Answer<SupervisionService['bottlenecks']>[number]
export type HeatElement = Answer<SupervisionService['heatmap']>[number]
export type HandlingUnitFigures = Answer<SupervisionService['handlingUnits']>[number]
export type ProcessSummary = Answer<SupervisionDirectory['processes']>[number]
export type ProcessDiagram = Answer<SupervisionDirectory['process']>

export interface PeriodJson {
  from: string
  to: string
  label: string
}

export interface Report06a {
  unit: string
  period: PeriodJson
  rows: (Counts06a & { no: number; field: string })[]
  total: Counts06a
}

export type Ratio = Json<ServerRatio>
export type ScoredRatio = Json<ServerScoredRatio>
export type DossierRef = Ratio['dossiers']['numerator'][number]
export type Indicators = Omit<Json<Indicators766>, 'period'> & { unit: string; period: PeriodJson }

/** One way of naming a report period, as the API's query takes it. */
export type PeriodQuery = { month: string } | { quarter: string } | { year: number } | { from: string; to: string }

const zone = 'Asia/Ho_Chi_Minh'

/** Today's civil date in the business time zone, YYYY-MM-DD. */
export function today(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  )
}

export function currentMonth(now = new Date()): string {
  return today(now).slice(0, 7)
}

/** The `count` months ending with `last` (YYYY-MM), oldest first. */
export function monthsEndingWith(last: string, count: number): string[] {
  const [y, m] = last.split('-').map(Number) as [number, number]
  const out: string[] = []
  for (let i = count - 1; i >= 0; i--) {
    const idx = y * 12 + (m - 1) - i
    out.push(`${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`)
  }
  return out
}

/** A share in [0, 1] as a percentage with one decimal, or a dash. */
export function percent(value: number | null | undefined, number: (n: number) => string): string {
  if (value === null || value === undefined) return '—'
  return `${number(Math.round(value * 1000) / 10)} %`
}

export function hours(value: number | null | undefined, number: (n: number) => string): string {
  if (value === null || value === undefined) return '—'
  // Steps finished within minutes would otherwise read as "0 hours".
  if (value > 0 && value < 0.05) return `< ${number(0.1)}`
  return number(Math.round(value * 10) / 10)
}

/** The name of the unit at a materialised path (the step's receiving unit), when it is in my subtree. */
export function unitAt(units: SubtreeUnit[] | undefined, path: string | null, lang: 'vi' | 'en'): string | null {
  if (!path) return null
  const u = units?.find((x) => x.path === path)
  if (u) return lang === 'en' && u.nameEn ? u.nameEn : u.name
  return path.split('/').filter(Boolean).pop() ?? null
}

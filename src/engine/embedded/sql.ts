// Round-trip savers for engine steps: statements with their values inlined as literals, so several can
// travel in one simple-protocol message (BEGIN with the first read, the write with COMMIT).
import type { Knex } from 'knex'

type Literal = string | number | boolean | null | Date | readonly Literal[]

/** A dollar-quoted literal whose tag cannot occur in the text, so no escaping is needed. */
function dollarQuote(text: string): string {
  let tag = '$m$'
  for (let n = 0; text.includes(tag); n++) tag = `$m${n}$`
  return `${tag}${text}${tag}`
}

export function literal(v: Literal): string {
  if (v === null || v === undefined) return 'NULL'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`)
    return String(v)
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
  if (v instanceof Date) return dollarQuote(v.toISOString())
  if (Array.isArray(v)) return v.length === 0 ? "'{}'" : `ARRAY[${v.map(literal).join(', ')}]`
  return dollarQuote(String(v))
}

/** Replaces each `?` placeholder with the literal of its value. */
export function inline(sql: string, values: readonly unknown[]): string {
  let i = 0
  const out = sql.replace(/\?/g, () => {
    if (i >= values.length) throw new Error('more placeholders than values')
    return literal(values[i++] as Literal)
  })
  if (i !== values.length) throw new Error('more values than placeholders')
  return out
}

/** Result rows as the pg driver returns them (untyped: each caller names the shape it reads). */
export type Rows = any[] // eslint-disable-line @typescript-eslint/no-explicit-any

/** The raw pg client behind a knex pool connection (simple-protocol multi-statement queries). */
export interface RawConnection {
  query(text: string): Promise<{ rows: Rows } | Array<{ rows: Rows }>>
}

export async function acquire(knex: Knex): Promise<RawConnection> {
  return (await (knex.client as { acquireConnection(): Promise<RawConnection> }).acquireConnection()) as RawConnection
}

export function release(knex: Knex, conn: RawConnection): void {
  ;(knex.client as { releaseConnection(c: RawConnection): void }).releaseConnection(conn)
}

/** Rows of the last statement of a (possibly multi-statement) simple query. */
export function lastRows(result: { rows: Rows } | Array<{ rows: Rows }>): Rows {
  return Array.isArray(result) ? result[result.length - 1]!.rows : result.rows
}

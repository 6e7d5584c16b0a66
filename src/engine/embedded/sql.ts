// Round-trip savers for engine steps: statements with their values inlined as literals, so several can
// travel in one simple-protocol message (BEGIN with the first read, the write with COMMIT; or a whole
// transaction in one message through knex's public raw()).
import type { Knex } from 'knex'
import type { ConnectionSource } from '../../db/database.js'

type Literal = string | number | boolean | null | Date | readonly Literal[]

/** A dollar-quoted literal whose tag cannot occur in the text, so no escaping is needed. */
function dollarQuote(text: string): string {
  let tag = '$m$'
  for (let n = 0; text.includes(tag); n++) tag = `$m${n}$`
  return `${tag}${text}${tag}`
}

/**
 * The SQL literal of a value. `noQuestionMarks`: text for knex.raw, which takes every `?` for a
 * placeholder (even inside a literal, and a `\\?` escape loses its backslash), so a `?` in a string
 * is spelt chr(63) — the literal is then a text expression, which every such string here is anyway.
 */
export function literal(v: Literal, noQuestionMarks = false): string {
  if (v === null || v === undefined) return 'NULL'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`)
    return String(v)
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
  if (v instanceof Date) return dollarQuote(v.toISOString())
  if (Array.isArray(v))
    return v.length === 0 ? "'{}'" : `ARRAY[${v.map((x) => literal(x, noQuestionMarks)).join(', ')}]`
  const text = String(v)
  if (noQuestionMarks && text.includes('?')) return `(${text.split('?').map(dollarQuote).join(' || chr(63) || ')})`
  return dollarQuote(text)
}

/** Replaces each `?` placeholder with the literal of its value (see literal for `noQuestionMarks`). */
export function inline(sql: string, values: readonly unknown[], noQuestionMarks = false): string {
  let i = 0
  const out = sql.replace(/\?/g, () => {
    if (i >= values.length) throw new Error('more placeholders than values')
    return literal(values[i++] as Literal, noQuestionMarks)
  })
  if (i !== values.length) throw new Error('more values than placeholders')
  return out
}

/** Result rows as the pg driver returns them (untyped: each caller names the shape it reads). */
export type Rows = any[] // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A connection a step holds across its messages (BEGIN travels with the first read, COMMIT with the write): the
 * documented way to hold one through knex, knex.transaction(), sends BEGIN and COMMIT as messages of their own
 * (knex/lib/dialects/postgres/execution/pg-transaction.js), two more round trips per step. So the step takes a client
 * from the pg.Pool knex itself runs on (src/db/database.ts) and sends simple-protocol multi-statement queries.
 */
export interface RawConnection {
  query(text: string): Promise<{ rows: Rows } | Array<{ rows: Rows }>>
  release(): void
}

export async function acquire(pool: ConnectionSource): Promise<RawConnection> {
  return (await pool.connect()) as RawConnection
}

/** Rows of the last statement of a (possibly multi-statement) simple query. */
export function lastRows(result: { rows: Rows } | Array<{ rows: Rows }>): Rows {
  return Array.isArray(result) ? result[result.length - 1]!.rows : result.rows
}

/**
 * Runs statements (inlined with `noQuestionMarks`) as one simple-protocol message on a pool connection,
 * through knex's public raw(): PostgreSQL runs the statements of one message as one implicit
 * transaction — committed at the end, rolled back whole on an error, never left open on the connection.
 * Returns each statement's rows.
 */
export async function oneMessage(knex: Knex, statements: string[]): Promise<Rows[]> {
  const result = (await knex.raw(statements.join(';\n'))) as { rows: Rows } | Array<{ rows: Rows }>
  return Array.isArray(result) ? result.map((r) => r.rows) : [result.rows]
}

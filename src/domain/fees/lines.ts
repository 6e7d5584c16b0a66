// The fee lines of a dossier: each published fee at its amount for the channel the dossier came by (a lower amount
// online, where the fee schedule sets one), times the number of copies or units the applicant asked for when the fee
// is per unit; a fee tied to a result delivery (postage) only when the applicant chose that delivery. A fee whose
// amount is set locally and not known here counts 0 and makes the total "not known".
export interface FeeRule {
  name: string
  kind?: 'phi' | 'le-phi'
  /** null: set locally and not known here. */
  amountVnd: number | null
  /** The amount for an online submission, where the fee schedule sets a lower one. */
  onlineAmountVnd?: number
  /** A form field holding how many units are asked for (copies …): the amount is per unit. */
  perField?: string
  /** Charged only for this result delivery (postage for 'post'). */
  delivery?: 'online' | 'counter' | 'post'
}

export interface FeeLine {
  name: string
  kind: 'phi' | 'le-phi'
  unitVnd: number
  quantity: number
  amountVnd: number
}

export interface FeeBill {
  lines: FeeLine[]
  totalVnd: number
  /** False when a fee's amount is set locally and not known here (counted 0). */
  known: boolean
}

/** The most units a per-unit fee counts: a form field beyond this is a typing error, not an order. */
export const maxFeeUnits = 100

export function feeBill(
  fees: FeeRule[],
  dossier: {
    channel: 'online' | 'counter'
    formData: Record<string, unknown>
    deliveryMethod?: 'online' | 'counter' | 'post'
  },
): FeeBill {
  const charged = fees.filter((fee) => fee.delivery === undefined || fee.delivery === dossier.deliveryMethod)
  const lines = charged.map((fee): FeeLine => {
    const unitVnd = (dossier.channel === 'online' ? fee.onlineAmountVnd : undefined) ?? fee.amountVnd ?? 0
    const asked = fee.perField === undefined ? 1 : Number(dossier.formData[fee.perField])
    const quantity = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, maxFeeUnits) : 1
    return { name: fee.name, kind: fee.kind ?? 'le-phi', unitVnd, quantity, amountVnd: unitVnd * quantity }
  })
  return {
    lines,
    totalVnd: lines.reduce((sum, l) => sum + l.amountVnd, 0),
    known: charged.every((f) => typeof f.amountVnd === 'number'),
  }
}

/** The largest amount a fee line or a decision's total may be: far above any phí or lệ phí, below a typing slip. */
const maxFeeVnd = 1_000_000_000

/**
 * The fee a DMN decision gave (the business rule task's result variable `fee`, docs/payments.md): `{lines, totalVnd}`
 * with each line's name, kind, unit amount, quantity and amount. A result that is not that shape, or whose sums do
 * not add up, is an error in the table, named so the incident says what to fix; it is never charged.
 */
export function feeBillFromDecision(value: unknown): { ok: true; bill: FeeBill } | { ok: false; reason: string } {
  const fail = (reason: string) => ({ ok: false as const, reason: `The fee decision's result ${reason}` })
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('is not a context {lines, totalVnd}')
  const { lines, totalVnd } = value as { lines?: unknown; totalVnd?: unknown }
  if (!Array.isArray(lines)) return fail('has no list "lines"')
  const amount = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= maxFeeVnd
  const out: FeeLine[] = []
  for (const [i, raw] of lines.entries()) {
    const l = (raw ?? {}) as Partial<Record<keyof FeeLine, unknown>>
    if (typeof l.name !== 'string' || l.name.trim() === '' || l.name.length > 300)
      return fail(`line ${i + 1} has no name`)
    const kind = l.kind ?? 'le-phi'
    if (kind !== 'phi' && kind !== 'le-phi') return fail(`line ${i + 1} has kind "${String(kind)}" (phi or le-phi)`)
    const quantity = l.quantity ?? 1
    if (!amount(l.unitVnd) || !amount(l.amountVnd)) return fail(`line ${i + 1} has an amount that is not whole đồng`)
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > maxFeeUnits)
      return fail(`line ${i + 1} has a quantity that is not 1 to ${maxFeeUnits}`)
    if ((l.unitVnd as number) * quantity !== l.amountVnd)
      return fail(`line ${i + 1}: ${String(l.unitVnd)} × ${quantity} is not ${String(l.amountVnd)}`)
    out.push({ name: l.name, kind, unitVnd: l.unitVnd as number, quantity, amountVnd: l.amountVnd as number })
  }
  const sum = out.reduce((s, l) => s + l.amountVnd, 0)
  if (totalVnd !== sum) return fail(`has totalVnd ${String(totalVnd)}, but its lines add up to ${sum}`)
  return { ok: true, bill: { lines: out, totalVnd: sum, known: true } }
}

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

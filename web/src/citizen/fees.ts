// What a procedure costs, as the catalogue and the procedure page say it: the procedure's own fees (those without a
// condition: a late-registration fee or a fee for optional copies is not what the procedure costs), per channel where
// the fee schedule sets a different amount online.
import type { Fee } from './types.js'

export type Channel = 'online' | 'counter'

/** One channel's amount: null when a fee is set by the provincial council and not published here. */
export interface ChannelAmount {
  amountVnd: number | null
  /** The amount is per copy (or other unit) asked for. */
  perUnit: boolean
}

export type FeeSummary =
  | { kind: 'none' }
  | { kind: 'same'; amount: ChannelAmount }
  | { kind: 'byChannel'; online: ChannelAmount; counter: ChannelAmount }

/** The fee's amount by that channel (the online amount where the schedule sets one). */
export function amountBy(fee: Fee, channel: Channel): number | null {
  return channel === 'online' && fee.onlineAmountVnd !== undefined ? fee.onlineAmountVnd : fee.amountVnd
}

function channelAmount(fees: Fee[], channel: Channel): ChannelAmount {
  const amounts = fees.map((f) => amountBy(f, channel))
  return {
    amountVnd: amounts.some((a) => a === null) ? null : amounts.reduce<number>((sum, a) => sum + (a ?? 0), 0),
    perUnit: fees.some((f) => f.perField !== undefined && amountBy(f, channel) !== 0),
  }
}

export function feeSummary(fees: Fee[] | undefined): FeeSummary {
  const own = (fees ?? []).filter((f) => !f.condition)
  if (own.length === 0) return { kind: 'none' }
  const online = channelAmount(own, 'online')
  const counter = channelAmount(own, 'counter')
  return online.amountVnd === counter.amountVnd && online.perUnit === counter.perUnit
    ? { kind: 'same', amount: counter }
    : { kind: 'byChannel', online, counter }
}

// The heatmap's colour scale: mean dwell hours in five buckets, shared by the diagram, its legend and its table.
import type { HeatElement } from './data.js'

export type { HeatElement }

/** Upper bounds (hours, exclusive) of buckets 0–3; bucket 4 is everything longer. 8 hours = one working day. */
export const bucketBounds = [1, 4, 8, 24] as const

export function dwellBucket(meanHours: number | null): number | null {
  if (meanHours === null) return null
  const i = bucketBounds.findIndex((b) => meanHours < b)
  return i === -1 ? bucketBounds.length : i
}

/** Bilingual label of each bucket, e.g. "1–4 giờ". */
export function bucketLabels(tr: (vi: string, en: string) => string): string[] {
  const h = (n: number) => tr(`${n} giờ`, `${n} h`)
  return [
    tr(`dưới ${h(bucketBounds[0])}`, `under ${h(bucketBounds[0])}`),
    `${bucketBounds[0]}–${h(bucketBounds[1])}`,
    `${bucketBounds[1]}–${h(bucketBounds[2])}`,
    `${bucketBounds[2]}–${h(bucketBounds[3])}`,
    tr(`từ ${h(bucketBounds[3])} trở lên`, `${h(bucketBounds[3])} or more`),
  ]
}

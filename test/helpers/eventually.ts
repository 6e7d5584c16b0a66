// The one polling helper of the tests: waits until a probe returns something, because the engine, the workers,
// the read model and the outbox all move asynchronously.

/** What a probe resolves to once it has found something. */
type Found<P> = Exclude<Awaited<P>, undefined | null | false | 0 | ''>

/**
 * A deadline exists only to name what a hung test was waiting for, before tap's per-file timeout says less. On a
 * busy machine (CI runs two test files at once beside browsers and PostgreSQL) a job that takes 50 ms when quiet can
 * take tens of seconds, so no wait gives up before this.
 */
const minimumWaitMs = 60_000

/**
 * Calls `probe` every `intervalMs` until it returns a truthy value and resolves with that value; fails after
 * `timeoutMs` (at least a minute) with an error naming `what` was awaited.
 */
export async function eventually<P>(
  what: string,
  probe: () => P,
  timeoutMs = 120_000,
  intervalMs = 50,
): Promise<Found<P>> {
  const limitMs = Math.max(timeoutMs, minimumWaitMs)
  const end = Date.now() + limitMs
  for (;;) {
    const value = await probe()
    if (value) return value as Found<P>
    if (Date.now() > end) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

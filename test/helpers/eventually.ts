// The one polling helper of the tests: waits until a probe returns something, because the engine, the workers,
// the read model and the outbox all move asynchronously.

/** What a probe resolves to once it has found something. */
type Found<P> = Exclude<Awaited<P>, undefined | null | false | 0 | ''>

/**
 * Calls `probe` every `intervalMs` until it returns a truthy value and resolves with that value; fails after
 * `timeoutMs` with an error naming `what` was awaited.
 */
export async function eventually<P>(
  what: string,
  probe: () => P,
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<Found<P>> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value as Found<P>
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

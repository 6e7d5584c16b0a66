// Specification of the one background loop (src/lib/poller.ts): rounds on an interval, batches, wake-ups, back-off,
// lease and stop; time is driven by hand.
import t from 'tap'
import { Poller, backoffMs, type PollerTimers } from '../src/lib/poller.js'

/** Timers that only fire when the test says so; `waits` lists every wait the poller asked for. */
function manualTimers() {
  const pending = new Map<number, { run: () => void; ms: number }>()
  const waits: number[] = []
  let next = 1
  const timers: PollerTimers = {
    set(run, ms) {
      waits.push(ms)
      pending.set(next, { run, ms })
      return next++
    },
    clear: (handle) => void pending.delete(handle as number),
  }
  return {
    timers,
    waits,
    pending,
    /** Lets the one pending wait run out. */
    fire() {
      const [id, timer] = [...pending][0]!
      pending.delete(id)
      timer.run()
    },
  }
}

/** A round the test ends by hand, counting how many run at once. */
function gatedRounds(result: () => number | Promise<number> = () => 0) {
  const gates: Array<() => void> = []
  let active = 0
  const state = { started: 0, finished: 0, maxActive: 0 }
  const round = async (): Promise<number> => {
    state.started++
    active++
    state.maxActive = Math.max(state.maxActive, active)
    await new Promise<void>((resolve) => gates.push(resolve))
    active--
    state.finished++
    return result()
  }
  return { round, state, open: () => gates.shift()!() }
}

/** Lets the poller's promise callbacks run: one turn of the event loop, no clock involved. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

t.test('given a started poller, then it runs a round at once and the next after the interval', async (t) => {
  const clock = manualTimers()
  let rounds = 0
  const poller = new Poller({ intervalMs: 100, timers: clock.timers, round: async () => void rounds++ })
  poller.start()
  await settle()
  t.equal(rounds, 1, 'the first round runs at start')
  t.same(clock.waits, [100])
  clock.fire()
  await settle()
  t.equal(rounds, 2, 'the second after the interval')
  await poller.stop()
  t.equal(clock.pending.size, 0, 'nothing is scheduled after stop')
})

t.test('given an idle poller, when it is woken, then the round runs at once instead of after the wait', async (t) => {
  const clock = manualTimers()
  let rounds = 0
  const poller = new Poller({ intervalMs: 60_000, timers: clock.timers, round: async () => void rounds++ })
  poller.start()
  await settle()
  poller.wake()
  await settle()
  t.equal(rounds, 2)
  t.equal(clock.pending.size, 1, 'the old wait was cancelled, one new wait is pending')
  await poller.stop()
  poller.wake()
  await settle()
  t.equal(rounds, 2, 'a stopped poller ignores wake-ups')
})

t.test(
  'given a round in flight, when woken several times, then one more round runs after it, never two at once',
  async (t) => {
    const clock = manualTimers()
    const gated = gatedRounds()
    const poller = new Poller({ intervalMs: 60_000, timers: clock.timers, round: gated.round })
    poller.start()
    await settle()
    poller.wake()
    poller.wake()
    poller.start()
    await settle()
    t.equal(gated.state.started, 1, 'no second round while the first is in flight')
    gated.open()
    await settle()
    t.equal(gated.state.started, 2, 'the wake-ups ask for exactly one more round')
    gated.open()
    await settle()
    t.equal(gated.state.started, 2, 'then the poller waits for the interval')
    t.equal(gated.state.maxActive, 1)
    await poller.stop()
  },
)

t.test('given rounds that handle a full batch, then the next runs at once until a round finds less', async (t) => {
  const clock = manualTimers()
  const sizes = [10, 10, 3]
  let rounds = 0
  const poller = new Poller({
    intervalMs: 100,
    batchSize: 10,
    timers: clock.timers,
    round: async () => (rounds++, sizes.shift() ?? 0),
  })
  poller.start()
  await settle()
  t.equal(rounds, 3, 'two full batches and the partial one, without waiting')
  t.same(clock.waits, [100], 'the wait comes after the partial batch')
  await poller.stop()
})

t.test('given failing rounds, then the wait doubles up to the cap, and a success resets it', async (t) => {
  const clock = manualTimers()
  const errors: unknown[] = []
  let failing = 5
  const poller = new Poller({
    intervalMs: 100,
    maxBackoffMs: 500,
    timers: clock.timers,
    onError: (err) => errors.push(err),
    round: async () => {
      if (failing-- > 0) throw new Error('database unreachable')
    },
  })
  poller.start()
  for (let i = 0; i < 6; i++) {
    await settle()
    clock.fire()
  }
  await settle()
  t.same(clock.waits, [100, 200, 400, 500, 500, 100, 100])
  t.equal(errors.length, 5, 'each failure is reported')
  t.match(String(errors[0]), /database unreachable/)
  await poller.stop()
  t.equal(backoffMs(3, 5_000), 20_000, 'by default the wait doubles from the interval…')
  t.equal(backoffMs(10, 5_000), 30_000, '…up to 30 s')
  t.equal(backoffMs(4, 3_600_000), 3_600_000, 'and never below the interval')
})

t.test(
  'given a round in flight, when stopped, then stop resolves only after the round and the lease release',
  async (t) => {
    const clock = manualTimers()
    const gated = gatedRounds()
    const order: string[] = []
    const poller = new Poller({
      intervalMs: 100,
      timers: clock.timers,
      round: async () => {
        await gated.round()
        order.push('round ended')
      },
      lease: { acquire: async () => 'held', release: async () => void order.push('lease released') },
    })
    poller.start()
    await settle()
    let stopped = false
    const stopping = poller.stop().then(() => {
      stopped = true
      order.push('stop resolved')
    })
    await settle()
    t.notOk(stopped, 'stop waits while the round is in flight')
    gated.open()
    await stopping
    t.same(order, ['round ended', 'lease released', 'stop resolved'])
    t.equal(clock.pending.size, 0, 'and no further round is scheduled')
    t.equal(gated.state.started, 1)
  },
)

t.test(
  'given a lease held elsewhere, then the round is skipped until the lease is taken, and gets what it holds',
  async (t) => {
    const clock = manualTimers()
    const holders = [undefined, 41]
    const seen: number[] = []
    const poller = new Poller<number>({
      intervalMs: 100,
      timers: clock.timers,
      lease: { acquire: async () => holders.shift(), release: async () => undefined },
      round: async (cursor) => void seen.push(cursor),
    })
    poller.start()
    await settle()
    t.same(seen, [], 'no round without the lease')
    t.same(clock.waits, [100], 'tried again after the interval, not as a failure')
    clock.fire()
    await settle()
    t.same(seen, [41], 'the round gets what the lease returned')
    await poller.stop()
  },
)

t.test('given a round that names its own wait, then that wait replaces the interval', async (t) => {
  const clock = manualTimers()
  const answers = [{ waitMs: 0 }, { waitMs: 0 }, { waitMs: 7 }]
  let rounds = 0
  const poller = new Poller({
    intervalMs: 100,
    timers: clock.timers,
    round: async () => (rounds++, answers.shift() ?? { waitMs: 100 }),
  })
  poller.start()
  await settle()
  t.equal(rounds, 3, 'two rounds asked for the next at once (a job worker that found jobs)')
  t.same(clock.waits, [7], 'then the wait the round asked for')
  await poller.stop()
})

t.test('given failures and a first back-off shorter than the interval, then the waits start from it', async (t) => {
  const clock = manualTimers()
  let failing = 3
  const poller = new Poller({
    intervalMs: 10_000,
    minBackoffMs: 200,
    maxBackoffMs: 500,
    timers: clock.timers,
    round: async () => {
      if (failing-- > 0) throw new Error('gateway unavailable')
    },
  })
  poller.start()
  for (let i = 0; i < 3; i++) {
    await settle()
    clock.fire()
  }
  await settle()
  t.same(clock.waits, [200, 400, 500, 10_000], 'a long poll interval does not slow the retries after a failure')
  await poller.stop()
})

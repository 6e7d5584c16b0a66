// The province-peak profile: an open-loop mix of requests at fixed rates, spread over several motcua processes that
// share one database, for a bounded time. Each class of request is started on its own clock whether or not earlier
// ones have answered (as users arrive), up to a bound of requests in flight per class; what the bound turns away is
// counted, not hidden. Latencies are kept per route; any answer other than the expected one is an error.
import { performance } from 'node:perf_hooks'
import type { Knex } from 'knex'
import { makePdf } from '../../test/helpers/files.js'
import { birthForm } from '../../test/helpers/dossiers.js'

/** Requests per second of each class. */
export interface PeakRates {
  submissions: number
  worklistReads: number
  completions: number
  lookups: number
  reports: number
}

/**
 * A large province's peak (issue #22): 800,000 dossiers a month and 21,000 officers at work, as published requirements
 * of Vietnamese provincial one-stop systems state them.
 */
export const provincePeak: PeakRates = {
  submissions: 30,
  worklistReads: 300,
  completions: 30,
  lookups: 50,
  reports: 5,
}

export type PeakClass = keyof PeakRates

export interface ClassStats {
  /** Operations due in the run (rate × seconds). */
  due: number
  started: number
  /** Turned away because `maxInFlight` operations of the class were still waiting for answers. */
  turnedAway: number
  /** Due but with nothing to work on (a completion when no reception task was open). */
  idle: number
  errors: number
}

export interface PeakResult {
  seconds: number
  classes: Record<PeakClass, ClassStats>
  /** Milliseconds per "METHOD route" of answered requests. */
  latencies: Map<string, number[]>
  /** Errors per route, with the first few messages. */
  errors: Map<string, { count: number; examples: string[] }>
  /** Dossiers whose submission was answered 201. */
  submitted: string[]
  /** Reception tasks whose completion was answered 200, with their dossiers. */
  completed: Array<{ taskKey: string; dossierId: string }>
}

export interface PeakOptions {
  /** One base URL per motcua process; requests go to them in turn. */
  baseUrls: string[]
  /** Demo officers' passwords. */
  passwords: Record<string, string>
  /** Registered, verified citizens (username → password). */
  citizens: Array<{ username: string; password: string }>
  rates: PeakRates
  seconds: number
  /** Requests of one class in flight at most (the rest are turned away and counted). */
  maxInFlight: number
  /** The database, read for codes to look up (the public lookup needs a code and the applicant's number). */
  knex: Knex
  log?: (message: string) => void
}

class Unexpected extends Error {}

/** The reads and writes of the profile, named as the latency table names them. */
export const readRoutes = ['GET /api/tasks', 'GET /api/public/dossiers/lookup', 'GET /api/supervision/reports/06a']

export async function runPeak(opts: PeakOptions): Promise<PeakResult> {
  const latencies = new Map<string, number[]>()
  const errors = new Map<string, { count: number; examples: string[] }>()
  const tokens = new Map<string, Promise<string>>()
  const passwords = new Map([
    ...Object.entries(opts.passwords),
    ...opts.citizens.map((c) => [c.username, c.password] as [string, string]),
  ])
  const submitted: string[] = []
  const completed: PeakResult['completed'] = []
  const open = new Map<string, string>() // reception task key → dossier id, seen on a worklist, not yet taken
  const taken = new Set<string>()
  let lookupPool: Array<{ code: string; idNumber: string }> = []

  const recordError = (route: string, message: string) => {
    const e = errors.get(route) ?? { count: 0, examples: [] }
    e.count++
    if (e.examples.length < 3) e.examples.push(message.slice(0, 300))
    errors.set(route, e)
  }

  /** One request, timed; throws Unexpected (recorded) on any other status or no answer. */
  const call = async (
    base: string,
    route: string,
    method: string,
    path: string,
    init: { token?: string; json?: unknown; form?: FormData; headers?: Record<string, string>; expect: number[] },
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const headers: Record<string, string> = { ...init.headers }
    if (init.token) headers['authorization'] = init.token
    if (init.json !== undefined) headers['content-type'] = 'application/json'
    const t0 = performance.now()
    let status: number
    let text: string
    try {
      const res = await fetch(base + path, {
        method,
        headers,
        signal: AbortSignal.timeout(30_000),
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.form ? { body: init.form } : {}),
      })
      status = res.status
      text = await res.text()
    } catch (err) {
      recordError(route, `no answer: ${(err as Error).message}`)
      throw new Unexpected(route)
    }
    const ms = performance.now() - t0
    if (!init.expect.includes(status)) {
      recordError(route, `${status} ${text}`)
      throw new Unexpected(route)
    }
    const list = latencies.get(route) ?? []
    list.push(ms)
    latencies.set(route, list)
    return { status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} }
  }

  const token = (base: string, username: string): Promise<string> => {
    const key = `${base} ${username}`
    let t = tokens.get(key)
    if (!t) {
      t = call(base, 'POST /api/auth/login', 'POST', '/api/auth/login', {
        json: { username, password: passwords.get(username) },
        expect: [200],
      }).then((r) => `Bearer ${r.body['accessToken'] as string}`)
      t.catch(() => tokens.delete(key))
      tokens.set(key, t)
    }
    return t
  }

  const server = (i: number) => opts.baseUrls[i % opts.baseUrls.length]!

  const ops: Record<PeakClass, (i: number) => Promise<'done' | 'idle'>> = {
    async submissions(i) {
      const base = server(i)
      const citizen = opts.citizens[i % opts.citizens.length]!.username
      const auth = await token(base, citizen)
      const draft = await call(base, 'POST /api/dossiers/drafts', 'POST', '/api/dossiers/drafts', {
        token: auth,
        json: { procedure: 'dang-ky-khai-sinh', agencyUnitId: 'xa-an-binh' },
        expect: [201],
      })
      const id = draft.body['id'] as string
      await call(base, 'PATCH /api/dossiers/drafts/:id', 'PATCH', `/api/dossiers/drafts/${id}`, {
        token: auth,
        json: { formData: birthForm, deliveryMethod: 'online' },
        expect: [200],
      })
      for (const component of ['to-khai', 'giay-chung-sinh']) {
        const form = new FormData()
        form.append('file', new Blob([new Uint8Array(makePdf())], { type: 'application/pdf' }), `${component}.pdf`)
        await call(
          base,
          'POST /api/dossiers/drafts/:id/attachments/:component',
          'POST',
          `/api/dossiers/drafts/${id}/attachments/${component}`,
          { token: auth, form, expect: [201] },
        )
      }
      const done = await call(
        base,
        'POST /api/dossiers/drafts/:id/submit',
        'POST',
        `/api/dossiers/drafts/${id}/submit`,
        {
          token: auth,
          headers: { 'idempotency-key': `peak-${i}-${id}` },
          expect: [201],
        },
      )
      submitted.push(done.body['dossierId'] as string)
      return 'done'
    },
    async worklistReads(i) {
      const base = server(i)
      const res = await call(base, 'GET /api/tasks', 'GET', '/api/tasks?limit=50', {
        token: await token(base, 'motcua-xa'),
        expect: [200],
      })
      for (const t of res.body['items'] as Array<{ taskKey: string; elementId: string; dossierId?: string }>)
        if (t.elementId === 'Task_Receive' && !taken.has(t.taskKey)) open.set(t.taskKey, t.dossierId ?? '')
      return 'done'
    },
    async completions(i) {
      const next = open.entries().next()
      if (next.done) return 'idle'
      const [taskKey, dossierId] = next.value
      open.delete(taskKey)
      taken.add(taskKey)
      const base = server(i)
      const auth = await token(base, 'motcua-xa')
      await call(base, 'POST /api/tasks/:key/claim', 'POST', `/api/tasks/${taskKey}/claim`, {
        token: auth,
        expect: [200],
      })
      await call(base, 'POST /api/tasks/:key/complete', 'POST', `/api/tasks/${taskKey}/complete`, {
        token: auth,
        json: { decision: 'accept', note: 'đủ thành phần' },
        expect: [200],
      })
      completed.push({ taskKey, dossierId })
      return 'done'
    },
    async lookups(i) {
      const pick = lookupPool[i % Math.max(1, lookupPool.length)]
      const q = pick ?? { code: 'X99.30-000000-0000', idNumber: '001090000001' }
      await call(
        server(i),
        'GET /api/public/dossiers/lookup',
        'GET',
        `/api/public/dossiers/lookup?code=${encodeURIComponent(q.code)}&idNumber=${q.idNumber}`,
        { expect: pick ? [200] : [404] },
      )
      return 'done'
    },
    async reports(i) {
      const base = server(i)
      await call(base, 'GET /api/supervision/reports/06a', 'GET', '/api/supervision/reports/06a?year=2026', {
        token: await token(base, i % 2 ? 'lanhdao' : 'lanhdao-xa'),
        expect: [200],
      })
      return 'done'
    },
  }

  // Codes to look up: received dossiers of the run, read again every few seconds (the reception gives the code).
  const refreshPool = async () => {
    const rows = (await opts
      .knex('dossiers')
      .whereNotNull('code')
      .orderBy('created_at', 'desc')
      .limit(500)
      .select('code', 'applicant_id_number')) as Array<{ code: string; applicant_id_number: string | null }>
    lookupPool = rows
      .filter((r) => r.applicant_id_number)
      .map((r) => ({ code: r.code, idNumber: r.applicant_id_number! }))
  }
  await refreshPool()
  const poolTimer = setInterval(() => void refreshPool().catch(() => undefined), 5_000)

  // Sessions first, so that logging in is not part of the measured mix.
  for (const base of opts.baseUrls) {
    for (const officer of ['motcua-xa', 'lanhdao', 'lanhdao-xa']) await token(base, officer)
    for (const c of opts.citizens) await token(base, c.username)
  }

  const classes = {} as Record<PeakClass, ClassStats>
  const started = performance.now()
  try {
    await Promise.all(
      (Object.keys(ops) as PeakClass[]).map((name) => {
        const stats: ClassStats = { due: 0, started: 0, turnedAway: 0, idle: 0, errors: 0 }
        classes[name] = stats
        return openLoop(opts.rates[name], opts.seconds, opts.maxInFlight, stats, (i) => ops[name](i))
      }),
    )
  } finally {
    clearInterval(poolTimer)
  }
  return {
    seconds: (performance.now() - started) / 1000,
    classes,
    latencies,
    errors,
    submitted,
    completed,
  }
}

/**
 * Starts `op` `rate` times a second for `seconds`, on a clock of its own (open loop): an operation starts when it is
 * due, whether or not earlier ones have finished, unless `maxInFlight` are still running.
 */
function openLoop(
  rate: number,
  seconds: number,
  maxInFlight: number,
  stats: ClassStats,
  op: (i: number) => Promise<'done' | 'idle'>,
): Promise<void> {
  stats.due = Math.floor(rate * seconds)
  if (stats.due === 0) return Promise.resolve()
  const inFlight = new Set<Promise<void>>()
  const t0 = performance.now()
  const dueAt = (i: number) => t0 + (i * 1000) / rate
  let i = 0
  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now()
      for (; i < stats.due && dueAt(i) <= now; i++) {
        if (inFlight.size >= maxInFlight) {
          stats.turnedAway++
          continue
        }
        stats.started++
        const p: Promise<void> = op(i).then(
          (outcome) => {
            if (outcome === 'idle') stats.idle++
          },
          (err: unknown) => {
            stats.errors++
            if (!(err instanceof Unexpected)) throw err
          },
        )
        inFlight.add(p)
        void p.finally(() => inFlight.delete(p))
      }
      if (i >= stats.due) {
        void Promise.allSettled([...inFlight]).then(() => resolve())
        return
      }
      setTimeout(tick, Math.max(0, dueAt(i) - performance.now()))
    }
    tick()
  })
}

/** After the run: every answered submission is a dossier, every answered completion left its reception step. */
export async function checkPeak(
  knex: Knex,
  result: PeakResult,
): Promise<{ missingDossiers: string[]; stillOpen: string[] }> {
  const found = new Set<string>()
  for (let k = 0; k < result.submitted.length; k += 1000) {
    const ids = result.submitted.slice(k, k + 1000)
    for (const r of (await knex('dossiers').whereIn('id', ids).select('id')) as Array<{ id: string }>) found.add(r.id)
  }
  const stillOpen: string[] = []
  for (let k = 0; k < result.completed.length; k += 1000) {
    const keys = result.completed.slice(k, k + 1000).map((c) => c.taskKey)
    const rows = (await knex('tasks')
      .whereIn('user_task_key', keys)
      .where('state', 'CREATED')
      .select('user_task_key')) as Array<{ user_task_key: string }>
    stillOpen.push(...rows.map((r) => r.user_task_key))
  }
  return { missingDossiers: result.submitted.filter((id) => !found.has(id)), stillOpen }
}

// The load driver: simulated citizens and officers take dossiers of the five reference procedures through the real
// HTTP API (fetch), with bounded concurrency, retrying through outages with the same idempotency keys.
import { solveChallenge, type Challenge } from 'altcha-lib'
import { deriveKey } from 'altcha-lib/algorithms/sha'
import { makePdf } from '../../test/helpers/files.js'
import { birthForm, constructionForm, householdForm } from '../../test/helpers/dossiers.js'

/** What happens to a dossier; every path of the reference workflows is taken by some dossiers. */
export type LoadPath =
  'returned' | 'online' | 'supplement-reception' | 'supplement-processing' | 'refuse-reception' | 'refuse-processing'

/**
 * Four in ten returned at the counter, two in ten returned online, one in ten on each detour; the first six take every
 * path.
 */
export const pathMix: LoadPath[] = [
  'returned',
  'supplement-reception',
  'refuse-reception',
  'supplement-processing',
  'refuse-processing',
  'online',
  'returned',
  'online',
  'returned',
  'returned',
]

interface Step {
  elementId: string
  officer: string
  body: Record<string, unknown>
}
export interface LoadProcedure {
  slug: string
  fee: boolean
  formData: Record<string, unknown>
  uploads: string[]
  steps: Step[]
}

const applicant = {
  hoTen: 'Nguyễn Văn An',
  soDinhDanh: '001090000001',
  soDienThoai: '0912345678',
  noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
}
const approve = { decision: 'approve' }
const step = (elementId: string, officer: string, body: Record<string, unknown> = approve): Step => ({
  elementId,
  officer,
  body,
})

export const loadProcedures: LoadProcedure[] = [
  {
    slug: 'dang-ky-khai-sinh',
    fee: false,
    formData: birthForm,
    uploads: ['to-khai', 'giay-chung-sinh'],
    steps: [step('Task_Review', 'tuphap-xa'), step('Task_Sign', 'lanhdao-xa')],
  },
  {
    slug: 'xac-nhan-tinh-trang-hon-nhan',
    fee: false,
    uploads: ['to-khai'],
    formData: { nguoiYeuCau: applicant, tinhTrangHonNhan: 'chua-ket-hon', mucDichSuDung: 'Đăng ký kết hôn' },
    steps: [
      step('Task_Review', 'tuphap-xa', { decision: 'approve', verificationNeeded: true }),
      step('Task_Verify', 'tuphap-xa'),
      step('Task_Sign', 'lanhdao-xa'),
    ],
  },
  {
    slug: 'cap-ban-sao-trich-luc-ho-tich',
    fee: false,
    uploads: ['to-khai'],
    formData: {
      nguoiYeuCau: applicant,
      loaiTrichLuc: 'khai-sinh',
      nguoiDuocCap: { hoTen: 'Nguyễn Văn An', ngaySinh: '1990-05-01' },
      soBanSao: 2,
    },
    steps: [step('Task_Extract', 'tuphap-xa'), step('Task_Sign', 'lanhdao-xa')],
  },
  {
    slug: 'cap-giay-phep-xay-dung-nha-o-rieng-le',
    fee: false,
    formData: constructionForm,
    uploads: ['don-de-nghi', 'giay-to-quyen-su-dung-dat', 'ban-ve-thiet-ke'],
    steps: [
      step('Task_Appraise', 'kinhte-xa'),
      step('Task_SiteInspection', 'kinhte-xa', { decision: 'approve', consultationNeeded: true }),
      step('Task_Consult', 'phoihop'),
      step('Task_Sign', 'lanhdao-xa'),
    ],
  },
  {
    slug: 'dang-ky-thanh-lap-ho-kinh-doanh',
    fee: true,
    formData: householdForm,
    uploads: ['giay-de-nghi'],
    steps: [step('Task_Review', 'kinhte-xa'), step('Task_Sign', 'lanhdao-xa')],
  },
]

/** The plan of dossier number i (deterministic): every 50 dossiers take each path with each procedure. */
export function planOf(i: number): { procedure: LoadProcedure; path: LoadPath } {
  const path = i % pathMix.length
  return {
    procedure: loadProcedures[(path + Math.floor(i / pathMix.length)) % loadProcedures.length]!,
    path: pathMix[path]!,
  }
}

export interface DossierRun {
  index: number
  procedure: string
  path: LoadPath
  idempotencyKey: string
  citizen: string
  dossierId?: string
  finished: boolean
  error?: string
  /**
   * Requests answered in a way that only makes sense after an earlier attempt took effect (a retry after an unknown
   * outcome).
   */
  retriedAfterUnknown: number
}

export interface LoadOptions {
  baseUrl: string
  /** Passwords of the demo officers (demo-credentials.json). */
  passwords: Record<string, string>
  dossiers: number
  concurrency: number
  /** How many citizen accounts to register and share among the dossiers. */
  citizens: number
  /** Prefix of usernames and idempotency keys, unique per run. */
  runId: string
  /** The verification token mailed to an address (read from the SMTP peer). */
  verificationToken(email: string): Promise<string>
  /** How long one wait (for a task, a status, the server to come back) may take. */
  waitTimeoutMs?: number
  log?: (message: string) => void
  /** Asked before each new dossier: true stops starting new ones (those under way are finished). */
  stopStarting?: () => boolean
}

export interface LoadResult {
  runs: DossierRun[]
  /** Latencies in ms of answered requests, per "METHOD /route". */
  latencies: Map<string, number[]>
  requests: number
  /** Attempts that got no answer, a 5xx or a 429 and were retried. */
  retries: number
  startedAt: number
  finishedAt: number
}

class RequestFailed extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what}: ${status} ${JSON.stringify(body).slice(0, 400)}`)
  }
}

interface Answer {
  status: number
  // The server's JSON, which the driver reads field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  afterUnknown: boolean
  headers: Headers
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const routeOf = (method: string, path: string) =>
  `${method} ${path
    .split('?')[0]!
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
    .replace(/\/\d+(?=\/|$)/g, '/:key')
    .replace(/\/attachments\/[^/]+$/, '/attachments/:component')}`

/**
 * HTTP with sessions per account and retries: no answer, 5xx and 429 are retried (same request, same keys) until the
 * wait timeout.
 */
export class ApiClient {
  readonly latencies = new Map<string, number[]>()
  requests = 0
  retries = 0
  private readonly sessions = new Map<string, Promise<string>>()

  constructor(
    private readonly baseUrl: string,
    private readonly passwords: Map<string, string>,
    private readonly timeoutMs: number,
  ) {}

  addAccount(username: string, password: string): void {
    this.passwords.set(username, password)
  }

  private token(username: string, stale?: string): Promise<string> {
    const current = this.sessions.get(username)
    if (current && stale === undefined) return current
    const next = (async () => {
      if (stale !== undefined && current && (await current.catch(() => '')) !== stale) return current
      const res = await this.call('POST', '/api/auth/login', {
        json: { username, password: this.passwords.get(username) },
        expect: [200],
      })
      return `Bearer ${res.body.accessToken as string}`
    })()
    this.sessions.set(username, next)
    next.catch(() => this.sessions.delete(username))
    return next
  }

  /**
   * One request, retried through outages. `afterUnknown` lists statuses that are success when an earlier attempt
   * may have taken effect without our hearing the answer (e.g. 404 for a task completed by that attempt).
   */
  async call(
    method: string,
    path: string,
    opts: {
      who?: string
      json?: unknown
      form?: FormData | URLSearchParams
      headers?: Record<string, string>
      expect: number[]
      afterUnknown?: number[]
    },
  ): Promise<Answer> {
    const end = Date.now() + this.timeoutMs
    let unknown = false
    let delay = 100
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...opts.headers }
      let auth: string | undefined
      if (opts.who) headers['authorization'] = auth = await this.token(opts.who)
      if (opts.json !== undefined) headers['content-type'] = 'application/json'
      const t0 = performance.now()
      let res: Response
      let body: Answer['body']
      try {
        res = await fetch(this.baseUrl + path, {
          method,
          headers,
          redirect: 'manual',
          signal: AbortSignal.timeout(60_000),
          ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : opts.form ? { body: opts.form } : {}),
        })
        const text = await res.text()
        body = text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text
      } catch (err) {
        // No answer: the request may or may not have taken effect.
        unknown = true
        this.retries++
        if (Date.now() > end)
          throw new Error(`${method} ${path}: no answer for ${this.timeoutMs} ms (${(err as Error).message})`, {
            cause: err,
          })
        await sleep(delay)
        delay = Math.min(2000, delay * 2)
        continue
      }
      this.requests++
      const list = this.latencies.get(routeOf(method, path)) ?? []
      list.push(performance.now() - t0)
      this.latencies.set(routeOf(method, path), list)
      if (opts.expect.includes(res.status))
        return { status: res.status, body, afterUnknown: unknown, headers: res.headers }
      if (unknown && opts.afterUnknown?.includes(res.status))
        return { status: res.status, body, afterUnknown: true, headers: res.headers }
      if (res.status === 401 && opts.who && attempt < 3) {
        await this.token(opts.who, auth)
        continue
      }
      if (res.status >= 500 || res.status === 429) {
        // A 5xx may come from a command that committed before the failure: treat it as unknown.
        unknown ||= res.status >= 500
        this.retries++
        if (Date.now() > end) throw new RequestFailed(res.status, body, `${method} ${path} kept failing`)
        await sleep(delay)
        delay = Math.min(2000, delay * 2)
        continue
      }
      throw new RequestFailed(res.status, body, `${method} ${path}`)
    }
  }

  async upload(who: string, path: string, filename: string): Promise<Answer> {
    const form = () => {
      const f = new FormData()
      f.append('file', new Blob([new Uint8Array(makePdf())], { type: 'application/pdf' }), filename)
      return f
    }
    // A FormData body is consumed by a request: build it again for each attempt.
    const end = Date.now() + this.timeoutMs
    for (;;) {
      try {
        return await this.call('POST', path, { who, form: form(), expect: [201] })
      } catch (err) {
        if (Date.now() > end) throw err
        if (!(err instanceof RequestFailed) || err.status < 500) throw err
      }
    }
  }
}

interface Detail {
  id: string
  code: string | null
  status: number
  openTasks: Array<{ taskKey: string; elementId: string }>
  timeline: Array<{ kind: string; stepId: string | null; data: Record<string, unknown> }>
}

/** The password the load run gives its i-th citizen. */
export const citizenPassword = (runId: string, i: number) => `Load-${runId}-${i}-Pw!`

/** Registers and verifies the citizens (the link's token comes from the mail the SMTP peer received). */
export async function registerCitizens(
  api: ApiClient,
  opts: Pick<LoadOptions, 'citizens' | 'runId' | 'verificationToken'>,
): Promise<string[]> {
  const names: string[] = []
  for (let i = 0; i < opts.citizens; i++) {
    const username = `${opts.runId}-c${i}`.toLowerCase()
    const email = `${username}@load.invalid`
    const password = citizenPassword(opts.runId, i)
    const idNumber = String(900000000000 + ((hash(opts.runId) * 1000 + i) % 99999999999)).slice(0, 12)
    // Sign-up answers 202 whether or not the account exists: the mail tells. It needs the ALTCHA check solved, as the
    // browser does; a retry after an unknown outcome may find the solution spent (400) by the attempt that succeeded.
    const challenge = (await api.call('GET', '/api/auth/altcha-challenge', { expect: [200] })).body as Challenge
    const solution = await solveChallenge({ challenge, deriveKey })
    const altcha = Buffer.from(JSON.stringify({ challenge, solution })).toString('base64')
    await api.call('POST', '/api/auth/register', {
      json: { kind: 'citizen', username, fullName: `Công dân thử tải ${i}`, email, password, idNumber, altcha },
      expect: [202],
      afterUnknown: [400],
    })
    const token = await opts.verificationToken(email)
    await api.call('POST', '/api/auth/verify-email', { json: { token }, expect: [200], afterUnknown: [400] })
    api.addAccount(username, password)
    names.push(username)
  }
  return names
}

function hash(s: string): number {
  let h = 0
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0
  return h
}

/**
 * Drives `opts.dossiers` dossiers, `opts.concurrency` at a time; never throws for one dossier's failure (it is
 * recorded).
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const timeout = opts.waitTimeoutMs ?? 10 * 60_000
  const api = new ApiClient(opts.baseUrl, new Map(Object.entries(opts.passwords)), timeout)
  const startedAt = Date.now()
  const citizens = await registerCitizens(api, opts)
  const runs: DossierRun[] = []
  let next = 0
  let finished = 0
  const worker = async () => {
    for (;;) {
      if (opts.stopStarting?.()) return
      const index = next++
      if (index >= opts.dossiers) return
      const { procedure, path } = planOf(index)
      const run: DossierRun = {
        index,
        procedure: procedure.slug,
        path,
        idempotencyKey: `${opts.runId}-d${index}`,
        citizen: citizens[index % citizens.length]!,
        finished: false,
        retriedAfterUnknown: 0,
      }
      runs.push(run)
      try {
        await driveDossier(api, run, procedure, timeout)
        run.finished = true
      } catch (err) {
        run.error = (err as Error).message
        opts.log?.(`dossier ${index} (${run.procedure}, ${run.path}, ${run.dossierId ?? 'no id'}): ${run.error}`)
      }
      if (++finished % 100 === 0)
        opts.log?.(`${finished}/${opts.dossiers} dossiers driven, ${((Date.now() - startedAt) / 1000).toFixed(0)} s`)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker))
  runs.sort((a, b) => a.index - b.index)
  return {
    runs,
    latencies: api.latencies,
    requests: api.requests,
    retries: api.retries,
    startedAt,
    finishedAt: Date.now(),
  }
}

async function driveDossier(api: ApiClient, run: DossierRun, p: LoadProcedure, timeoutMs: number): Promise<void> {
  const citizen = run.citizen
  const note = (a: Answer) => void (a.afterUnknown && run.retriedAfterUnknown++)
  const delivery = run.path === 'online' ? 'online' : 'counter'
  // A retried draft creation may leave an unused draft behind: drafts are not dossiers.
  const draft = await api.call('POST', '/api/dossiers/drafts', {
    who: citizen,
    json: { procedure: p.slug, agencyUnitId: 'xa-an-binh' },
    expect: [201],
  })
  const draftId = draft.body.id as string
  await api.call('PATCH', `/api/dossiers/drafts/${draftId}`, {
    who: citizen,
    json: { formData: p.formData, deliveryMethod: delivery },
    expect: [200],
  })
  for (const component of p.uploads)
    await api.upload(citizen, `/api/dossiers/drafts/${draftId}/attachments/${component}`, `${component}.pdf`)
  const submitted = await api.call('POST', `/api/dossiers/drafts/${draftId}/submit`, {
    who: citizen,
    headers: { 'idempotency-key': run.idempotencyKey },
    expect: [201],
  })
  note(submitted)
  const id = (run.dossierId = submitted.body.dossierId as string)

  const done = new Set<string>()
  const detail = async (who: string): Promise<Detail> =>
    (await api.call('GET', `/api/dossiers/${id}`, { who, expect: [200] })).body as Detail
  const poll = async <T>(what: string, fn: () => Promise<T | undefined>): Promise<T> => {
    const end = Date.now() + timeoutMs
    let delay = 150
    for (;;) {
      const v = await fn()
      if (v !== undefined) return v
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
      await sleep(delay + Math.random() * 100)
      delay = Math.min(1500, delay * 1.5)
    }
  }
  const task = (elementId: string, officer: string) =>
    poll(`${elementId}`, async () => {
      // An officer of another agency (Sở Xây dựng for the consultation) reads the dossier only once a step of theirs
      // exists: until then the answer is "not found".
      const res = await api.call('GET', `/api/dossiers/${id}`, { who: officer, expect: [200, 404] })
      if (res.status === 404) return undefined
      return (res.body as Detail).openTasks.find((t) => t.elementId === elementId && !done.has(t.taskKey))
    })
  const status = (wanted: number) =>
    poll(`status ${wanted}`, async () => ((await detail(citizen)).status === wanted ? true : undefined))
  const work = async (officer: string, t: { taskKey: string; elementId: string }, body: Record<string, unknown>) => {
    note(await api.call('POST', `/api/tasks/${t.taskKey}/claim`, { who: officer, expect: [200] }))
    const res = await api.call('POST', `/api/tasks/${t.taskKey}/complete`, {
      who: officer,
      json: body,
      expect: [200],
      afterUnknown: [404],
    })
    note(res)
    if (res.status === 404) {
      // The attempt we did not hear from completed it: the timeline must show our decision on that step.
      const d = await detail(officer)
      const decided = d.timeline.some(
        (e) => e.kind === 'decision' && e.stepId === t.elementId && e.data['decision'] === body['decision'],
      )
      if (!decided || d.openTasks.some((o) => o.taskKey === t.taskKey))
        throw new Error(`complete ${t.taskKey} answered 404 and the decision is not on the timeline`)
    }
    done.add(t.taskKey)
  }
  const supplement = async (officer: string, t: { taskKey: string; elementId: string }) => {
    const component = p.uploads[0]!
    await work(officer, t, { decision: 'supplement', missing: [component], note: 'Bản chụp mờ' })
    await status(5)
    const file = await api.upload(citizen, `/api/dossiers/${id}/attachments/${component}`, `${component}-bo-sung.pdf`)
    // After an unknown outcome the dossier has left status 5: 409 then means our supplement was taken.
    const handedIn = await api.call('POST', `/api/dossiers/${id}/supplement`, {
      who: citizen,
      json: { attachments: [{ componentId: component, fileId: file.body.fileId }], note: 'Đã bổ sung' },
      expect: [200],
      afterUnknown: [409],
    })
    note(handedIn)
    if (handedIn.status === 409 && !(await detail(citizen)).timeline.some((e) => e.kind === 'supplement_received'))
      throw new Error('supplement answered 409 and is not on the timeline')
  }

  let reception = await task('Task_Receive', 'motcua-xa')
  if (run.path === 'supplement-reception') {
    await supplement('motcua-xa', reception)
    reception = await task('Task_Receive', 'motcua-xa')
  }
  if (run.path === 'refuse-reception') {
    await work('motcua-xa', reception, { decision: 'refuse', reason: 'Không thuộc thẩm quyền (thử tải)' })
    await status(3)
    return
  }
  await work('motcua-xa', reception, { decision: 'accept', note: 'đủ thành phần' })
  if (p.fee) {
    await status(6)
    const payment = await api.call('POST', `/api/dossiers/${id}/payments`, { who: citizen, json: {}, expect: [201] })
    // The checkout page's form carries the token issued to the payer in the redirect URL, as a browser would post it.
    const checkoutToken = new URL(payment.body.redirectUrl as string, 'http://portal').searchParams.get('checkoutToken')
    const form = new URLSearchParams({
      reference: payment.body.reference as string,
      returnUrl: '/ho-so',
      status: 'paid',
      ...(checkoutToken ? { checkoutToken } : {}),
    })
    await api.call('POST', '/api/payments/sandbox/checkout', { form, expect: [303] })
  }
  for (const [k, s] of p.steps.entries()) {
    let t = await task(s.elementId, s.officer)
    if (k === 0 && run.path === 'supplement-processing') {
      await supplement(s.officer, t)
      t = await task(s.elementId, s.officer)
    }
    if (k === 0 && run.path === 'refuse-processing') {
      await work(s.officer, t, { decision: 'refuse', reason: 'Hồ sơ không đủ điều kiện (thử tải)' })
      await status(3)
      return
    }
    await work(s.officer, t, s.body)
  }
  if (delivery === 'counter') await work('motcua-xa', await task('Task_Return', 'motcua-xa'), { decision: 'returned' })
  await status(10)
}

/** p50/p99 and counts per endpoint, busiest first. */
export function latencyTable(
  latencies: Map<string, number[]>,
): Array<{ route: string; n: number; p50: number; p99: number }> {
  return [...latencies]
    .map(([route, xs]) => {
      const s = [...xs].sort((a, b) => a - b)
      const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!
      return { route, n: s.length, p50: q(0.5), p99: q(0.99) }
    })
    .sort((a, b) => b.n - a.n)
}

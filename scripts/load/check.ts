// The load check: reads what the server stored (dossiers, audit, timeline, outbox, codes) and what the SMTP peer
// received, and compares each dossier with what its path must have produced: final state, every command audited once
// and in order, each hand-off once, each expected mail once in the outbox and once at the peer, and the due date
// recomputed here from the timeline with the working calendar.
import { readFile } from 'node:fs/promises'
import type { Knex } from 'knex'
import { loadWorkingCalendar } from '../../src/db/calendar-repository.js'
import { computeDeadline, type DossierEvent } from '../../src/domain/deadlines/index.js'
import type { DossierRun, LoadPath } from './driver.js'
import { loadProcedures } from './driver.js'

/** A message as the SMTP peer received it. */
export interface ReceivedMail {
  outboxId: string | null
  messageId: string | null
  to: string
  template: string | null
}

export interface CheckReport {
  ok: boolean
  counts: Record<string, number>
  /** One line per discrepancy (the first 50 are kept). */
  problems: string[]
}

interface FormDefinition {
  duration: string
  supplementPolicy: 'RESTART' | 'PAUSE'
  steps: Array<{ id: string; name: string; unitRole: string; shareWorkingDays: number }>
}

const finalStatus = (path: LoadPath) => (path.startsWith('refuse') ? 3 : 10)

/** The audit actions a dossier of this path must have, in order (payment.start may repeat and is counted apart). */
export function expectedAudit(path: LoadPath, fee: boolean, steps: number): string[] {
  const a = ['dossier.submit']
  const supplementRound = [
    'task.claim',
    'dossier.requestSupplement',
    'dossier.supplementRequested',
    'dossier.submitSupplement',
  ]
  if (path === 'supplement-reception') a.push(...supplementRound)
  if (path === 'refuse-reception') return [...a, 'task.claim', 'dossier.refuse', 'dossier.closed']
  a.push('task.claim', 'dossier.receive')
  if (fee) a.push('dossier.paymentRequested', 'payment.paid')
  a.push('dossier.received')
  if (path === 'supplement-processing') a.push(...supplementRound)
  if (path === 'refuse-processing') return [...a, 'task.claim', 'dossier.refuse', 'dossier.closed']
  for (let k = 0; k < steps; k++) a.push('task.claim', 'dossier.handOff')
  a.push('dossier.resolved')
  if (path !== 'online') a.push('task.claim', 'dossier.returnResult')
  return [...a, 'dossier.closed']
}

/** The mails the applicant must get, by template, with how many of each. */
export function expectedMails(path: LoadPath): Record<string, number> {
  const m: Record<string, number> = {}
  const add = (t: string) => void (m[t] = (m[t] ?? 0) + 1)
  if (path.startsWith('supplement')) add('supplement-requested')
  if (path === 'refuse-reception') return (add('dossier-refused'), m)
  add('dossier-received')
  if (path === 'refuse-processing') return (add('dossier-refused'), m)
  add('result-ready')
  return m
}

/** The steps handed off, in order (the first step twice after a supplement during processing). */
export function expectedHandoffs(path: LoadPath, stepIds: string[]): string[] {
  if (path === 'refuse-reception') return []
  if (path === 'refuse-processing') return stepIds.slice(0, 1)
  if (path === 'supplement-processing') return [stepIds[0]!, ...stepIds]
  return stepIds
}

const auditActions = new Set([
  'dossier.submit',
  'task.claim',
  'dossier.requestSupplement',
  'dossier.supplementRequested',
  'dossier.submitSupplement',
  'dossier.refuse',
  'dossier.closed',
  'dossier.receive',
  'dossier.paymentRequested',
  'payment.paid',
  'dossier.received',
  'dossier.handOff',
  'dossier.resolved',
  'dossier.returnResult',
])

export async function checkLoad(
  knex: Knex,
  runs: DossierRun[],
  received: ReceivedMail[] | undefined,
): Promise<CheckReport> {
  const problems: string[] = []
  const counts: Record<string, number> = {}
  const count = (k: string, n = 1) => void (counts[k] = (counts[k] ?? 0) + n)
  const problem = (kind: string, text: string) => {
    count(kind)
    if (problems.length < 50) problems.push(`${kind}: ${text}`)
  }
  const keys = runs.map((r) => r.idempotencyKey)
  const rows = (await knex('dossiers')
    .whereIn('idempotency_key', keys)
    .select(
      'id',
      'idempotency_key',
      'status',
      'code',
      'procedure_slug',
      'accepted_at',
      knex.raw('due_date::text AS due_date'),
      'due_at',
      'result',
      'agency_unit_id',
    )) as Array<{
    id: string
    idempotency_key: string
    status: number
    code: string | null
    procedure_slug: string
    accepted_at: Date | null
    due_date: string | null
    due_at: Date | null
    result: string | null
  }>
  const byKey = new Map<string, typeof rows>()
  for (const r of rows) byKey.set(r.idempotency_key, [...(byKey.get(r.idempotency_key) ?? []), r])
  const ids = rows.map((r) => r.id)
  const audits = (await knex('audit_events')
    .where('subject_type', 'dossier')
    .whereIn('subject_id', ids)
    .orderBy('id')
    .select('subject_id', 'action', 'data')) as Array<{
    subject_id: string
    action: string
    data: Record<string, unknown>
  }>
  const timeline = (await knex('dossier_events')
    .whereIn('dossier_id', ids)
    .orderBy('id')
    .select('dossier_id', 'kind', 'at', 'step_id', 'data')) as Array<{
    dossier_id: string
    kind: string
    at: Date
    step_id: string | null
    data: Record<string, unknown>
  }>
  const jobs = new Map(
    (
      (await knex('dossier_jobs').whereIn('dossier_id', ids).select('job_key', 'dossier_id')) as Array<{
        job_key: string
        dossier_id: string
      }>
    ).map((j) => [j.job_key, j.dossier_id]),
  )
  const outbox = (await knex('outbox_messages').select(
    'id',
    'dedup_key',
    'status',
    'delivered_via',
    'payload',
  )) as Array<{
    id: string
    dedup_key: string
    status: string
    delivered_via: string | null
    payload: { template?: string; to?: string }
  }>
  const group = <T extends { dossier_id?: string; subject_id?: string }>(xs: T[]) => {
    const m = new Map<string, T[]>()
    for (const x of xs) {
      const k = (x.dossier_id ?? x.subject_id)!
      m.set(k, [...(m.get(k) ?? []), x])
    }
    return m
  }
  const auditOf = group(audits)
  const timelineOf = group(timeline)
  const mailsOf = new Map<string, typeof outbox>()
  for (const m of outbox) {
    const dossierId =
      /^dossier:([0-9a-f-]{36}):/.exec(m.dedup_key)?.[1] ?? jobs.get(/^job:([^:]+):/.exec(m.dedup_key)?.[1] ?? '')
    if (dossierId) mailsOf.set(dossierId, [...(mailsOf.get(dossierId) ?? []), m])
  }
  const definitions = new Map<string, FormDefinition>()
  for (const p of loadProcedures)
    definitions.set(
      p.slug,
      JSON.parse(await readFile(new URL(`../../forms/${p.slug}.json`, import.meta.url), 'utf8')) as FormDefinition,
    )
  const year = new Date().getUTCFullYear()
  const calendar = await loadWorkingCalendar(knex, year - 1, year + 2)

  for (const run of runs) {
    const found = byKey.get(run.idempotencyKey) ?? []
    if (found.length > 1) problem('duplicate dossier', `${run.idempotencyKey} has ${found.length} dossiers`)
    const d = found[0]
    if (!d) {
      if (run.dossierId)
        problem('lost', `dossier ${run.dossierId} (${run.idempotencyKey}) was answered but is not stored`)
      else count('never submitted (driver error before the submission)')
      continue
    }
    if (run.dossierId && run.dossierId !== d.id)
      problem('duplicate dossier', `${run.idempotencyKey}: answered ${run.dossierId}, stored ${d.id}`)
    count('dossiers checked')
    const proc = loadProcedures.find((p) => p.slug === run.procedure)!
    const def = definitions.get(proc.slug)!
    if (d.status !== finalStatus(run.path))
      problem(
        'stuck',
        `${d.id} (${run.procedure}, ${run.path}) is in status ${d.status}, expected ${finalStatus(run.path)}${run.error ? ` — driver: ${run.error}` : ''}`,
      )
    else count(`final status ${d.status}`)

    const actual = (auditOf.get(d.id) ?? []).map((a) => a.action)
    const relevant = actual.filter((a) => auditActions.has(a))
    const expected = expectedAudit(run.path, proc.fee, proc.steps.length)
    if (JSON.stringify(relevant) !== JSON.stringify(expected))
      problem('audit', `${d.id} (${run.path}): ${JSON.stringify(relevant)} ≠ expected ${JSON.stringify(expected)}`)
    if (proc.fee && !run.path.startsWith('refuse-reception') && !actual.includes('payment.start'))
      problem('audit', `${d.id}: no payment.start`)
    count('audit events checked', relevant.length)

    const events = timelineOf.get(d.id) ?? []
    const handoffs = events.filter((e) => e.kind === 'handoff').map((e) => e.step_id)
    const wantHandoffs = expectedHandoffs(
      run.path,
      proc.steps.map((s) => s.elementId),
    )
    if (JSON.stringify(handoffs) !== JSON.stringify(wantHandoffs))
      problem('hand-offs', `${d.id}: ${JSON.stringify(handoffs)} ≠ expected ${JSON.stringify(wantHandoffs)}`)

    const mails = mailsOf.get(d.id) ?? []
    const byTemplate: Record<string, number> = {}
    for (const m of mails) byTemplate[m.payload.template ?? '?'] = (byTemplate[m.payload.template ?? '?'] ?? 0) + 1
    // The fee request mail is newer than some servers: at most once where a fee was asked.
    const optional = proc.fee && run.path !== 'refuse-reception' ? ['payment-requested'] : []
    const applicantMails = Object.fromEntries(
      Object.entries(byTemplate).filter(
        ([t]) => !t.startsWith('overdue-') && !(optional.includes(t) && byTemplate[t] === 1),
      ),
    )
    const want = expectedMails(run.path)
    if (JSON.stringify(Object.entries(applicantMails).sort()) !== JSON.stringify(Object.entries(want).sort()))
      problem('outbox', `${d.id} (${run.path}): ${JSON.stringify(byTemplate)} ≠ expected ${JSON.stringify(want)}`)
    count('outbox messages checked', mails.length)
    count(
      'overdue mails (escalations, not expected)',
      mails.filter((m) => m.payload.template?.startsWith('overdue-')).length,
    )

    // The due date, recomputed from the timeline: acceptance, supplements during processing, hand-offs, the result.
    const receivedAt = events.find((e) => e.kind === 'received')?.data['acceptedAt'] as string | undefined
    if (run.path === 'refuse-reception') {
      if (d.code || d.due_date)
        problem('due date', `${d.id} was refused at reception but has code ${d.code} / due ${d.due_date}`)
      continue
    }
    if (!receivedAt || !d.accepted_at) {
      problem('due date', `${d.id} was accepted but has no receipt on its timeline`)
      continue
    }
    const dl: DossierEvent[] = []
    let processing = false
    for (const e of events) {
      if (e.kind === 'received') processing = true
      else if (processing && e.kind === 'supplement_requested') dl.push({ type: 'supplementRequested', at: e.at })
      else if (processing && e.kind === 'supplement_received') dl.push({ type: 'supplementReceived', at: e.at })
      else if (e.kind === 'handoff' && e.step_id) dl.push({ type: 'stepHandedOff', at: e.at, toStep: e.step_id })
      else if (e.kind === 'result_issued') dl.push({ type: 'resultAtCounter', at: e.at })
    }
    const report = computeDeadline(calendar, {
      acceptedAt: receivedAt,
      duration: def.duration,
      events: dl,
      settings: { supplementPolicy: def.supplementPolicy },
      now: new Date(),
      steps: def.steps.map((s) => ({ id: s.id, name: s.name, unit: s.unitRole, shareDays: s.shareWorkingDays })),
    })
    if (report.due.date !== d.due_date || Date.parse(report.due.at) !== d.due_at?.getTime())
      problem(
        'due date',
        `${d.id} (${run.procedure}, ${run.path}): stored ${d.due_date} ${d.due_at?.toISOString()}, recomputed ${report.due.date} ${report.due.at}`,
      )
    else count('due dates right')
    if (finalStatus(run.path) === 10 && report.result !== d.result)
      problem('due date', `${d.id}: result ${d.result}, recomputed ${report.result}`)
  }

  // Codes: unique, and gap-free per agency and receipt day over everything stored.
  const codes = (await knex('dossiers').whereNotNull('code').pluck('code')) as string[]
  if (new Set(codes).size !== codes.length)
    problem('duplicate code', `${codes.length - new Set(codes).size} codes given twice`)
  const perDay = new Map<string, number[]>()
  for (const c of codes) {
    const m = /^(.*)-(\d{6})-(\d+)$/.exec(c)
    if (m) perDay.set(`${m[1]}-${m[2]}`, [...(perDay.get(`${m[1]}-${m[2]}`) ?? []), Number(m[3])])
  }
  for (const [day, seqs] of perDay) {
    seqs.sort((a, b) => a - b)
    if (seqs.some((s, i) => s !== i + 1)) problem('code gap', `${day}: ${seqs.length} codes, highest ${seqs.at(-1)}`)
  }
  count('codes', codes.length)

  // Outbox and SMTP peer: every message sent, each received exactly once; nothing received that the outbox does not
  // know.
  const unsent = outbox.filter((m) => m.status !== 'sent')
  for (const m of unsent) problem('mail not sent', `${m.id} (${m.dedup_key}) is ${m.status}`)
  count('outbox messages', outbox.length)
  if (received) {
    const got = new Map<string, number>()
    for (const r of received) {
      const id = r.outboxId ?? /^<([0-9a-f-]{36})@/.exec(r.messageId ?? '')?.[1] ?? `?${r.messageId}`
      got.set(id, (got.get(id) ?? 0) + 1)
    }
    const known = new Set(outbox.map((m) => m.id))
    for (const [id, n] of got) {
      if (n > 1) problem('mail received twice', `outbox ${id} arrived ${n} times`)
      if (!known.has(id)) problem('mail unknown', `received ${id}, which is not in the outbox`)
    }
    for (const m of outbox)
      if (m.status === 'sent' && m.delivered_via === 'smtp' && !got.has(m.id))
        problem('mail not received', `${m.id} (${m.dedup_key}) is sent but the peer has not got it`)
    count('mails received', received.length)
  }

  const incidents = Number((await knex('engine_incidents').where({ state: 'ACTIVE' }).count({ n: '*' }).first())!.n)
  if (incidents) problem('engine incident', `${incidents} active incidents`)
  const commands = (await knex('engine_commands')
    .whereNot({ status: 'done' })
    .select('id', 'kind', 'status', 'last_error')) as Array<{
    id: string
    kind: string
    status: string
    last_error: string | null
  }>
  for (const c of commands) problem('engine command not done', `${c.id} ${c.kind} ${c.status} ${c.last_error ?? ''}`)
  for (const r of runs)
    if (r.error)
      problem('driver error', `dossier ${r.index} (${r.procedure}, ${r.path}, ${r.dossierId ?? 'no id'}): ${r.error}`)
  return { ok: problems.length === 0 && !counts['lost'] && !counts['stuck'], counts, problems }
}

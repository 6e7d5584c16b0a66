// The world of the liên thông tests: the app with the cross-agency test procedure published (received at xã An Bình;
// steps at the commune, the police agency:X99.50 and social insurance agency:X99.60), the agencies and their officers,
// and the calls that drive a dossier through it.
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { seedProcedures } from '../../src/catalogue/service.js'
import { seedCalendar } from '../../src/db/calendar-repository.js'
import { buildTestApp } from './app.js'
import { loginAny, seatAgencies } from './agencies.js'
import { birthForm } from './dossiers.js'
import { makePdf } from './files.js'
import { eventually } from './eventually.js'
import { multipartFile } from './api.js'

/** `procedure` = another published procedure of the same shape (forms and workflows directories, slug). */
export async function lienThongWorld(t: Test, procedure?: { formsDir: string; workflowsDir: string; slug: string }) {
  const fixtures = fileURLToPath(new URL('../fixtures/lien-thong/', import.meta.url))
  const built = await buildTestApp(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
  const { app, db } = built
  const knex = db.knex
  await seedCalendar(knex)
  await seatAgencies(knex)
  const report = await seedProcedures(knex, app.engine, {
    formsDir: procedure?.formsDir ?? `${fixtures}forms`,
    workflowsDir: procedure?.workflowsDir ?? `${fixtures}workflows`,
  })
  if (report.failed.length) throw new Error(JSON.stringify(report.failed))
  const slug = procedure?.slug ?? 'lien-thong-thu-nghiem'
  const timeoutMs = 90_000
  // The supervision period around now (a day either side, whatever the time zone).
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
  const period = `from=${day(-1)}&to=${day(1)}`
  // Report 06a runs on whole days up to today: the month of Vietnam's clock (UTC+7), when the test ran.
  const month = `month=${new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7)}`

  const sessions = new Map<string, Promise<{ authorization: string }>>()
  const as = (who: string) => {
    if (!sessions.has(who)) sessions.set(who, loginAny(built, who))
    return sessions.get(who)!
  }
  async function call(method: 'GET' | 'POST' | 'PATCH', url: string, who?: string, payload?: unknown, headers = {}) {
    return app.inject({
      method,
      url,
      headers: { ...(who ? await as(who) : {}), ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    })
  }

  const pathOf = async (unitId: string) =>
    ((await knex('units').where({ id: unitId }).first('path')) as { path: string }).path
  const nameOf = async (unitId: string) =>
    ((await knex('units').where({ id: unitId }).first('name')) as { name: string }).name

  interface WorkItem {
    taskKey: string
    elementId: string
    dossier: { id: string }
  }
  const worklist = async (who: string): Promise<WorkItem[]> => {
    const res = await call('GET', '/api/tasks?limit=200', who)
    if (res.statusCode !== 200) throw new Error(`worklist ${who}: ${res.statusCode} ${res.body}`)
    return (res.json() as { items: WorkItem[] }).items
  }
  const openTask = (dossierId: string, elementId: string) =>
    eventually(
      `${elementId} of ${dossierId}`,
      () =>
        knex('tasks').where({ dossier_id: dossierId, element_id: elementId, state: 'CREATED' }).first() as Promise<
          { user_task_key: string; unit_path: string; due_at: Date | null } | undefined
        >,
      timeoutMs,
    )

  /**
   * Submits a dossier of the test procedure. Its first processing step goes to the applicant's commune: `commune` is
   * the address's commune as the form holds it (An Bình's administrative-unit code unless a test says otherwise).
   */
  async function submitDossier(commune = '99901'): Promise<string> {
    const created = await call('POST', '/api/dossiers/drafts', 'congdan', {
      procedure: slug,
      agencyUnitId: 'xa-an-binh',
    })
    if (created.statusCode !== 201) throw new Error(`draft: ${created.body}`)
    const draftId = created.json().id as string
    await call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', {
      formData: {
        ...birthForm,
        nguoiYeuCau: { ...birthForm.nguoiYeuCau, noiCuTru: { tinh: 'Tỉnh Demo', xa: commune } },
      },
      deliveryMethod: 'counter',
    })
    for (const component of ['to-khai', 'giay-chung-sinh']) {
      const body = multipartFile(makePdf(), `${component}.pdf`, 'application/pdf')
      const up = await app.inject({
        method: 'POST',
        url: `/api/dossiers/drafts/${draftId}/attachments/${component}`,
        payload: body.payload,
        headers: { ...(await as('congdan')), ...body.headers },
      })
      if (up.statusCode !== 201) throw new Error(`upload ${component}: ${up.body}`)
    }
    const submitted = await call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
      'idempotency-key': `lien-thong-${draftId}`,
    })
    if (submitted.statusCode !== 201) throw new Error(`submit: ${submitted.body}`)
    return submitted.json().dossierId as string
  }

  async function work(t: Test, who: string, taskKey: string, body: Record<string, unknown>) {
    const claimed = await call('POST', `/api/tasks/${taskKey}/claim`, who)
    t.equal(claimed.statusCode, 200, `${who} claims ${taskKey}: ${claimed.body}`)
    const done = await call('POST', `/api/tasks/${taskKey}/complete`, who, body)
    t.equal(done.statusCode, 200, `${who} completes ${taskKey}: ${done.body}`)
  }

  return { built, app, knex, call, worklist, openTask, submitDossier, work, pathOf, nameOf, timeoutMs, period, month }
}

// An online birth registration of the citizen "congdan" at xã An Bình taken through the real workflow to its signed
// electronic result (trích lục khai sinh) and returned online (status 10): what the document-store tests reuse. The
// app must be built with testSigning's environment for 'lanhdao-xa' and the seal of 'X99.30'.
import type { Knex } from 'knex'
import type { ApiClient } from './api.js'
import { birthForm } from './dossiers.js'
import { eventually } from './eventually.js'
import { makePdf } from './files.js'

export const openTask = (knex: Knex, dossierId: string, elementId: string): Promise<string> =>
  eventually(`${elementId} of ${dossierId}`, () =>
    knex('tasks').where({ dossier_id: dossierId, element_id: elementId, state: 'CREATED' }).first('user_task_key'),
  ).then((r: { user_task_key: string }) => r.user_task_key)

/** Claims the task and completes it with the body; throws unless both succeed. */
export async function work(api: ApiClient, who: string, taskKey: string, body: Record<string, unknown>) {
  const claimed = await api.call('POST', `/api/tasks/${taskKey}/claim`, who)
  if (claimed.statusCode !== 200) throw new Error(`${who} claims: ${claimed.body}`)
  const done = await api.call('POST', `/api/tasks/${taskKey}/complete`, who, body)
  if (done.statusCode !== 200) throw new Error(`${who} completes: ${done.body}`)
}

/** An online birth registration of "congdan" at xã An Bình, accepted and reviewed: its id and its signing task. */
export async function atSigningStep(
  api: ApiClient,
  knex: Knex,
  key: string,
): Promise<{ dossierId: string; signKey: string }> {
  const created = await api.call('POST', '/api/dossiers/drafts', 'congdan', {
    procedure: 'dang-ky-khai-sinh',
    agencyUnitId: 'xa-an-binh',
  })
  const draftId = created.json().id as string
  await api.call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', {
    formData: birthForm,
    deliveryMethod: 'online',
  })
  for (const component of ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than'])
    await api.upload(
      'congdan',
      `/api/dossiers/drafts/${draftId}/attachments/${component}`,
      makePdf(),
      `${component}.pdf`,
    )
  const submitted = await api.call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
    'idempotency-key': key,
  })
  if (submitted.statusCode !== 201) throw new Error(submitted.body)
  const dossierId = submitted.json().dossierId as string
  await work(api, 'motcua-xa', await openTask(knex, dossierId, 'Task_Receive'), { decision: 'accept' })
  await work(api, 'tuphap-xa', await openTask(knex, dossierId, 'Task_Review'), { decision: 'approve' })
  return { dossierId, signKey: await openTask(knex, dossierId, 'Task_Sign') }
}

export async function issuedBirthResult(
  api: ApiClient,
  knex: Knex,
  key: string,
): Promise<{ dossierId: string; code: string; resultId: string }> {
  const { dossierId, signKey } = await atSigningStep(api, knex, key)
  const claimed = await api.call('POST', `/api/tasks/${signKey}/claim`, 'lanhdao-xa')
  if (claimed.statusCode !== 200) throw new Error(claimed.body)
  const signed = await api.call('POST', `/api/tasks/${signKey}/result`, 'lanhdao-xa')
  if (signed.statusCode !== 201) throw new Error(signed.body)
  const approved = await api.call('POST', `/api/tasks/${signKey}/complete`, 'lanhdao-xa', { decision: 'approve' })
  if (approved.statusCode !== 200) throw new Error(approved.body)
  const row = (await eventually('status 10 (online delivery)', () =>
    knex('dossiers').where({ id: dossierId, status: 10 }).first('code'),
  )) as { code: string }
  return { dossierId, code: row.code, resultId: signed.json().id as string }
}

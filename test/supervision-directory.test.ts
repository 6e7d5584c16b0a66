// The supervisor dashboard's look-ups: units of my subtree, officers an open task may be reassigned to (and the assign
// command accepts them), published procedures with their BPMN for the heatmap; other subtrees and roles see nothing.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { buildTestApp } from './helpers/app.js'

const app = await buildTestApp(t)
const knex = app.db.knex
const PATH = '/tinh-demo/xa-an-binh/'

const [proc] = await knex('procedures')
  .insert({
    code: 'HT',
    slug: 'p-ht',
    name: 'Thủ tục Hộ tịch',
    field: 'Hộ tịch',
    agency_level: 'xa',
    agency: 'UBND xã',
    online_level: 'toan-trinh',
    search_text: ' x ',
    published_version: 2,
  })
  .returning('id')
const version = (v: number, status: string) =>
  knex('procedure_versions')
    .insert({
      procedure_id: proc.id,
      version: v,
      status,
      definition: {},
      bpmn_xml: `<bpmn v="${v}"/>`,
      checksum: `c${v}`,
      bpmn_process_id: 'Process_HT',
    })
    .returning('id')
const [v1] = await version(1, 'published')
await version(2, 'published')
await version(3, 'draft')

const dossierId = randomUUID()
await knex('dossiers').insert({
  id: dossierId,
  code: 'D1',
  procedure_id: proc.id,
  procedure_version_id: v1.id,
  procedure_code: 'HT',
  procedure_slug: 'p-ht',
  procedure_name: 'Thủ tục Hộ tịch',
  agency_unit_id: 'xa-an-binh',
  unit_path: PATH,
  applicant_name: 'Người nộp',
  channel: 'online',
  delivery_method: 'counter',
  status: 4,
  submitted_at: '2026-03-02T08:00:00+07:00',
  accepted_at: '2026-03-02T09:00:00+07:00',
  receipt_date: '2026-03-02',
})
await knex('tasks').insert({
  user_task_key: 'task-review',
  dossier_id: dossierId,
  process_instance_key: '1',
  element_id: 'Task_Review',
  name: 'Thẩm định',
  unit_path: PATH,
  candidate_groups: ['tu-phap-ho-tich'],
  state: 'CREATED',
  created_at: '2026-03-02T09:00:00+07:00',
})

const lanhdao = await app.loginAs('lanhdao')
const get = (url: string, headers: Record<string, string> = lanhdao) => app.app.inject({ method: 'GET', url, headers })

t.test(
  'units: the province leader sees tỉnh Demo and every unit below it, the commune leader only the commune',
  async (t) => {
    const res = await get('/api/supervision/units')
    t.equal(res.statusCode, 200, res.body)
    t.same(
      res.json().items.map((u: { id: string }) => u.id),
      ['tinh-demo', 'bhxh-tinh', 'cong-an-tinh', 'so-xay-dung', 'tinh-demo-hcc', 'xa-an-binh', 'xa-binh-minh'],
    )
    t.match(res.json().items[5], { id: 'xa-an-binh', name: 'UBND xã An Bình', path: PATH, level: 'commune' })
    const xa = await get('/api/supervision/units', await app.loginAs('lanhdao-xa'))
    t.same(
      xa.json().items.map((u: { id: string }) => u.id),
      ['xa-an-binh'],
    )
  },
)

t.test('officers: those of my subtree in the task’s group, whom the assign command then accepts', async (t) => {
  const res = await get('/api/supervision/officers?taskKey=task-review')
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { taskKey: 'task-review', candidateGroups: ['tu-phap-ho-tich'], assignee: null })
  t.same(
    res.json().officers.map((o: { username: string }) => o.username),
    ['tuphap-xa'],
    'the registrars of the task’s own unit (xã An Bình), who can see it; not another commune’s, not the counters',
  )
  const officer = res.json().officers.find((o: { username: string }) => o.username === 'tuphap-xa')
  t.match(officer, { fullName: 'Vũ Văn Hải', unitId: 'xa-an-binh', unitName: 'UBND xã An Bình' })
  const assigned = await app.app.inject({
    method: 'POST',
    url: '/api/supervision/tasks/task-review/assign',
    headers: lanhdao,
    payload: { assignee: officer.userId },
  })
  t.equal(assigned.statusCode, 204, assigned.body)
  t.equal(
    (await get('/api/supervision/officers?taskKey=task-review')).json().assignee,
    officer.userId,
    'the list says who holds it now',
  )
})

t.test('officers: an unknown task, or one outside my subtree, is not found', async (t) => {
  t.equal((await get('/api/supervision/officers?taskKey=khong-co')).statusCode, 404)
  await knex('tasks').insert({
    user_task_key: 'task-other',
    dossier_id: dossierId,
    process_instance_key: '1',
    element_id: 'Task_Review',
    name: 'Thẩm định',
    unit_path: '/tinh-demo/xa-binh-minh/',
    candidate_groups: ['tu-phap-ho-tich'],
    state: 'CREATED',
    created_at: '2026-03-02T09:00:00+07:00',
  })
  t.equal(
    (await get('/api/supervision/officers?taskKey=task-other', await app.loginAs('lanhdao-xa'))).statusCode,
    404,
    'xã An Bình’s leader does not see xã Bình Minh’s task',
  )
  t.equal((await get('/api/supervision/officers?taskKey=task-other')).statusCode, 200, 'the province leader does')
})

t.test('processes: published versions only, with the BPMN and the id the heatmap takes', async (t) => {
  const list = await get('/api/supervision/processes')
  t.equal(list.statusCode, 200, list.body)
  t.same(list.json().items, [
    { slug: 'p-ht', code: 'HT', name: 'Thủ tục Hộ tịch', field: 'Hộ tịch', publishedVersion: 2, versions: [2, 1] },
  ])
  const one = await get('/api/supervision/processes/p-ht/versions/1')
  t.equal(one.statusCode, 200, one.body)
  t.same(one.json(), {
    procedureVersionId: v1.id,
    slug: 'p-ht',
    code: 'HT',
    name: 'Thủ tục Hộ tịch',
    version: 1,
    bpmnXml: '<bpmn v="1"/>',
  })
  t.equal(
    (await get('/api/supervision/processes/p-ht/versions/3')).statusCode,
    404,
    'a draft has no dossiers to supervise',
  )
})

t.test('officers, citizens and anonymous callers are refused', async (t) => {
  for (const user of ['canbo', 'congdan']) {
    const h = await app.loginAs(user)
    for (const url of [
      '/api/supervision/units',
      '/api/supervision/officers?taskKey=task-review',
      '/api/supervision/processes',
      '/api/supervision/processes/p-ht/versions/1',
    ]) {
      t.equal((await get(url, h)).statusCode, 403, `${user} ${url}`)
    }
  }
  t.equal((await app.app.inject({ method: 'GET', url: '/api/supervision/units' })).statusCode, 401)
})

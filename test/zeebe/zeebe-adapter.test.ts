// Specification of the Zeebe adapter against a fake SDK client: the REST requests each port call sends, and how answers
// and errors map back.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { DeployValidationError, EngineError, type EngineEvent } from '../../src/engine/port.js'
import { ZeebeEngine, type ZeebeClient } from '../../src/engine/zeebe/index.js'
import { EventPoller } from '../../src/engine/zeebe/events.js'

type Calls = Array<[string, unknown]>
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each reply destructures the SDK request it fakes
type Reply = (arg: any) => unknown

/** A fake of the SDK client: records every call; answers come from `replies` or the defaults below. */
function fakeClient(replies: Partial<Record<keyof ZeebeClient, Reply>> = {}) {
  const calls: Calls = []
  const defaults: Partial<Record<keyof ZeebeClient, Reply>> = {
    searchUserTasks: () => ({ items: [], page: { totalItems: 0 } }),
    searchIncidents: () => ({ items: [], page: { totalItems: 0 } }),
    searchProcessInstances: () => ({ items: [], page: { totalItems: 0 } }),
    searchElementInstances: () => ({ items: [], page: { totalItems: 0 } }),
    searchVariables: () => ({ items: [], page: { totalItems: 0 } }),
    activateJobs: () => ({ jobs: [] }),
  }
  const client = new Proxy({} as ZeebeClient, {
    get: (_, name: string) => async (arg: unknown) => {
      calls.push([name, arg])
      const reply = replies[name as keyof ZeebeClient] ?? defaults[name as keyof ZeebeClient]
      return reply ? reply(arg) : undefined
    },
  })
  return { client, calls }
}

const httpError = (status: number, title: string, detail = 'detail') =>
  Object.assign(new Error(title), { name: 'HttpSdkError', status, title, detail })
const noValidation = { validators: [] }

const job = (key: string, over: Record<string, unknown> = {}) => ({
  jobKey: key,
  type: 'motcua.notify',
  processInstanceKey: '2251799813685249',
  processDefinitionKey: '2251799813685100',
  processDefinitionId: 'dang-ky-khai-sinh',
  processDefinitionVersion: 3,
  elementId: 'notify',
  elementInstanceKey: '2251799813685260',
  customHeaders: { channel: 'sms', attempts: 2 },
  worker: 'w1',
  retries: 3,
  deadline: 1_760_000_000_000,
  variables: { dossierId: 'HS-1' },
  tenantId: '<default>',
  kind: 'BPMN_ELEMENT',
  listenerEventType: 'UNSPECIFIED',
  ...over,
})

t.test(
  'deploy sends the resources as files and maps each process; an unchanged resource comes back as a duplicate',
  async (t) => {
    const { client, calls } = fakeClient({
      createDeployment: () => ({
        deploymentKey: '2251799813685300',
        tenantId: '<default>',
        deployments: [
          {
            processDefinition: {
              processDefinitionId: 'new-one',
              processDefinitionVersion: 2,
              resourceName: 'a.bpmn',
              tenantId: '<default>',
              processDefinitionKey: '2251799813685301',
            },
          },
          {
            processDefinition: {
              processDefinitionId: 'same-one',
              processDefinitionVersion: 1,
              resourceName: 'b.bpmn',
              tenantId: '<default>',
              processDefinitionKey: '2251799813685001',
            },
          },
          { form: { formId: 'tham-dinh' } },
        ],
      }),
    })
    const engine = new ZeebeEngine({ client, ...noValidation })
    const result = await engine.deploy([
      { name: 'a.bpmn', content: '<a/>' },
      { name: 'b.bpmn', content: Buffer.from('<b/>') },
    ])
    t.same(result, {
      deploymentKey: '2251799813685300',
      processes: [
        {
          bpmnProcessId: 'new-one',
          processDefinitionKey: '2251799813685301',
          version: 2,
          resourceName: 'a.bpmn',
          duplicate: false,
        },
        {
          bpmnProcessId: 'same-one',
          processDefinitionKey: '2251799813685001',
          version: 1,
          resourceName: 'b.bpmn',
          duplicate: true,
        },
      ],
      // A deployment of processes only: no decisions (Zeebe reports .dmn decisions like processes).
      decisions: [],
    })
    const files = (calls[0]![1] as { resources: File[] }).resources
    t.same(await Promise.all(files.map(async (f) => [f.name, await f.text()])), [
      ['a.bpmn', '<a/>'],
      ['b.bpmn', '<b/>'],
    ])
  },
)

t.test('deploy validates first: an invalid resource never reaches Zeebe', async (t) => {
  const { client, calls } = fakeClient()
  const engine = new ZeebeEngine({ client })
  const error = await engine.deploy([{ name: 'x.bpmn', content: 'not xml' }]).catch((e: unknown) => e)
  t.type(error, DeployValidationError)
  t.same(
    (error as DeployValidationError).problems.map((p) => p.rule),
    ['motcua/xml-parse'],
  )
  t.same(calls, [])
})

t.test('deploy: a resource Zeebe itself rejects (400) is a DeployValidationError too', async (t) => {
  const { client } = fakeClient({
    createDeployment: () => {
      throw httpError(
        400,
        'INVALID_ARGUMENT',
        "Expected to deploy new resources, but encountered the following errors: 'x.bpmn': ...",
      )
    },
  })
  const error = await new ZeebeEngine({ client, ...noValidation })
    .deploy([{ name: 'x.bpmn', content: '<x/>' }])
    .catch((e: unknown) => e)
  t.type(error, DeployValidationError)
  t.match((error as DeployValidationError).problems, [
    {
      resourceName: 'x.bpmn',
      rule: 'zeebe/deploy-rejected',
      severity: 'error',
      message: /Expected to deploy new resources/,
    },
  ])
})

t.test('create and cancel process instances', async (t) => {
  const { client, calls } = fakeClient({
    createProcessInstance: () => ({
      processDefinitionId: 'dang-ky-khai-sinh',
      processDefinitionVersion: 3,
      tenantId: '<default>',
      variables: {},
      processDefinitionKey: '11',
      processInstanceKey: '22',
    }),
  })
  const engine = new ZeebeEngine({ client })
  t.same(await engine.createProcessInstance({ bpmnProcessId: 'dang-ky-khai-sinh', variables: { a: 1 } }), {
    processInstanceKey: '22',
    processDefinitionKey: '11',
    bpmnProcessId: 'dang-ky-khai-sinh',
    version: 3,
  })
  await engine.createProcessInstance({ bpmnProcessId: 'dang-ky-khai-sinh', version: 2 })
  await engine.cancelProcessInstance('22')
  t.same(calls, [
    ['createProcessInstance', { processDefinitionId: 'dang-ky-khai-sinh', variables: { a: 1 } }],
    ['createProcessInstance', { processDefinitionId: 'dang-ky-khai-sinh', processDefinitionVersion: 2, variables: {} }],
    ['cancelProcessInstance', { processInstanceKey: '22' }],
  ])
})

t.test(
  'HTTP errors become EngineError codes: 404 NOT_FOUND, 409 CONFLICT or the named state, 400 INVALID_ARGUMENT, 503/network UNAVAILABLE',
  async (t) => {
    const cases: Array<[unknown, string]> = [
      [httpError(404, 'NOT_FOUND'), 'NOT_FOUND'],
      [httpError(409, 'Conflict'), 'CONFLICT'],
      [httpError(409, 'INVALID_STATE'), 'INVALID_STATE'],
      [httpError(400, 'Bad Request'), 'INVALID_ARGUMENT'],
      [httpError(503, 'RESOURCE_EXHAUSTED'), 'UNAVAILABLE'],
      [httpError(401, 'Unauthorized'), 'UNAVAILABLE'],
      [Object.assign(new TypeError('fetch failed'), {}), 'UNAVAILABLE'],
    ]
    for (const [err, code] of cases) {
      const { client } = fakeClient({
        cancelProcessInstance: () => {
          throw err
        },
      })
      const error = await new ZeebeEngine({ client }).cancelProcessInstance('1').catch((e: unknown) => e)
      t.type(error, EngineError)
      t.equal((error as EngineError).code, code, `${(err as Error).message} → ${code}`)
    }
  },
)

t.test(
  'getProcessInstance reads the instance, its active elements, root variables and open incidents; unknown key is undefined',
  async (t) => {
    const { client, calls } = fakeClient({
      getProcessInstance: ({ processInstanceKey }) => {
        if (processInstanceKey === 'nope') throw httpError(404, 'NOT_FOUND')
        return {
          processDefinitionId: 'p',
          processDefinitionName: 'P',
          processDefinitionVersion: 1,
          startDate: '2025-01-01T00:00:00Z',
          state: 'ACTIVE',
          hasIncident: true,
          tenantId: '<default>',
          processInstanceKey: '22',
          processDefinitionKey: '11',
        }
      },
      searchElementInstances: () => ({
        items: [
          { elementId: 'p', elementInstanceKey: '22', type: 'PROCESS', state: 'ACTIVE' },
          { elementId: 'review', elementInstanceKey: '30', type: 'USER_TASK', state: 'ACTIVE' },
        ],
      }),
      searchVariables: () => ({
        items: [
          { name: 'dossierId', value: '"HS-1"' },
          { name: 'fee', value: '15000' },
          { name: 'big', value: '{"cut' },
        ],
      }),
      searchIncidents: () => ({
        items: [
          {
            incidentKey: '40',
            processInstanceKey: '22',
            elementId: 'notify',
            elementInstanceKey: '31',
            jobKey: '50',
            errorType: 'JOB_NO_RETRIES',
            errorMessage: 'smtp down',
            creationTime: '2025-01-02T03:04:05.000Z',
            state: 'ACTIVE',
          },
        ],
      }),
    })
    const engine = new ZeebeEngine({ client })
    t.same(await engine.getProcessInstance('22'), {
      processInstanceKey: '22',
      processDefinitionKey: '11',
      bpmnProcessId: 'p',
      version: 1,
      state: 'ACTIVE',
      variables: { dossierId: 'HS-1', fee: 15000, big: '{"cut' },
      activeElements: [{ elementId: 'review', elementInstanceKey: '30', elementType: 'USER_TASK' }],
      incidents: [
        {
          incidentKey: '40',
          processInstanceKey: '22',
          elementId: 'notify',
          elementInstanceKey: '31',
          jobKey: '50',
          errorType: 'JOB_NO_RETRIES',
          errorMessage: 'smtp down',
          createdAt: new Date('2025-01-02T03:04:05.000Z'),
        },
      ],
    })
    t.same(
      calls.slice(1).map(([name, arg]) => [name, (arg as { filter: unknown }).filter]),
      [
        ['searchElementInstances', { processInstanceKey: '22', state: 'ACTIVE' }],
        ['searchVariables', { processInstanceKey: '22', scopeKey: '22' }],
        ['searchIncidents', { processInstanceKey: '22', state: 'ACTIVE' }],
      ],
    )
    t.equal(await engine.getProcessInstance('nope'), undefined)
  },
)

t.test(
  'low-level job calls: activate without long polling, complete, fail with back-off, BPMN error, retries, incidents',
  async (t) => {
    const { client, calls } = fakeClient({ activateJobs: () => ({ jobs: [job('60')] }) })
    const engine = new ZeebeEngine({ client })
    const [activated] = await engine.activateJobs({
      type: 'motcua.notify',
      worker: 'w1',
      maxJobsToActivate: 5,
      timeoutMs: 30_000,
      fetchVariables: ['dossierId'],
    })
    t.same(activated, {
      key: '60',
      type: 'motcua.notify',
      processInstanceKey: '2251799813685249',
      processDefinitionKey: '2251799813685100',
      bpmnProcessId: 'dang-ky-khai-sinh',
      processDefinitionVersion: 3,
      elementId: 'notify',
      elementInstanceKey: '2251799813685260',
      customHeaders: { channel: 'sms', attempts: '2' },
      worker: 'w1',
      retries: 3,
      deadline: new Date(1_760_000_000_000),
      variables: { dossierId: 'HS-1' },
    })
    await engine.completeJob('60', { sent: true })
    await engine.failJob('60', { retries: 2, retryBackOffMs: 5000, errorMessage: 'smtp down' })
    await engine.throwJobError('60', { errorCode: 'HO_SO_KHONG_HOP_LE', errorMessage: 'thiếu giấy tờ' })
    await engine.updateJobRetries('60', 3)
    await engine.resolveIncident('40')
    t.same(calls, [
      [
        'activateJobs',
        {
          type: 'motcua.notify',
          worker: 'w1',
          maxJobsToActivate: 5,
          timeout: 30_000,
          fetchVariable: ['dossierId'],
          requestTimeout: -1,
        },
      ],
      ['completeJob', { jobKey: '60', variables: { sent: true } }],
      ['failJob', { jobKey: '60', retries: 2, errorMessage: 'smtp down', retryBackOff: 5000 }],
      ['throwJobError', { jobKey: '60', errorCode: 'HO_SO_KHONG_HOP_LE', errorMessage: 'thiếu giấy tờ' }],
      ['updateJob', { jobKey: '60', changeset: { retries: 3 } }],
      ['resolveIncident', { incidentKey: '40' }],
    ])
  },
)

t.test("completeJob sends the job result of its type: a user task listener's or an ad-hoc sub-process's", async (t) => {
  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/
  const { client, calls } = fakeClient()
  const engine = new ZeebeEngine({ client })
  await engine.completeJob(
    '61',
    { plan: 'a' },
    {
      type: 'adHocSubProcess',
      activateElements: [{ elementId: 'fraud', variables: { threshold: 5 } }, { elementId: 'income' }],
    },
  )
  await engine.completeJob('62', undefined, {
    type: 'adHocSubProcess',
    isCompletionConditionFulfilled: true,
    isCancelRemainingInstances: false,
  })
  await engine.completeJob('63', {}, { denied: true, deniedReason: 'chưa đủ hồ sơ' })
  t.same(calls, [
    [
      'completeJob',
      {
        jobKey: '61',
        variables: { plan: 'a' },
        result: {
          type: 'adHocSubProcess',
          activateElements: [{ elementId: 'fraud', variables: { threshold: 5 } }, { elementId: 'income' }],
        },
      },
    ],
    [
      'completeJob',
      {
        jobKey: '62',
        variables: {},
        result: { type: 'adHocSubProcess', isCompletionConditionFulfilled: true, isCancelRemainingInstances: false },
      },
    ],
    [
      'completeJob',
      { jobKey: '63', variables: {}, result: { type: 'userTask', denied: true, deniedReason: 'chưa đủ hồ sơ' } },
    ],
  ])
})

t.test('publishMessage passes TTL and message id and returns the message key', async (t) => {
  const { client, calls } = fakeClient({ publishMessage: () => ({ messageKey: '70', tenantId: '<default>' }) })
  const engine = new ZeebeEngine({ client })
  t.same(
    await engine.publishMessage({
      name: 'dossier.supplemented',
      correlationKey: 'HS-1',
      variables: { ok: true },
      timeToLiveMs: 60_000,
      messageId: 'HS-1-bs-1',
    }),
    { messageKey: '70' },
  )
  t.same(calls, [
    [
      'publishMessage',
      {
        name: 'dossier.supplemented',
        correlationKey: 'HS-1',
        variables: { ok: true },
        timeToLive: 60_000,
        messageId: 'HS-1-bs-1',
      },
    ],
  ])
})

t.test('broadcastSignal sends the signal name and variables and returns the signal key', async (t) => {
  const { client, calls } = fakeClient({ broadcastSignal: () => ({ signalKey: '80', tenantId: '<default>' }) })
  const engine = new ZeebeEngine({ client })
  t.same(await engine.broadcastSignal({ signalName: 'luat-thay-doi', variables: { from: '2027-01-01' } }), {
    signalKey: '80',
  })
  t.same(calls, [['broadcastSignal', { signalName: 'luat-thay-doi', variables: { from: '2027-01-01' } }]])
})

t.test('user tasks: search filters, get (404 → undefined), assign, unassign, complete', async (t) => {
  const task = {
    userTaskKey: '80',
    name: 'Thẩm định',
    state: 'CREATED',
    elementId: 'review',
    elementInstanceKey: '30',
    processInstanceKey: '22',
    processDefinitionKey: '11',
    processDefinitionId: 'p',
    candidateGroups: ['chuyen-vien'],
    candidateUsers: [],
    creationDate: '2025-01-01T01:00:00.000Z',
    dueDate: '2025-01-08T10:00:00.000Z',
    customHeaders: {},
    priority: 50,
    formKey: '90',
  }
  const { client, calls } = fakeClient({
    searchUserTasks: () => ({ items: [task] }),
    getUserTask: ({ userTaskKey }) => {
      if (userTaskKey !== '80') throw httpError(404, 'NOT_FOUND')
      return { ...task, state: 'ASSIGNING', assignee: 'an' }
    },
  })
  const engine = new ZeebeEngine({ client })
  const expected = {
    userTaskKey: '80',
    name: 'Thẩm định',
    elementId: 'review',
    elementInstanceKey: '30',
    processInstanceKey: '22',
    processDefinitionKey: '11',
    bpmnProcessId: 'p',
    state: 'CREATED',
    candidateGroups: ['chuyen-vien'],
    candidateUsers: [],
    dueDate: new Date('2025-01-08T10:00:00.000Z'),
    formKey: '90',
    customHeaders: {},
    priority: 50,
    creationDate: new Date('2025-01-01T01:00:00.000Z'),
  }
  t.same(
    await engine.searchUserTasks({
      state: 'CREATED',
      candidateGroups: ['chuyen-vien', 'lanh-dao'],
      processInstanceKey: '22',
      limit: 10,
    }),
    [expected],
  )
  t.same(await engine.getUserTask('80'), { ...expected, assignee: 'an' }, 'a transitional state reads as CREATED')
  t.equal(await engine.getUserTask('81'), undefined)
  await engine.assignUserTask('80', 'an', { allowOverride: false })
  await engine.assignUserTask('80', undefined)
  await engine.completeUserTask('80', { approved: true })
  t.same(calls[0], [
    'searchUserTasks',
    {
      filter: { state: 'CREATED', processInstanceKey: '22', candidateGroup: { $in: ['chuyen-vien', 'lanh-dao'] } },
      sort: [{ field: 'creationDate', order: 'ASC' }],
      page: { limit: 10 },
    },
  ])
  t.same(calls.slice(3), [
    ['assignUserTask', { userTaskKey: '80', assignee: 'an', allowOverride: false }],
    ['unassignUserTask', { userTaskKey: '80' }],
    ['completeUserTask', { userTaskKey: '80', variables: { approved: true } }],
  ])
})

t.test(
  'a worker asks only for free capacity, answers through the job, fails a job whose handler throws, and drains on close',
  async (t) => {
    const asked: number[] = []
    let batch = 0
    const { client, calls } = fakeClient({
      activateJobs: async ({ maxJobsToActivate }) => {
        asked.push(maxJobsToActivate)
        batch++
        if (batch === 1) return { jobs: [job('1'), job('2')] }
        if (batch === 2) return { jobs: [job('3', { retries: 1 })] }
        await new Promise((r) => setTimeout(r, 5))
        return { jobs: [] }
      },
    })
    const engine = new ZeebeEngine({ client })
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const worker = engine.createWorker(
      { type: 'motcua.notify', maxJobsToActivate: 3, pollIntervalMs: 20 },
      async (j) => {
        if (j.key === '3') throw new Error('handler crashed')
        await gate
        return j.complete({ done: j.key })
      },
    )
    await new Promise((r) => setTimeout(r, 30))
    t.same(asked.slice(0, 2), [3, 1], 'two jobs in hand of three: asks for one more')
    const closed = worker.close()
    release()
    await closed
    const answers = calls.filter(([name]) => name !== 'activateJobs')
    t.same(
      answers,
      [
        ['failJob', { jobKey: '3', retries: 0, errorMessage: 'handler crashed' }],
        ['completeJob', { jobKey: '1', variables: { done: '1' } }],
        ['completeJob', { jobKey: '2', variables: { done: '2' } }],
      ],
      'jobs in flight finish before close resolves',
    )
  },
)

t.test('a worker backs off after failed polls instead of hammering the gateway', async (t) => {
  const at: number[] = []
  const { client } = fakeClient({
    activateJobs: () => {
      at.push(Date.now())
      throw httpError(503, 'RESOURCE_EXHAUSTED')
    },
  })
  const errors: unknown[] = []
  const engine = new ZeebeEngine({
    client,
    worker: { minBackoffMs: 20, maxBackoffMs: 80 },
    onError: (e) => errors.push(e),
  })
  const worker = engine.createWorker({ type: 'x', pollIntervalMs: 10 }, async (j) => j.complete())
  await new Promise((r) => setTimeout(r, 200))
  await worker.close()
  const gaps = at.slice(1).map((v, i) => v - at[i]!)
  t.ok(at.length >= 3 && at.length <= 6, `polls in 200 ms with 20→40→80 ms back-off: ${at.length}`)
  t.ok(
    gaps.every((g, i) => i === 0 || g >= gaps[i - 1]! - 5),
    `gaps grow: ${gaps.join(', ')}`,
  )
  t.ok(errors.length >= 3)
})

t.test(
  'events are polled from search: user task created/completed, incidents, ended instances, each once, oldest first',
  async (t) => {
    let now = new Date('2025-01-01T00:00:10.000Z')
    const task = {
      userTaskKey: '80',
      name: 'Thẩm định',
      elementId: 'review',
      processInstanceKey: '22',
      processDefinitionId: 'p',
      creationDate: '2025-01-01T00:00:05.000Z',
    }
    // Like the real search: only records at or after the `$gte` of the filter.
    const since = (filter: Record<string, { $gte: string }>, items: Array<Record<string, string>>, field: string) => ({
      items: items.filter((i) => i[field]! >= filter[field]!.$gte),
    })
    const { client, calls } = fakeClient({
      searchUserTasks: ({ filter }) =>
        filter.creationDate
          ? since(filter, [{ ...task, state: 'CREATED' }], 'creationDate')
          : since(
              filter,
              [{ ...task, state: 'COMPLETED', completionDate: '2025-01-01T00:00:08.000Z' }],
              'completionDate',
            ),
      searchIncidents: ({ filter }) =>
        since(
          filter,
          [
            {
              incidentKey: '40',
              processInstanceKey: '22',
              elementId: 'notify',
              creationTime: '2025-01-01T00:00:06.000Z',
              errorType: 'JOB_NO_RETRIES',
              errorMessage: 'x',
            },
          ],
          'creationTime',
        ),
      searchProcessInstances: ({ filter }) =>
        since(
          filter,
          [
            {
              processInstanceKey: '22',
              processDefinitionId: 'p',
              state: 'TERMINATED',
              endDate: '2025-01-01T00:00:09.000Z',
            },
          ],
          'endDate',
        ),
    })
    const poller = new EventPoller(client, { since: new Date('2025-01-01T00:00:00.000Z'), lagMs: 1000, now: () => now })
    const seen: EngineEvent[] = []
    poller.subscribe((e) => void seen.push(e))
    await poller.poll()
    now = new Date('2025-01-01T00:00:12.000Z')
    await poller.poll()
    now = new Date('2025-01-01T00:00:14.000Z')
    await poller.poll()
    t.same(
      seen.map((e) => [e.type, e.at.toISOString()]),
      [
        ['userTask.created', '2025-01-01T00:00:05.000Z'],
        ['incident.created', '2025-01-01T00:00:06.000Z'],
        ['userTask.completed', '2025-01-01T00:00:08.000Z'],
        ['instance.terminated', '2025-01-01T00:00:09.000Z'],
      ],
      'later polls see some records again (look-back) and emit nothing twice',
    )
    t.same(
      (calls[0]![1] as { filter: unknown }).filter,
      { creationDate: { $gte: '2024-12-31T23:59:59.000Z' } },
      'looks back lagMs before the watermark',
    )
    t.same(
      (calls[4]![1] as { filter: unknown }).filter,
      { creationDate: { $gte: '2025-01-01T00:00:09.000Z' } },
      'then from the previous poll minus the lag',
    )
  },
)

t.test('ready() asks the cluster topology; an unreachable cluster is not ready', async (t) => {
  t.equal(
    await new ZeebeEngine({ client: fakeClient({ getTopology: () => ({ brokers: [{ nodeId: 0 }] }) }).client }).ready(),
    true,
  )
  t.equal(
    await new ZeebeEngine({
      client: fakeClient({
        getTopology: () => {
          throw new TypeError('fetch failed')
        },
      }).client,
    }).ready(),
    false,
  )
})

t.test('the valid validation fixture passes the default deploy validators', async (t) => {
  const { client } = fakeClient({
    createDeployment: () => ({ deploymentKey: '5', tenantId: '<default>', deployments: [] }),
  })
  const content = readFileSync(join(import.meta.dirname, '../fixtures/validation/valid.bpmn'))
  t.same(
    await new ZeebeEngine({
      client,
      validators: [
        async (r) => (await import('../../src/engine/validation/index.js')).validateBpmn(r, { embeddedSubset: false }),
      ],
    }).deploy([{ name: 'valid.bpmn', content }]),
    { deploymentKey: '5', processes: [], decisions: [] },
  )
})

t.test(
  'a task listener job completes with its JobResult; a denied completion is DENIED, not INVALID_STATE',
  async (t) => {
    // https://docs.camunda.io/docs/components/concepts/user-task-listeners/ — the 8.8 JobResult of type userTask.
    const denial =
      "Command 'COMPLETE' rejected with code 'INVALID_STATE': Completion of the User Task with key '7' was denied by " +
      "Task Listener. Reason to deny: 'Thiếu chữ ký'"
    const { client, calls } = fakeClient({
      completeUserTask: () => {
        throw httpError(409, 'INVALID_STATE', denial)
      },
    })
    const engine = new ZeebeEngine({ client })
    await engine.completeJob('61', undefined, { denied: true, deniedReason: 'Thiếu chữ ký' })
    await engine.completeJob('62', {}, { corrections: { assignee: 'can-bo-b', priority: 80 } })
    t.same(calls, [
      [
        'completeJob',
        { jobKey: '61', variables: {}, result: { type: 'userTask', denied: true, deniedReason: 'Thiếu chữ ký' } },
      ],
      [
        'completeJob',
        {
          jobKey: '62',
          variables: {},
          result: { type: 'userTask', corrections: { assignee: 'can-bo-b', priority: 80 } },
        },
      ],
    ])
    const err = (await engine.completeUserTask('7').catch((e: unknown) => e)) as EngineError
    t.type(err, EngineError)
    t.equal(err.code, 'DENIED')
    t.match(err.message, /was denied by Task Listener\. Reason to deny: 'Thiếu chữ ký'/)
  },
)

t.test(
  'updateUserTask is PATCH /v2/user-tasks/{key}: only the given attributes; a denied update is DENIED',
  async (t) => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/update-user-task/ — null or
    // absent keeps an attribute, so the adapter leaves them out; the action defaults to "update" on Zeebe's side.
    const denial =
      "Command 'UPDATE' rejected with code 'INVALID_STATE': Update of the User Task with key '9' was denied by " +
      "Task Listener. Reason to deny: 'Hạn do lãnh đạo quyết định'"
    const { client, calls } = fakeClient({
      updateUserTask: (arg) => {
        if ((arg as { userTaskKey: string }).userTaskKey === '9') throw httpError(409, 'INVALID_STATE', denial)
        return undefined
      },
    })
    const engine = new ZeebeEngine({ client })
    await engine.updateUserTask('8', { dueDate: '', priority: 70, candidateGroups: [], followUpDate: null })
    await engine.updateUserTask('8', { candidateUsers: ['an'] }, { action: 'escalate' })
    t.same(calls, [
      ['updateUserTask', { userTaskKey: '8', changeset: { dueDate: '', priority: 70, candidateGroups: [] } }],
      ['updateUserTask', { userTaskKey: '8', changeset: { candidateUsers: ['an'] }, action: 'escalate' }],
    ])
    const err = (await engine.updateUserTask('9', { priority: 1 }).catch((e: unknown) => e)) as EngineError
    t.type(err, EngineError)
    t.equal(err.code, 'DENIED')
    t.match(err.message, /Update of the User Task with key '9' was denied by Task Listener/)
  },
)

// Contract: text that looks like SQL placeholders or escapes (`?`, `\?`, `$1`) in variables and correlation keys
// travels through the engine unchanged — statements that go through knex.raw in one message inline their values, and
// knex takes every `?` it sees for a placeholder.
import t from 'tap'
import { literal } from '../../src/engine/embedded/sql.js'
import { activateOne, createContractEngine, deployFixtures, waitForState } from './contract-engine.js'

const tricky = { note: 'Có đủ hồ sơ? \\? $1 ?? $m$', list: ['a?', '?', ''] }

t.test('a literal for knex spells each ? as chr(63), and only then', async (t) => {
  t.equal(literal('a?b', true), '($m$a$m$ || chr(63) || $m$b$m$)')
  t.equal(literal('a?b'), '$m$a?b$m$')
  t.equal(literal('plain', true), '$m$plain$m$')
})

t.test(
  'given variables and a correlation key with ? and \\?, when a message is published and a job activated, then they arrive unchanged',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'message-catch.bpmn')
    const ref = await engine.createProcessInstance({
      bpmnProcessId: 'message-catch',
      variables: { dossierCode: 'H21?\\?-001' },
    })
    await new Promise((r) => setTimeout(r, 50))
    await engine.publishMessage({
      name: 'supplement-received',
      correlationKey: 'H21?\\?-001',
      variables: tricky,
      timeToLiveMs: 60_000,
      messageId: 'm?1',
    })
    await engine.publishMessage({ name: 'fee-paid', correlationKey: 'H21?\\?-001', variables: { amount: 1 } })
    const done = await waitForState(engine, ref.processInstanceKey, 'COMPLETED')
    t.same(done.variables['note'], tricky.note)
    t.same(done.variables['list'], tricky.list)
  },
)

t.test(
  'given a job whose instance holds ? in its variables, when it is activated, then it gets them unchanged',
  async (t) => {
    const engine = await createContractEngine(t)
    await deployFixtures(engine, 'one-task.bpmn')
    await engine.createProcessInstance({ bpmnProcessId: 'one-task', variables: tricky })
    const job = await activateOne(engine, 'work')
    t.same(job.variables['note'], tricky.note)
    t.same(job.variables['list'], tricky.list)
  },
)

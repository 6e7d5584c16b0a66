// Cron timer cycles: a timeCycle that is not an ISO-8601 repeating interval is a Spring cron expression (six
// fields, seconds first, or a macro such as @hourly), repeating without end, computed in UTC (Zeebe computes
// it in the broker's default zone, UTC in Camunda's images).
// https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/#time-cycle
import t from 'tap'
import { DeployValidationError } from '../../src/engine/port.js'
import { nextCronDue } from '../../src/engine/embedded/cron.js'
import {
  activateOne,
  activeIds,
  createManualClockEngine,
  createContractEngine,
  deployFixtures,
  instanceState,
} from './contract-engine.js'

t.test('next due dates of Spring cron expressions and macros, in UTC', async (t) => {
  const from = new Date('2030-01-04T08:00:00Z') // a Friday
  t.equal(nextCronDue('0 0 9 * * MON-FRI', from).toISOString(), '2030-01-04T09:00:00.000Z')
  t.equal(nextCronDue('0 0 9 * * MON-FRI', new Date('2030-01-04T09:00:00Z')).toISOString(), '2030-01-07T09:00:00.000Z')
  t.equal(nextCronDue('@daily', from).toISOString(), '2030-01-05T00:00:00.000Z')
  t.equal(nextCronDue('0 0 12 ? * FRI', from).toISOString(), '2030-01-04T12:00:00.000Z')
  t.equal(nextCronDue('0 */15 * * * *', from).toISOString(), '2030-01-04T08:15:00.000Z')
  t.throws(() => nextCronDue('0 9 * * *', from), /six fields/, 'five-field (Unix) cron is not Spring cron')
})

t.test('a cron timer start event starts an instance on each weekday at 9:00 UTC (manual clock)', async (t) => {
  let now = new Date('2030-01-04T08:00:00Z') // Friday
  const engine = await createManualClockEngine(t, () => now)
  await deployFixtures(engine, 'cron-timers.bpmn')
  now = new Date('2030-01-04T08:59:59Z')
  t.equal(await engine.runDueTimers(), 0, 'not before 9:00')
  now = new Date('2030-01-04T09:00:00Z')
  t.equal(await engine.runDueTimers(), 1, 'Friday 9:00')
  now = new Date('2030-01-06T23:59:59Z')
  t.equal(await engine.runDueTimers(), 0, 'nothing on the weekend')
  now = new Date('2030-01-07T09:00:00Z')
  t.equal(await engine.runDueTimers(), 1, 'Monday 9:00')
  const jobs = await engine.activateJobs({ type: 'cron-daily', worker: 't', maxJobsToActivate: 10, timeoutMs: 10_000 })
  t.equal(jobs.length, 2, 'two instances')
})

t.test('a non-interrupting @hourly boundary timer fires every hour while the task is open', async (t) => {
  let now = new Date('2030-01-04T08:30:00Z')
  const engine = await createManualClockEngine(t, () => now)
  await deployFixtures(engine, 'cron-timers.bpmn')
  const ref = await engine.createProcessInstance({ bpmnProcessId: 'cron-boundary' })
  now = new Date('2030-01-04T09:00:00Z')
  t.equal(await engine.runDueTimers(), 2, '9:00: the hourly reminder and the weekday start')
  now = new Date('2030-01-04T10:00:00Z')
  t.equal(await engine.runDueTimers(), 1, '10:00: the hourly reminder')
  await engine.completeJob((await activateOne(engine, 'cron-remind')).key)
  await engine.completeJob((await activateOne(engine, 'cron-remind')).key)
  t.same(activeIds(await instanceState(engine, ref.processInstanceKey)), ['review'])
})

t.test('an invalid cron time cycle is refused at deploy with the element id', async (t) => {
  const engine = await createContractEngine(t)
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="http://motcua.test">
  <bpmn:process id="bad-cron" isExecutable="true">
    <bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">0 9 * * *</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="tick" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`
  const err = await engine.deploy([{ name: 'bad-cron.bpmn', content: xml }]).catch((e) => e)
  t.type(err, DeployValidationError)
  t.same(
    (err as DeployValidationError).problems.map((p) => p.elementId),
    ['tick'],
  )
})

// Specification of how the embedded engine refuses what it does not execute: each refusal names the element and the
// construct in plain words and says it is not supported, and never invents a requirement for a construct it refuses.
import t from 'tap'
import { checkSupportedSubset } from '../../src/engine/embedded/subset.js'
import { parseResource } from '../../src/engine/validation/xml.js'

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"'

/** The subset's problems for a process made of `body` between a start event and an end event (flows `in`/`out`). */
async function refusals(body: string, roots = ''): Promise<Array<{ elementId?: string; message: string }>> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d" targetNamespace="http://motcua.test">${roots}
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start" />
    ${body}
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`
  const parsed = await parseResource({ name: 'p.bpmn', content: xml })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return checkSupportedSubset(parsed.definitions, 'p.bpmn').map(({ elementId, message }) => ({
    ...(elementId ? { elementId } : {}),
    message,
  }))
}

t.test('an element type outside the subset: the element and the type in plain words', async (t) => {
  t.same(await refusals('<bpmn:complexGateway id="complex" />'), [
    { elementId: 'complex', message: 'Element "complex": a complex gateway is not supported by the embedded engine.' },
  ])
})

t.test('an event definition outside the subset: its kind and the event, in plain words', async (t) => {
  t.same(
    await refusals(
      '<bpmn:intermediateCatchEvent id="cond"><bpmn:conditionalEventDefinition /></bpmn:intermediateCatchEvent>',
    ),
    [
      {
        elementId: 'cond',
        message: 'Element "cond": a conditional intermediate catch event is not supported by the embedded engine.',
      },
    ],
  )
  t.same(
    await refusals(
      '<bpmn:intermediateCatchEvent id="multi"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>' +
        '</bpmn:timerEventDefinition><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration>' +
        '</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
    ),
    [
      {
        elementId: 'multi',
        message:
          'Element "multi": an intermediate catch event with multiple event definitions is not supported by the ' +
          'embedded engine.',
      },
    ],
  )
})

t.test('an event kind not allowed where it stands: where, and what is supported there', async (t) => {
  // Zeebe starts a process with none, message, timer or signal start events; an error start event belongs in an event
  // sub-process (https://docs.camunda.io/docs/components/modeler/bpmn/error-events/).
  t.same(
    await refusals(
      '<bpmn:subProcess id="sub"><bpmn:startEvent id="inner-start"><bpmn:errorEventDefinition /></bpmn:startEvent>' +
        '</bpmn:subProcess>',
    ),
    [
      {
        elementId: 'inner-start',
        message:
          'Element "inner-start": an error start event in an embedded sub-process is not supported by the embedded ' +
          'engine; supported here: none.',
      },
    ],
  )
})

t.test('a refused event is not also told to meet the requirements of one that runs', async (t) => {
  // A message start event inside an embedded sub-process (Zeebe allows only a none start event there) without a
  // message: it is refused for where it stands, not also for "needing a message with a name".
  const problems = await refusals(
    '<bpmn:subProcess id="sub"><bpmn:startEvent id="inner"><bpmn:messageEventDefinition /></bpmn:startEvent></bpmn:subProcess>',
  )
  const onInner = problems.filter((p) => p.elementId === 'inner')
  t.ok(onInner.length > 0, 'the start event is reported')
  t.notOk(
    onInner.some((p) => /needs|correlationKey|name/.test(p.message)),
    'no invented requirement',
  )
  t.ok(onInner.every((p) => /^Element "inner": .* is not supported by the embedded engine/.test(p.message)))
})

t.test('a message end event runs as a job (Zeebe): it needs a job type, never a correlation key', async (t) => {
  const problems = await refusals('<bpmn:endEvent id="sent"><bpmn:messageEventDefinition /></bpmn:endEvent>')
  t.same(
    problems.filter((p) => p.elementId === 'sent').map((p) => p.message),
    ['Message EndEvent "sent" needs a zeebe:taskDefinition with a type (a job).'],
  )
})

t.test(
  'a job-based user task runs (a job of type io.camunda.zeebe:userTask, as in Zeebe 8.8): nothing refused',
  async (t) => {
    t.same(await refusals('<bpmn:userTask id="oldUser" />'), [])
  },
)

t.test('a standard loop: refused as unsupported, with what to use instead', async (t) => {
  t.same(
    await refusals(
      '<bpmn:serviceTask id="loop"><bpmn:extensionElements><zeebe:taskDefinition type="w" /></bpmn:extensionElements>' +
        '<bpmn:standardLoopCharacteristics /></bpmn:serviceTask>',
    ),
    [
      {
        elementId: 'loop',
        message: 'Element "loop": a standard loop is not supported by the embedded engine; use multi-instance.',
      },
    ],
  )
})

t.test('after an event-based gateway: an unsupported catch event is unsupported, a task is not an event', async (t) => {
  const problems = await refusals(
    // moddle fills a gateway's outgoing list from its <bpmn:outgoing> children, as modelers write them.
    '<bpmn:eventBasedGateway id="g"><bpmn:outgoing>g1</bpmn:outgoing><bpmn:outgoing>g2</bpmn:outgoing>' +
      '</bpmn:eventBasedGateway>' +
      '<bpmn:sequenceFlow id="g1" sourceRef="g" targetRef="cond" />' +
      '<bpmn:intermediateCatchEvent id="cond"><bpmn:conditionalEventDefinition /></bpmn:intermediateCatchEvent>' +
      '<bpmn:sequenceFlow id="g2" sourceRef="g" targetRef="task" />' +
      '<bpmn:task id="task" />',
  )
  t.same(
    problems.filter((p) => /event-based gateway/.test(p.message)),
    [
      {
        elementId: 'cond',
        message:
          'Element "cond": a conditional intermediate catch event after event-based gateway "g" is not supported by ' +
          'the embedded engine; supported after it: message, timer and signal intermediate catch events, receive tasks.',
      },
      {
        elementId: 'task',
        message: '"task" follows event-based gateway "g" but is not an intermediate catch event or receive task.',
      },
    ],
  )
})

// Specification of deploy validation: which BPMN resources may be deployed, and what each refusal says.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import fc from 'fast-check'
import { DeployValidationError, type DeployProblem, type DeployResource } from '../../src/engine/port.js'
import {
  assertDeployable as assertDeployableWith,
  toProblemErrors,
  validateBpmn as validate,
  type ValidateOptions,
} from '../../src/engine/validation/index.js'

const fixtures = join(import.meta.dirname, '../fixtures/validation')
const fixture = (name: string) => ({ name, content: readFileSync(join(fixtures, name)) })
const known = new Set(['motcua.notify'])
// The embedded subset is specified by its own tests; here it is off except where it is the subject.
const validateBpmn = (resources: DeployResource[], opts: ValidateOptions = {}) =>
  validate(resources, { embeddedSubset: false, ...opts })
const assertDeployable = (resources: DeployResource[], opts: ValidateOptions = {}) =>
  assertDeployableWith(resources, { embeddedSubset: false, ...opts })
/** The fields a test pins down; messages are checked where they matter to the reader. */
const brief = (problems: DeployProblem[]) =>
  problems.map(({ rule, elementId, severity }) => ({ rule, elementId, severity }))

t.test('a valid Zeebe 8.8 process (service task, Zeebe user task, message catch) has no problems', async (t) => {
  t.same(await validateBpmn([fixture('valid.bpmn')], { knownJobTypes: known }), [])
})

t.test('a service task without a job type is a camunda-compat error on that task', async (t) => {
  t.same(brief(await validateBpmn([fixture('missing-job-type.bpmn')], { knownJobTypes: known })), [
    { rule: 'camunda-compat/implementation', elementId: 'notify', severity: 'error' },
  ])
})

// Job-based user tasks are deprecated in 8.8 but still executed (a job of type io.camunda.zeebe:userTask):
// https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#job-worker-implementation
t.test(
  'a job-based user task (deprecated in 8.8) is a warning that does not block the deployment, on both engines',
  async (t) => {
    const problems = await validateBpmn([fixture('job-user-task.bpmn')], { knownJobTypes: known })
    t.same(brief(problems), [{ rule: 'camunda-compat/zeebe-user-task', elementId: 'review', severity: 'warning' }])
    t.match(problems[0]!.message, /zeebe:UserTask/)
    t.same(
      (await validate([fixture('job-user-task.bpmn')], { knownJobTypes: known })).filter((p) => p.severity === 'error'),
      [],
      'the embedded subset runs it too',
    )
  },
)

t.test('a correlation key that is not valid FEEL is reported on the catch event that uses the message', async (t) => {
  const problems = await validateBpmn([fixture('bad-correlation-key.bpmn')], { knownJobTypes: known })
  t.same(brief(problems), [
    { rule: 'motcua/feel-correlation-key', elementId: 'supplement-received', severity: 'error' },
  ])
  t.match(problems[0]!.message, /=dossier\.id \+.*supplement-message/)
})

t.test('a DOCTYPE is refused before parsing: billion laughs and XXE never reach a parser', async (t) => {
  for (const name of ['billion-laughs.bpmn', 'xxe.bpmn']) {
    t.same(
      await validateBpmn([fixture(name)]),
      [
        {
          resourceName: name,
          rule: 'motcua/xml-doctype',
          message: 'DOCTYPE and ENTITY declarations are not allowed in BPMN resources',
          severity: 'error',
        },
      ],
      name,
    )
  }
})

t.test('a resource over the size limit is refused by its length alone', async (t) => {
  const valid = readFileSync(join(fixtures, 'valid.bpmn'), 'utf8')
  const huge = valid.replace('</bpmn:definitions>', `<!-- ${'x'.repeat(5 * 1024 * 1024)} --></bpmn:definitions>`)
  const problems = await validateBpmn([{ name: 'huge.bpmn', content: Buffer.from(huge) }])
  t.same(brief(problems), [{ rule: 'motcua/xml-size', elementId: undefined, severity: 'error' }])
  t.match(problems[0]!.message, /limit is 5242880 bytes/)
  t.same(
    brief(await validateBpmn([fixture('valid.bpmn')], { maxBytes: 1000 })),
    [{ rule: 'motcua/xml-size', elementId: undefined, severity: 'error' }],
    'the limit is configurable',
  )
})

t.test('text that is not XML, not UTF-8 or not BPMN gets one clear problem', async (t) => {
  const cases: Array<[string, string | Buffer, string, RegExp]> = [
    ['not-xml.bpmn', readFileSync(join(fixtures, 'not-xml.bpmn')), 'motcua/xml-parse', /not XML/],
    [
      'latin1.bpmn',
      Buffer.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e]),
      'motcua/xml-encoding',
      /not valid UTF-8/,
    ],
    ['utf16.bpmn', Buffer.from('\ufeff<a/>', 'utf16le'), 'motcua/xml-encoding', /UTF-16/],
    ['declared.bpmn', '<?xml version="1.0" encoding="ISO-8859-1"?><a/>', 'motcua/xml-encoding', /ISO-8859-1/],
    ['binary.bpmn', Buffer.from([0x3c, 0x00, 0x01, 0x02]), 'motcua/xml-encoding', /control character/],
    ['other.bpmn', '<?xml version="1.0"?><html><body/></html>', 'motcua/xml-parse', /not a readable BPMN document/],
    [
      'truncated.bpmn',
      readFileSync(join(fixtures, 'valid.bpmn'), 'utf8').slice(0, 900),
      'motcua/xml-parse',
      /not a readable BPMN document/,
    ],
  ]
  for (const [name, content, rule, message] of cases) {
    const problems = await validateBpmn([{ name, content }])
    t.same(brief(problems), [{ rule, elementId: undefined, severity: 'error' }], name)
    t.match(problems[0]?.message, message, name)
  }
})

t.test('no input makes validation throw: random text and bytes always come back as problems', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string(),
        fc.uint8Array().map((a) => Buffer.from(a)),
        fc.string().map((s) => `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">${s}`),
      ),
      async (content) => {
        const problems = await validateBpmn([{ name: 'random.bpmn', content }])
        return problems.some((p) => p.severity === 'error')
      },
    ),
    { numRuns: 200 },
  )
  t.pass()
})

t.test(
  'a job type no worker takes: warning from the API, error for the repository workflows, unchecked without a list',
  async (t) => {
    const expected = (severity: string) => [{ rule: 'motcua/job-type-worker', elementId: 'notify', severity }]
    t.same(brief(await validateBpmn([fixture('valid.bpmn')], { knownJobTypes: new Set() })), expected('warning'))
    t.same(
      brief(await validateBpmn([fixture('valid.bpmn')], { knownJobTypes: new Set(), jobTypeSeverity: 'error' })),
      expected('error'),
    )
    t.same(await validateBpmn([fixture('valid.bpmn')]), [])
  },
)

t.test('validating the same resource twice gives the same answer (no lint state leaks between calls)', async (t) => {
  const first = await validateBpmn([fixture('valid.bpmn')], { knownJobTypes: known })
  const second = await validateBpmn([fixture('valid.bpmn'), { name: 'forms/tham-dinh.form', content: '{}' }], {
    knownJobTypes: known,
  })
  t.same(second, first)
})

t.test('two resources defining the same process id are refused, as Zeebe would', async (t) => {
  const problems = await validateBpmn(
    [fixture('valid.bpmn'), { name: 'copy.bpmn', content: readFileSync(join(fixtures, 'valid.bpmn')) }],
    { knownJobTypes: known },
  )
  t.same(problems, [
    {
      resourceName: 'copy.bpmn',
      elementId: 'validation-valid',
      rule: 'motcua/duplicate-process-id',
      message: 'Process id "validation-valid" is also defined in valid.bpmn',
      severity: 'error',
    },
  ])
})

t.test(
  'extra checks (the embedded engine subset) run on every parsed resource; a failing check is a problem, not a crash',
  async (t) => {
    const seen: string[] = []
    const problems = await validateBpmn([fixture('valid.bpmn')], {
      knownJobTypes: known,
      checks: [
        (definitions, resourceName) => {
          seen.push(`${resourceName}:${String(definitions.id)}`)
          return [
            { resourceName, elementId: 'review', rule: 'embedded/unsupported', message: 'no', severity: 'warning' },
          ]
        },
        () => {
          throw new Error('boom')
        },
      ],
    })
    t.same(seen, ['valid.bpmn:Definitions_valid'])
    t.same(brief(problems), [
      { rule: 'embedded/unsupported', elementId: 'review', severity: 'warning' },
      { rule: 'motcua/check-failed', elementId: undefined, severity: 'error' },
    ])
  },
)

t.test(
  'assertDeployable throws DeployValidationError with every problem when one is an error, and passes warnings through',
  async (t) => {
    const error = await assertDeployable([fixture('valid.bpmn'), fixture('missing-job-type.bpmn')], {
      knownJobTypes: new Set(),
    }).catch((e: unknown) => e)
    t.type(error, DeployValidationError)
    t.same(brief((error as DeployValidationError).problems), [
      { rule: 'motcua/job-type-worker', elementId: 'notify', severity: 'warning' },
      { rule: 'camunda-compat/implementation', elementId: 'notify', severity: 'error' },
    ])
    t.same(brief(await assertDeployable([fixture('valid.bpmn')], { knownJobTypes: new Set() })), [
      { rule: 'motcua/job-type-worker', elementId: 'notify', severity: 'warning' },
    ])
  },
)

t.test('problems become the errors array of a 422 response, errors before warnings', async (t) => {
  const problems: DeployProblem[] = [
    { resourceName: 'a.bpmn', elementId: 'notify', rule: 'motcua/job-type-worker', message: 'w', severity: 'warning' },
    { resourceName: 'b.bpmn', rule: 'motcua/xml-parse', message: 'e', severity: 'error' },
  ]
  t.same(toProblemErrors(problems), [
    { resource: 'b.bpmn', rule: 'motcua/xml-parse', message: 'e', severity: 'error' },
    { resource: 'a.bpmn', elementId: 'notify', rule: 'motcua/job-type-worker', message: 'w', severity: 'warning' },
  ])
})

t.test(
  'by default the embedded engine subset is checked too, so a file deployable on Zeebe also runs embedded',
  async (t) => {
    t.same(
      await validate([fixture('valid.bpmn')], { knownJobTypes: known }),
      [],
      'the valid fixture is inside the subset',
    )
  },
)

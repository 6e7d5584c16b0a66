// Specification of Camunda 8.8's FEEL built-in functions on the embedded engine: every example of the built-in
// function pages evaluates to the documented result, in the engine's thread and in the budget worker, and a model that
// uses them passes the deploy-time lint. The examples are the pages' own (as @camunda/feel-builtins carries them), on
// https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-<page>/
import t from 'tap'
import { ExpressionError, evalBudgeted, evalValue, feelBudget } from '../../src/engine/embedded/feel.js'
import { validateBpmn } from '../../src/engine/validation/index.js'

// What is checked here is the result in the worker, not its time: on a loaded machine a 200 ms budget can run out.
const budget = feelBudget.timeMs
feelBudget.timeMs = 10_000
t.teardown(() => {
  feelBudget.timeMs = budget
})

const page = (name: string): string =>
  `https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-${name}/`

/** Documented examples with a fixed result, by page. */
const documented: Array<{ page: string; examples: Array<[string, unknown]> }> = [
  {
    page: 'boolean',
    examples: [
      ['not(true)', false],
      ['not(null)', null],
      ['is defined(1)', true],
      ['is defined(null)', false],
      ['get or else("this", "default")', 'this'],
      ['get or else(null, "default")', 'default'],
      ['get or else(null, null)', null],
    ],
  },
  {
    page: 'context',
    examples: [
      ['get value({foo: 123}, "foo")', 123],
      ['get value({a: 1}, "b")', null],
      ['get entries({foo: 123})', [{ key: 'foo', value: 123 }]],
      ['context put({x:1}, ["y"], 2)', { x: 1, y: 2 }],
      ['context put({x:1, y: {z:0}}, ["y", "z"], 2)', { x: 1, y: { z: 2 } }],
      ['context put({x:1}, ["y", "z"], 2)', { x: 1, y: { z: 2 } }],
      ['get value({x:1, y: {z:0}}, ["y", "z"])', 0],
      ['get value({x: {y: {z:0}}}, ["x", "y"])', { z: 0 }],
      ['get value({a: {b: 3}}, ["b"])', null],
      ['context put({x:1}, "y", 2)', { x: 1, y: 2 }],
      ['context merge([{x:1}, {y:2}])', { x: 1, y: 2 }],
      ['context merge([{x:1, y: 0}, {y:2}])', { x: 1, y: 2 }],
    ],
  },
  {
    page: 'conversion',
    examples: [
      ['string(1.1)', '1.1'],
      ['string(date("2012-12-25"))', '2012-12-25'],
      ['number("1500.5")', 1500.5],
      ['number("1,500", ",")', 1500],
      ['number("1 500.5", " ", ".")', 1500.5],
      ['context([{"key":"a", "value":1}, {"key":"b", "value":2}])', { a: 1, b: 2 }],
      ['date("2018-04-29")', '2018-04-29'],
      ['date(date and time("2012-12-25T11:00:00"))', '2012-12-25'],
      ['date(2012, 12, 25)', '2012-12-25'],
      ['time("12:00:00")', '12:00:00'],
      ['time(date and time("2012-12-25T11:00:00"))', '11:00:00'],
      ['time(23, 59, 0)', '23:59:00'],
      ['time(14, 30, 0, duration("PT1H"))', '14:30:00+01:00'],
      ['date and time("2018-04-29T09:30:00")', '2018-04-29T09:30:00'],
      ['date and time("2018-04-29T09:30:00+02:00")', '2018-04-29T09:30:00+02:00'],
      ['date and time("2018-04-29T09:30:00@Europe/Berlin")', '2018-04-29T09:30:00@Europe/Berlin'],
      ['date and time("2018-04-29T09:30:00+02:00[Europe/Berlin]")', '2018-04-29T09:30:00@Europe/Berlin'],
      ['date and time(date("2012-12-24"),time("T23:59:00"))', '2012-12-24T23:59:00'],
      ['date and time(date and time("2012-12-25T11:00:00"),time("T23:59:00"))', '2012-12-25T23:59:00'],
      ['duration("P5D")', 'P5D'],
      ['duration("P32Y")', 'P32Y'],
      ['years and months duration(date("2011-12-22"), date("2013-08-24"))', 'P1Y8M'],
      [
        'date and time(@"2020-07-31T14:27:30@Europe/Berlin", "America/Los_Angeles")',
        '2020-07-31T05:27:30@America/Los_Angeles',
      ],
    ],
  },
  {
    page: 'list',
    examples: [
      ['list contains([1,2,3], 2)', true],
      ['count([1,2,3])', 3],
      ['min([1,2,3])', 1],
      ['min(1,2,3)', 1],
      ['max([1,2,3])', 3],
      ['max(1,2,3)', 3],
      ['sum([1,2,3])', 6],
      ['sum(1,2,3)', 6],
      ['product([2, 3, 4])', 24],
      ['product(2, 3, 4)', 24],
      ['mean([1,2,3])', 2],
      ['mean(1,2,3)', 2],
      ['median(8, 2, 5, 3, 4)', 4],
      ['median([6, 1, 2, 3])', 2.5],
      ['stddev(2, 4, 7, 5)', 2.0816659994661326],
      ['stddev([2, 4, 7, 5])', 2.0816659994661326],
      ['mode(6, 3, 9, 6, 6)', [6]],
      ['mode([6, 1, 9, 6, 1])', [1, 6]],
      ['all([true,false])', false],
      ['all(false,null,true)', false],
      ['any([false,true])', true],
      ['any(false,null,true)', true],
      ['sublist([1,2,3], 2)', [2, 3]],
      ['sublist([1,2,3], 1, 2)', [1, 2]],
      ['append([1], 2, 3)', [1, 2, 3]],
      ['concatenate([1,2],[3])', [1, 2, 3]],
      ['concatenate([1],[2],[3])', [1, 2, 3]],
      ['insert before([1,3],1,2)', [2, 1, 3]],
      ['remove([1,2,3], 2)', [1, 3]],
      ['reverse([1,2,3])', [3, 2, 1]],
      ['index of([1,2,3,2],2)', [2, 4]],
      ['union([1,2],[2,3])', [1, 2, 3]],
      ['distinct values([1,2,3,2,1])', [1, 2, 3]],
      ['flatten([[1,2],[[3]], 4])', [1, 2, 3, 4]],
      ['sort(list: [3,1,4,5,2], precedes: function(x,y) x < y)', [1, 2, 3, 4, 5]],
      ['string join(["a","b","c"])', 'abc'],
      ['string join(["a",null,"c"])', 'ac'],
      ['string join([])', ''],
      ['string join(["a"], "X")', 'a'],
      ['string join(["a","b","c"], ", ")', 'a, b, c'],
      ['duplicate values([1,2,3,2,1])', [1, 2]],
      ['string join(["a","b","c"], ", ", "[", "]")', '[a, b, c]'],
      ['is empty([])', true],
      ['is empty([1,2,3])', false],
      ['partition([1,2,3,4,5], 2)', [[1, 2], [3, 4], [5]]],
      ['partition([], 2)', []],
      ['partition([1,2], 0)', null],
    ],
  },
  {
    page: 'numeric',
    examples: [
      ['decimal(1/3, 2)', 0.33],
      ['decimal(1.5, 0)', 2],
      ['floor(1.5)', 1],
      ['floor(-1.5)', -2],
      ['floor(-1.56, 1)', -1.6],
      ['ceiling(1.5)', 2],
      ['ceiling(-1.5)', -1],
      ['ceiling(-1.56, 1)', -1.5],
      ['round up(5.5)', 6],
      ['round up(-5.5)', -6],
      ['round up(1.121, 2)', 1.13],
      ['round up(-1.126, 2)', -1.13],
      ['round down(5.5, 0)', 5],
      ['round down (-5.5, 0)', -5],
      ['round down (1.121, 2)', 1.12],
      ['round down (-1.126, 2)', -1.12],
      ['round half up(5.5, 0)', 6],
      ['round half up(-5.5, 0)', -6],
      ['round half up(1.121, 2)', 1.12],
      ['round half up(-1.126, 2)', -1.13],
      ['round half down (5.5, 0)', 5],
      ['round half down (-5.5, 0)', -5],
      ['round half down (1.121, 2)', 1.12],
      ['round half down (-1.126, 2)', -1.13],
      ['abs(10)', 10],
      ['abs(-10)', 10],
      ['modulo(12, 5)', 2],
      ['sqrt(16)', 4],
      ['log(10)', 2.302585092994046],
      ['exp(5)', 148.4131591025766],
      ['odd(5)', true],
      ['odd(2)', false],
      ['even(5)', false],
      ['even(2)', true],
    ],
  },
  {
    page: 'range',
    examples: [
      ['before(1, 10)', true],
      ['before(10, 1)', false],
      ['before([1..5], 10)', true],
      ['before(1, [2..5])', true],
      ['before([1..5], [6..10])', true],
      ['before([1..5),[5..10])', true],
      ['after(10, 1)', true],
      ['after(1, 10)', false],
      ['after([1..5], 10)', false],
      ['after(12, [2..5])', true],
      ['after([6..10], [1..5])', true],
      ['after([5..10], [1..5))', true],
      ['meets([1..5], [5..10])', true],
      ['meets([1..3], [4..6])', false],
      ['meets([1..3], [3..5])', true],
      ['meets([1..5], (5..8])', false],
      ['met by([5..10], [1..5])', true],
      ['met by([3..4], [1..2])', false],
      ['met by([3..5], [1..3])', true],
      ['met by((5..8], [1..5))', false],
      ['met by([5..10], [1..5))', false],
      ['overlaps([5..10], [1..6])', true],
      ['overlaps((3..7], [1..4])', true],
      ['overlaps([1..3], (3..6])', false],
      ['overlaps((5..8], [1..5))', false],
      ['overlaps([4..10], [1..5))', true],
      ['overlaps before([1..5], [4..10])', true],
      ['overlaps before([3..4], [1..2])', false],
      ['overlaps before([1..3], (3..5])', false],
      ['overlaps before([1..5), (3..8])', true],
      ['overlaps before([1..5), [5..10])', false],
      ['overlaps after([4..10], [1..5])', true],
      ['overlaps after([3..4], [1..2])', false],
      ['overlaps after([3..5], [1..3))', false],
      ['overlaps after((5..8], [1..5))', false],
      ['overlaps after([4..10], [1..5))', true],
      ['finishes(5, [1..5])', true],
      ['finishes(10, [1..7])', false],
      ['finishes([3..5], [1..5])', true],
      ['finishes((1..5], [1..5))', false],
      ['finishes([5..10], [1..10))', false],
      ['finished by([5..10], 10)', true],
      ['finished by([3..4], 2)', false],
      ['finished by([1..5], [3..5])', true],
      ['finished by((5..8], [1..5))', false],
      ['finished by([5..10], (1..10))', false],
      ['includes([5..10], 6)', true],
      ['includes([3..4], 5)', false],
      ['includes([1..10], [4..6])', true],
      ['includes((5..8], [1..5))', false],
      ['includes([1..10], [1..5))', true],
      ['during(5, [1..10])', true],
      ['during(12, [1..10])', false],
      ['during(1, (1..10])', false],
      ['during([4..6], [1..10))', true],
      ['during((1..5], (1..10])', true],
      ['starts(1, [1..5])', true],
      ['starts(1, (1..8])', false],
      ['starts((1..5], [1..5])', false],
      ['starts([1..10], [1..5])', false],
      ['starts((1..5), (1..10))', true],
      ['started by([1..10], 1)', true],
      ['started by((1..10], 1)', false],
      ['started by([1..10], [1..5])', true],
      ['started by((1..10], [1..5))', false],
      ['started by([1..10], [1..10))', true],
      ['coincides(5, 5)', true],
      ['coincides(3, 4)', false],
      ['coincides([1..5], [1..5])', true],
      ['coincides((1..5], [1..5))', false],
      ['coincides([1..5], [2..6])', false],
    ],
  },
  {
    page: 'string',
    examples: [
      ['substring("foobar", 3)', 'obar'],
      ['substring("foobar", -2)', 'ar'],
      ['substring("foobar", 3, 3)', 'oba'],
      ['substring("foobar", -3, 2)', 'ba'],
      ['substring("foobar", 3, 10)', 'obar'],
      ['string length("foo")', 3],
      ['upper case("aBc4")', 'ABC4'],
      ['lower case("aBc4")', 'abc4'],
      ['substring before("foobar", "bar")', 'foo'],
      ['substring after("foobar", "ob")', 'ar'],
      ['contains("foobar", "of")', false],
      ['starts with("foobar", "fo")', true],
      ['ends with("foobar", "r")', true],
      ['matches("foobar", "^fo*bar")', true],
      ['matches("FooBar", "foo", "i")', true],
      ['replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")', '[1=ab][2=]cd'],
      ['replace("0123456789", "(\\d{3})(\\d{3})(\\d{4})", "($1) $2-$3")', '(012) 345-6789'],
      ['replace("How do you feel?", "Feel", "FEEL", "i")', 'How do you FEEL?'],
      ['split("John Doe", "\\s" )', ['John', 'Doe']],
      ['split("a;b;c;;", ";")', ['a', 'b', 'c', '', '']],
      ['extract("references are 1234, 1256, 1378", "12[0-9]*")', ['1234', '1256']],
      ['trim("  hello world  ")', 'hello world'],
      ['trim("hello   world ")', 'hello   world'],
      ['to base64("FEEL")', 'RkVFTA=='],
      ['is blank("")', true],
      ['is blank(" ")', true],
      ['is blank("hello world")', false],
    ],
  },
  {
    page: 'temporal',
    examples: [
      ['day of week(date("2019-09-17"))', 'Tuesday'],
      ['day of week(date and time("2019-09-17T12:00:00"))', 'Tuesday'],
      ['day of year(date("2019-09-17"))', 260],
      ['day of year(date and time("2019-09-17T12:00:00"))', 260],
      ['week of year(date("2019-09-17"))', 38],
      ['week of year(date and time("2019-09-17T12:00:00"))', 38],
      ['month of year(date("2019-09-17"))', 'September'],
      ['month of year(date and time("2019-09-17T12:00:00"))', 'September'],
      ['abs(duration("-PT5H"))', 'PT5H'],
      ['abs(duration("PT5H"))', 'PT5H'],
      ['abs(duration("-P2M"))', 'P2M'],
      ['last day of month(date("2022-10-01"))', '2022-10-31'],
      ['last day of month(date and time("2022-10-16T12:00:00"))', '2022-10-31'],
    ],
  },
]

/** Evaluates in the engine's thread and in the budget worker; both must agree. */
function evaluateBoth(expr: string, variables: Record<string, unknown> = {}): unknown {
  const [inThread, inWorker] = evaluateEach(expr, variables)
  if (JSON.stringify(inThread) !== JSON.stringify(inWorker))
    throw new Error(`'${expr}': ${JSON.stringify(inThread)} in the thread, ${JSON.stringify(inWorker)} in the worker`)
  return inThread
}

/** For the functions whose result changes from call to call. */
function evaluateEach(expr: string, variables: Record<string, unknown> = {}): [unknown, unknown] {
  return [evalValue(`=${expr}`, variables), evalBudgeted(expr, variables)]
}

function failure(expr: string, variables: Record<string, unknown> = {}): string[] {
  const messages: string[] = []
  for (const run of [() => evalValue(`=${expr}`, variables), () => evalBudgeted(expr, variables)]) {
    try {
      run()
      messages.push('no error')
    } catch (err) {
      messages.push(err instanceof ExpressionError ? err.message : `not an ExpressionError: ${String(err)}`)
    }
  }
  return messages
}

for (const { page: name, examples } of documented) {
  t.test(`${name} functions: each example of ${page(name)} gives its documented result`, async (t) => {
    for (const [expr, expected] of examples) t.same(evaluateBoth(expr), expected, expr)
  })
}

t.test(
  `is defined(): false for null, a missing variable or a missing path; true otherwise (${page('boolean')})`,
  async (t) => {
    // 8.8 changed it: a variable that holds null is not defined either (the page's "Breaking change").
    t.equal(evaluateBoth('is defined(x)', {}), false, 'no variable x')
    t.equal(evaluateBoth('is defined(x)', { x: null }), false, 'x is null')
    t.equal(evaluateBoth('is defined(x)', { x: 0 }), true, 'x is 0')
    t.equal(evaluateBoth('is defined(x)', { x: false }), true, 'x is false')
    t.equal(evaluateBoth('is defined(x.y)', {}), false, 'no variable x')
    t.equal(evaluateBoth('is defined(x.y)', { x: {} }), false, 'x has no y')
    t.equal(evaluateBoth('is defined(x.y)', { x: { y: 'a' } }), true, 'x.y exists')
    t.equal(evaluateBoth('if is defined(dossier.fee) then dossier.fee else 0', { dossier: {} }), 0)
    t.match(failure('is defined()'), [/expects one argument/, /expects one argument/], 'is defined() is an error')
  },
)

t.test(`get or else() parses although "or" is a keyword, with variables and paths (${page('boolean')})`, async (t) => {
  t.equal(evaluateBoth('get or else(x, "default")', {}), 'default')
  t.equal(evaluateBoth('get or else(x.y, 1) + 1', { x: { y: 41 } }), 42)
  t.equal(evaluateBoth('get or else(value: x, default: 2)', {}), 2, 'named arguments')
})

t.test(
  `assert() returns the value when the condition holds, else fails the evaluation (${page('boolean')})`,
  async (t) => {
    t.equal(evaluateBoth('assert(x, x != null)', { x: 'value' }), 'value')
    t.equal(evaluateBoth('assert(x, x >= 0)', { x: 4 }), 4)
    t.equal(evaluateBoth('assert(x, x != null, "\'x\' should not be null")', { x: 'value' }), 'value')
    t.match(failure('assert(x, x != null)', { x: null }), [/assert/, /assert/])
    t.match(failure('assert(x, x != null)', {}), [/assert/, /assert/], 'x does not exist')
    t.match(failure('assert(x, x >= 0)', { x: -1 }), [/assert/, /assert/])
    t.match(failure('assert(x, x != null, "\'x\' should not be null")', {}), [
      /'x' should not be null/,
      /'x' should not be null/,
    ])
    t.match(failure('assert(x, x >= 0, "\'x\' should be positive")', { x: -4 }), [
      /'x' should be positive/,
      /'x' should be positive/,
    ])
  },
)

t.test(`functions without a fixed result: now(), today(), random number(), uuid() (${page('temporal')})`, async (t) => {
  const before = Date.now()
  for (const now of evaluateEach('now()') as string[])
    t.ok(Math.abs(new Date(now).getTime() - before) < 60_000, `now() is the current instant: ${now}`)
  for (const today of evaluateEach('today()')) t.match(today, /^\d{4}-\d{2}-\d{2}$/)
  for (const random of evaluateEach('random number()') as number[])
    t.ok(random >= 0 && random < 1, `random number() in [0, 1): ${random}`)
  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-string/
  const uuids = evaluateEach('uuid()') as string[]
  for (const uuid of uuids) t.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  t.not(uuids[0], uuids[1], 'a new one each time')
})

t.test(`date and time(date, timezone) (${page('conversion')})`, async (t) => {
  t.equal(
    evaluateBoth('date and time(@"2020-07-31T14:27:30@Europe/Berlin", "America/Los_Angeles")'),
    '2020-07-31T05:27:30@America/Los_Angeles',
  )
  // The page's second example reads the local date-time in the machine's zone (Europe/Berlin there); Zeebe's clock,
  // and this engine, run in UTC.
  t.equal(evaluateBoth('date and time(@"2020-07-31T14:27:30", "Z")'), '2020-07-31T14:27:30Z')
  t.equal(evaluateBoth('date and time(@"2020-07-31T14:27:30+02:00", "Z")'), '2020-07-31T12:27:30Z')
})

// Camunda's lint (camunda-compat/agent-fromai-contract) refuses fromAi() outside an AI agent's ad-hoc sub-process, so
// a model deployed here never reaches it; evaluated, it gives its value back.
t.test(`fromAi() returns its value unchanged (${page('miscellaneous')})`, async (t) => {
  const toolCall = { searchQuery: 'hộ tịch', userId: 7, documentType: 'invoice', tags: ['a'] }
  t.equal(evaluateBoth('fromAi(toolCall.searchQuery)', { toolCall }), 'hộ tịch')
  t.equal(
    evaluateBoth('fromAi(toolCall.searchQuery, "The search query used to find the best match.")', { toolCall }),
    'hộ tịch',
  )
  t.equal(evaluateBoth('fromAi(toolCall.userId, null, "number")', { toolCall }), 7)
  t.equal(evaluateBoth('fromAi(value: toolCall.userId, type: "number")', { toolCall }), 7)
  t.equal(
    evaluateBoth(
      'fromAi(toolCall.documentType, "The document type to provide", "string", {enum: ["invoice", "receipt", "contract"]})',
      { toolCall },
    ),
    'invoice',
  )
  t.same(
    evaluateBoth('fromAi(toolCall.tags, "Tags to apply to the blog post", "array", {items: {type: "string"}})', {
      toolCall,
    }),
    ['a'],
  )
  t.equal(evaluateBoth('fromAi(value: toolCall.documentType, options: {required: false})', { toolCall }), 'invoice')
})

t.test('a variable named like a built-in shadows it, as feelin does for its own built-ins', async (t) => {
  t.equal(evaluateBoth('trim', { trim: 'biến' }), 'biến')
  t.equal(evaluateBoth('trim(" a ")', {}), 'a')
})

/** One service task whose input mappings hold the expressions, as a modeler would write them. */
function modelWith(expressions: string[]): string {
  const escape = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const inputs = expressions.map((e, i) => `<zeebe:input source="${escape(`=${e}`)}" target="v${i}" />`).join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="feel-builtins" name="FEEL" isExecutable="true">
    <bpmn:startEvent id="start" name="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="task" name="task">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="feel-builtins" />
        <zeebe:ioMapping>${inputs}</zeebe:ioMapping>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" name="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
  </bpmn:process>
  <bpmn:message id="m" name="fee-paid">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=get or else(dossier.code, &quot;none&quot;)" /></bpmn:extensionElements>
  </bpmn:message>
</bpmn:definitions>`
}

t.test('the deploy-time lint accepts every documented example, and each of them evaluates', async (t) => {
  const expressions = [
    ...documented.flatMap((p) => p.examples.map(([expr]) => expr)),
    'is defined(x.y)',
    'get or else(x, "default")',
    'assert(1, true, "never")',
    'now()',
    'today()',
    'random number()',
    'uuid()',
    'date and time(@"2020-07-31T14:27:30", "Z")',
  ]
  const problems = await validateBpmn([{ name: 'feel-builtins.bpmn', content: modelWith(expressions) }])
  // The generated model has no diagram; everything else must pass.
  t.same(
    problems.filter((p) => p.severity === 'error' && p.rule !== 'no-bpmndi'),
    [],
    'no deploy error',
  )
  for (const expr of expressions) t.doesNotThrow(() => evaluateEach(expr), expr)
})

t.test('functions that take a regular expression run under the budget; the extensions are linear', async (t) => {
  const { mayLoop } = await import('../../src/engine/embedded/feel.js')
  t.equal(mayLoop('extract(note, "[0-9]+")'), true)
  for (const expr of [
    'get or else(x, 1)',
    'is defined(x)',
    'last day of month(today())',
    'string join(list, ", ", "[", "]")',
    'partition(list, 2)',
    'duplicate values(list)',
    'is empty(list)',
    'is blank(note)',
    'trim(note)',
    'uuid()',
    'to base64(note)',
  ])
    t.equal(mayLoop(expr), false, expr)
})

// Evaluates one documented example of every FEEL built-in function Camunda 8.8 lists, with the feelin version
// installed, and prints a Markdown table (function, example, documented result, what feelin returns, verdict).
// Used to fill the FEEL rows of docs/bpmn-coverage.md: `npx tsx scripts/feel-builtins-probe.ts`.
// Examples and results are from https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/
// (pages: boolean, string, numeric, list, context, conversion, temporal, range, miscellaneous).
import { evaluate } from 'feelin'

type Probe = [category: string, name: string, example: string, expected: unknown]

const probes: Probe[] = [
  ['boolean', 'not', 'not(true)', false],
  ['boolean', 'is defined', 'is defined(1)', true],
  ['boolean', 'get or else', 'get or else(null, "default")', 'default'],
  ['boolean', 'assert', 'assert(1, 1 != null)', 1],
  ['string', 'substring', 'substring("foobar", 3)', 'obar'],
  ['string', 'string length', 'string length("foo")', 3],
  ['string', 'upper case', 'upper case("aBc4")', 'ABC4'],
  ['string', 'lower case', 'lower case("aBc4")', 'abc4'],
  ['string', 'substring before', 'substring before("foobar", "bar")', 'foo'],
  ['string', 'substring after', 'substring after("foobar", "ob")', 'ar'],
  ['string', 'contains', 'contains("foobar", "of")', false],
  ['string', 'starts with', 'starts with("foobar", "fo")', true],
  ['string', 'ends with', 'ends with("foobar", "r")', true],
  ['string', 'matches', 'matches("foobar", "^fo*bar")', true],
  ['string', 'replace', 'replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")', '[1=ab][2=]cd'],
  ['string', 'split', 'split("John Doe", "\\s")', ['John', 'Doe']],
  ['string', 'extract', 'extract("references are 1234, 1256, 1378", "12[0-9]*")', ['1234', '1256']],
  ['string', 'trim', 'trim("  hello world  ")', 'hello world'],
  ['string', 'uuid', 'string length(uuid())', 36],
  ['string', 'to base64', 'to base64("FEEL")', 'RkVFTA=='],
  ['string', 'is blank', 'is blank("")', true],
  ['numeric', 'decimal', 'decimal(1/3, 2)', 0.33],
  ['numeric', 'floor', 'floor(1.5)', 1],
  ['numeric', 'ceiling', 'ceiling(1.5)', 2],
  ['numeric', 'round up', 'round up(5.5, 0)', 6],
  ['numeric', 'round down', 'round down(5.5, 0)', 5],
  ['numeric', 'round half up', 'round half up(5.5, 0)', 6],
  ['numeric', 'round half down', 'round half down(5.5, 0)', 5],
  ['numeric', 'abs', 'abs(-10)', 10],
  ['numeric', 'modulo', 'modulo(12, 5)', 2],
  ['numeric', 'sqrt', 'sqrt(16)', 4],
  ['numeric', 'log', 'log(10) > 2.30 and log(10) < 2.31', true],
  ['numeric', 'exp', 'exp(5) > 148.41 and exp(5) < 148.42', true],
  ['numeric', 'odd', 'odd(5)', true],
  ['numeric', 'even', 'even(5)', false],
  ['numeric', 'random number', 'random number() >= 0 and random number() < 1', true],
  ['list', 'list contains', 'list contains([1,2,3], 2)', true],
  ['list', 'count', 'count([1,2,3])', 3],
  ['list', 'min', 'min([1,2,3])', 1],
  ['list', 'max', 'max(1,2,3)', 3],
  ['list', 'sum', 'sum([1,2,3])', 6],
  ['list', 'product', 'product([2,3,4])', 24],
  ['list', 'mean', 'mean([1,2,3])', 2],
  ['list', 'median', 'median(8, 2, 5, 3, 4)', 4],
  ['list', 'stddev', 'stddev(2, 4, 7, 5) > 2.08 and stddev(2, 4, 7, 5) < 2.09', true],
  ['list', 'mode', 'mode(6, 3, 9, 6, 6)', [6]],
  ['list', 'all', 'all([false,null,true])', false],
  ['list', 'any', 'any([false,null,true])', true],
  ['list', 'sublist', 'sublist([1,2,3], 2)', [2, 3]],
  ['list', 'append', 'append([1], 2, 3)', [1, 2, 3]],
  ['list', 'concatenate', 'concatenate([1,2],[3])', [1, 2, 3]],
  ['list', 'insert before', 'insert before([1,3], 1, 2)', [2, 1, 3]],
  ['list', 'remove', 'remove([1,2,3], 2)', [1, 3]],
  ['list', 'reverse', 'reverse([1,2,3])', [3, 2, 1]],
  ['list', 'index of', 'index of([1,2,3,2], 2)', [2, 4]],
  ['list', 'union', 'union([1,2],[2,3])', [1, 2, 3]],
  ['list', 'distinct values', 'distinct values([1,2,3,2,1])', [1, 2, 3]],
  ['list', 'duplicate values', 'duplicate values([1,2,3,2,1])', [1, 2]],
  ['list', 'flatten', 'flatten([[1,2],[[3]], 4])', [1, 2, 3, 4]],
  ['list', 'sort', 'sort(list: [3,1,4,5,2], precedes: function(x,y) x < y)', [1, 2, 3, 4, 5]],
  ['list', 'string join', 'string join(["a","b","c"], ", ")', 'a, b, c'],
  ['list', 'is empty', 'is empty([])', true],
  ['list', 'partition', 'partition([1,2,3,4,5], 2)', [[1, 2], [3, 4], [5]]],
  ['context', 'get value', 'get value({a: 1}, "a")', 1],
  ['context', 'get entries', 'get entries({key1: "value1"})', [{ key: 'key1', value: 'value1' }]],
  ['context', 'context put', 'context put({x: 1}, "y", 2)', { x: 1, y: 2 }],
  ['context', 'put', 'put({x: 1}, "y", 2)', { x: 1, y: 2 }],
  ['context', 'context merge', 'context merge([{x: 1}, {y: 2}])', { x: 1, y: 2 }],
  ['context', 'put all', 'put all({x: 1}, {y: 2})', { x: 1, y: 2 }],
  ['conversion', 'string', 'string(1.1)', '1.1'],
  ['conversion', 'number', 'number("1500.5")', 1500.5],
  ['conversion', 'context', 'context([{key: "a", value: 1}])', { a: 1 }],
  ['conversion', 'date', 'string(date("2012-12-25"))', '2012-12-25'],
  ['conversion', 'time', 'string(time("23:59:00"))', '23:59:00'],
  ['conversion', 'date and time', 'string(date and time("2012-12-24T23:59:00"))', '2012-12-24T23:59:00'],
  ['conversion', 'duration', 'string(duration("P1D"))', 'P1D'],
  [
    'conversion',
    'years and months duration',
    'string(years and months duration(date("2011-12-22"), date("2013-08-24")))',
    'P1Y8M',
  ],
  ['conversion', 'from json', 'from json("{\\"a\\": 1}")', { a: 1 }],
  ['conversion', 'to json', 'to json({a: 1})', '{"a":1}'],
  ['temporal', 'now', 'now() != null', true],
  ['temporal', 'today', 'today() != null', true],
  ['temporal', 'day of week', 'day of week(date("2019-09-17"))', 'Tuesday'],
  ['temporal', 'day of year', 'day of year(date("2019-09-17"))', 260],
  ['temporal', 'week of year', 'week of year(date("2019-09-17"))', 38],
  ['temporal', 'month of year', 'month of year(date("2019-09-17"))', 'September'],
  ['temporal', 'last day of month', 'string(last day of month(date("2022-10-01")))', '2022-10-31'],
  ['range', 'before', 'before(1, 10)', true],
  ['range', 'after', 'after(10, 1)', true],
  ['range', 'meets', 'meets([1..5], [5..10])', true],
  ['range', 'met by', 'met by([5..10], [1..5])', true],
  ['range', 'overlaps', 'overlaps([1..5], [3..8])', true],
  ['range', 'overlaps before', 'overlaps before([1..5], [3..8])', true],
  ['range', 'overlaps after', 'overlaps after([3..8], [1..5])', true],
  ['range', 'finishes', 'finishes(5, [1..5])', true],
  ['range', 'finished by', 'finished by([1..5], 5)', true],
  ['range', 'includes', 'includes([1..10], 5)', true],
  ['range', 'during', 'during(5, [1..10])', true],
  ['range', 'starts', 'starts(1, [1..5])', true],
  ['range', 'started by', 'started by([1..5], 1)', true],
  ['range', 'coincides', 'coincides([1..5], [1..5])', true],
]

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Runs every probe; `ok` is whether feelin returned the documented result. */
export function probeBuiltins(): Array<{
  category: string
  name: string
  example: string
  expected: string
  got: string
  ok: boolean
}> {
  return probes.map(([category, name, example, expected]) => {
    let got: unknown
    try {
      const result = evaluate(example, {}) as { value: unknown; warnings: Array<{ message: string }> }
      got = result.warnings.length ? `null (${result.warnings[0]!.message})` : result.value
      if (result.value !== null && result.value !== undefined) got = result.value
    } catch (err) {
      got = `error: ${(err as Error).message}`
    }
    return { category, name, example, expected: show(expected), got: show(got), ok: show(got) === show(expected) }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = probeBuiltins()
  console.log('| category | function | example | documented result | feelin today | verdict |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const r of rows) {
    const cell = (s: string) => '`' + s.replace(/\|/g, '\\|') + '`'
    console.log(
      `| ${r.category} | ${r.name} | ${cell(r.example)} | ${cell(r.expected)} | ${cell(r.got)} | ${r.ok ? 'ok' : 'WRONG'} |`,
    )
  }
  console.log(`\n${rows.filter((r) => r.ok).length} of ${rows.length} evaluate to the documented result.`)
}

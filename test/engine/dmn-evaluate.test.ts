// The DMN evaluator on its own: unary tests (feelin), default outputs, priorities, aggregation errors, chains of
// required decisions, and what the parser refuses. Behaviour follows Zeebe's DMN engine (dmn-scala,
// DecisionTableEvaluator) and https://docs.camunda.io/docs/components/modeler/dmn/decision-table-hit-policy/.
// The engine-level behaviour (deploy, business rule tasks, incidents) is in dmn.test.ts.
import t from 'tap'
import { evaluateDecision } from '../../src/engine/embedded/dmn/evaluate.js'
import { parseDmn, type DecisionGraph } from '../../src/engine/embedded/dmn/model.js'

const NS = 'xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"'

async function graph(body: string): Promise<DecisionGraph> {
  const { graph, problems } = await parseDmn(
    `<definitions ${NS} id="g" name="g" namespace="x">${body}</definitions>`,
    'g.dmn',
  )
  if (!graph) throw new Error(problems.map((p) => p.message).join('\n'))
  return graph
}

function rule(id: string, inputs: string[], outputs: string[]): string {
  return (
    `<rule id="${id}">` +
    inputs.map((i) => `<inputEntry><text>${i}</text></inputEntry>`).join('') +
    outputs.map((o) => `<outputEntry><text>${o}</text></outputEntry>`).join('') +
    '</rule>'
  )
}

function table(id: string, attrs: string, inputs: string[], outputs: string, rules: string): string {
  const ins = inputs.map((e) => `<input><inputExpression><text>${e}</text></inputExpression></input>`).join('')
  // Rule ids are unique per resource: prefixed with the decision id.
  const own = rules.replace(/<rule id="/g, `<rule id="${id}_`)
  return `<decision id="${id}"><decisionTable ${attrs}>${ins}${outputs}${own}</decisionTable></decision>`
}

// Not asserted: feelin 8.2 answers true for a string tested against a number range ("abc" in [1..10]), where FEEL
// says null (no match); see the branch note.
t.test('unary tests: literals, comparisons, disjunctions, negation, ?, other variables, "-" and empty', async (t) => {
  const g = await graph(
    table(
      'd',
      'hitPolicy="FIRST"',
      ['x'],
      '<output name="r" />',
      [
        rule('a', ['"vip","gold"'], ['"named"']),
        rule('b', ['not(0)'], ['"nonzero"']),
        rule('c', ['-'], ['"any"']),
      ].join(''),
    ) +
      table(
        'e',
        'hitPolicy="RULE ORDER"',
        ['x', 'y'],
        '<output name="r" />',
        [
          rule('a', ['&lt; 11', ''], ['"small"']),
          rule('b', ['? &gt; limit', '-'], ['"over limit"']),
          rule('c', ['starts with(?, "ab")', '-'], ['"prefix"']),
          rule('d', ['-', 'null'], ['"y missing"']),
        ].join(''),
      ),
  )
  t.same(evaluateDecision(g, 'd', { x: 'gold' }), { ok: true, output: 'named' })
  t.same(evaluateDecision(g, 'd', { x: 5 }), { ok: true, output: 'nonzero' })
  t.same(evaluateDecision(g, 'd', { x: 0 }), { ok: true, output: 'any' })
  t.same(evaluateDecision(g, 'e', { x: 5, limit: 3 }), { ok: true, output: ['small', 'over limit', 'y missing'] })
  t.same(evaluateDecision(g, 'e', { x: 'abc', y: 1, limit: 3 }), { ok: true, output: ['prefix'] })
})

t.test('no rule matched: the outputs default values, else null', async (t) => {
  const g = await graph(
    table(
      'one',
      'hitPolicy="UNIQUE"',
      ['x'],
      '<output name="r"><defaultOutputEntry><text>"none"</text></defaultOutputEntry></output>',
      rule('a', ['1'], ['"one"']),
    ) +
      table(
        'two',
        'hitPolicy="COLLECT"',
        ['x'],
        '<output name="a"><defaultOutputEntry><text>0</text></defaultOutputEntry></output>' +
          '<output name="b"><defaultOutputEntry><text>x + 1</text></defaultOutputEntry></output>',
        rule('a', ['1'], ['1', '2']),
      ) +
      table('none', '', ['x'], '<output name="r" />', rule('a', ['1'], ['"one"'])),
  )
  t.same(evaluateDecision(g, 'one', { x: 2 }), { ok: true, output: 'none' })
  t.same(evaluateDecision(g, 'two', { x: 2 }), { ok: true, output: { a: 0, b: 3 } })
  t.same(evaluateDecision(g, 'none', { x: 2 }), { ok: true, output: null }, 'no hit policy = UNIQUE, null')
})

t.test('PRIORITY and OUTPUT ORDER with numeric output values, over the first output then the next', async (t) => {
  const outputs =
    '<output name="p"><outputValues><text>3,2,1</text></outputValues></output>' +
    '<output name="q"><outputValues><text>"x","y"</text></outputValues></output>'
  const rules = [rule('a', ['-'], ['1', '"x"']), rule('b', ['-'], ['2', '"y"']), rule('c', ['-'], ['2', '"x"'])]
  const g = await graph(
    table('pr', 'hitPolicy="PRIORITY"', ['x'], outputs, rules.join('')) +
      table('oo', 'hitPolicy="OUTPUT ORDER"', ['x'], outputs, rules.join('')),
  )
  t.same(evaluateDecision(g, 'pr', {}), { ok: true, output: { p: 2, q: 'x' } })
  t.same(evaluateDecision(g, 'oo', {}), {
    ok: true,
    output: [
      { p: 2, q: 'x' },
      { p: 2, q: 'y' },
      { p: 1, q: 'x' },
    ],
  })
})

t.test('COLLECT SUM over a non-number fails with the decision named', async (t) => {
  const g = await graph(
    table(
      's',
      'hitPolicy="COLLECT" aggregation="SUM"',
      ['x'],
      '<output name="r" />',
      rule('a', ['-'], ['1']) + rule('b', ['-'], ['"two"']),
    ),
  )
  const r = evaluateDecision(g, 's', {})
  t.equal(r.ok, false)
  t.match(r, { failedDecisionId: 's', message: /^Expected to evaluate decision 's', but COLLECT SUM expected numbers/ })
})

t.test('required decisions chain; a failing required decision is named in the message', async (t) => {
  const g = await graph(
    `<decision id="a"><literalExpression><text>x * 2</text></literalExpression></decision>
     <decision id="b"><informationRequirement><requiredDecision href="#a" /></informationRequirement>
       <literalExpression><text>a + 1</text></literalExpression></decision>
     <decision id="c"><informationRequirement><requiredDecision href="#b" /></informationRequirement>
       <literalExpression><text>{total: b, twice: b * 2}</text></literalExpression></decision>
     <decision id="u">${'<decisionTable><input><inputExpression><text>x</text></inputExpression></input>'}
       <output name="r" />${rule('r1', ['-'], ['1'])}${rule('r2', ['-'], ['2'])}</decisionTable></decision>
     <decision id="top"><informationRequirement><requiredDecision href="#u" /></informationRequirement>
       <literalExpression><text>u</text></literalExpression></decision>`,
  )
  t.same(evaluateDecision(g, 'c', { x: 5 }), { ok: true, output: { total: 11, twice: 22 } })
  const failed = evaluateDecision(g, 'top', { x: 1 })
  t.match(failed, {
    ok: false,
    failedDecisionId: 'u',
    message: /^Expected to evaluate decision 'top', but required decision 'u' failed: .*UNIQUE.*r1, r2/,
  })
  t.match(evaluateDecision(g, 'zz', {}), {
    ok: false,
    message: "Expected to evaluate decision 'zz', but no decision found for id 'zz'",
  })
})

t.test('the parser refuses what it cannot evaluate, per decision', async (t) => {
  const parse = async (body: string): Promise<string> =>
    (await parseDmn(`<definitions ${NS} id="g" name="g" namespace="x">${body}</definitions>`, 'g.dmn')).problems
      .map((p) => p.message)
      .join('\n')
  t.match(await parse('<businessKnowledgeModel id="bkm" />'), /Business knowledge model "bkm" is not supported/)
  t.match(
    await parse('<decision id="ctx"><context /></decision>'),
    /Decision "ctx" has a Context; .*decision tables and literal/,
  )
  t.match(await parse('<decision id="empty" />'), /Decision "empty" has no decision logic/)
  t.match(
    await parse(table('bad', '', ['x'], '<output name="r" />', rule('a', ['[1..'], ['1']))),
    /Input entry of rule "bad_a" '\[1\.\.' of decision "bad" is not valid FEEL/,
  )
  t.match(
    await parse(table('two', '', ['x'], '<output name="a" /><output />', rule('a', ['-'], ['1', '2']))),
    /several outputs; each needs a name/,
  )
  t.match(
    await parse(table('agg', 'hitPolicy="FIRST" aggregation="SUM"', ['x'], '<output name="a" />', '')),
    /only allowed with hit policy COLLECT/,
  )
  t.match(
    await parse(
      `<decision id="a"><informationRequirement><requiredDecision href="#b" /></informationRequirement>
         <literalExpression><text>b</text></literalExpression></decision>
       <decision id="b"><informationRequirement><requiredDecision href="#a" /></informationRequirement>
         <literalExpression><text>a</text></literalExpression></decision>`,
    ),
    /requires itself/,
  )
  t.match(await parse('<nope'), /Cannot read DMN/)
})

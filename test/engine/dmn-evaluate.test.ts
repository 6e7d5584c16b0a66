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
  t.match(await parse('<businessKnowledgeModel id="bkm" />'), /Business knowledge model "bkm" has no name/)
  t.match(await parse('<decision id="ctx"><context /></decision>'), /A context of "ctx" has no entry/)
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

// Business knowledge models and boxed expressions, as Zeebe's DMN engine evaluates them (dmn-scala: DmnParser,
// DecisionEvaluator, BusinessKnowledgeEvaluator, InvocationEvaluator, ContextEvaluator, ListEvaluator,
// RelationEvaluator, FunctionDefinitionEvaluator; https://docs.camunda.io/docs/components/modeler/dmn/).
/** A model's id: its name (decisions call it by name) without spaces. */
const idOf = (name: string): string => name.replace(/ /g, '_')
function bkm(name: string, params: string[], body: string, requires: string[] = []): string {
  const ps = params.map((p) => `<formalParameter name="${p}" />`).join('')
  const reqs = requires.map(
    (r) => `<knowledgeRequirement><requiredKnowledge href="#${idOf(r)}" /></knowledgeRequirement>`,
  )
  return `<businessKnowledgeModel id="${idOf(name)}" name="${name}">${reqs.join('')}<encapsulatedLogic>${ps}${body}</encapsulatedLogic></businessKnowledgeModel>`
}
const lit = (text: string): string => `<literalExpression><text>${text}</text></literalExpression>`
const knows = (...names: string[]): string =>
  names.map((n) => `<knowledgeRequirement><requiredKnowledge href="#${idOf(n)}" /></knowledgeRequirement>`).join('')
const entry = (name: string | undefined, value: string): string =>
  `<contextEntry>${name ? `<variable name="${name}" />` : ''}${value}</contextEntry>`

t.test(
  'a business knowledge model is a FEEL function named by the model, called from a literal expression',
  async (t) => {
    const g = await graph(
      bkm('Discount', ['amount'], lit('amount * rate')) +
        bkm('Net', ['amount'], lit('amount - Discount(amount)'), ['Discount']) +
        `<decision id="d">${knows('Net')}${lit('Net(price)')}</decision>` +
        `<decision id="named">${knows('Discount')}${lit('Discount(amount: price)')}</decision>`,
    )
    // The model sees the decision's variables (rate) besides its parameters, and its own required models.
    t.same(evaluateDecision(g, 'd', { price: 200, rate: 0.1 }), { ok: true, output: 180 })
    t.same(evaluateDecision(g, 'named', { price: 50, rate: 0.2 }), { ok: true, output: 10 })
  },
)

t.test('a business knowledge model with a decision table, invoked through a boxed invocation', async (t) => {
  const table =
    '<decisionTable hitPolicy="FIRST"><input><inputExpression><text>soBanSao</text></inputExpression></input>' +
    '<output name="phi" />' +
    rule('bt_small', ['&lt;= 10'], ['2000 * soBanSao']) +
    rule('bt_big', ['&gt; 10'], ['20000 + 1000 * (soBanSao - 10)']) +
    '</decisionTable>'
  const g = await graph(
    bkm('Phi ban sao', ['soBanSao'], table) +
      `<decision id="d">${knows('Phi ban sao')}<invocation>${lit('Phi ban sao')}` +
      `<binding><parameter name="soBanSao" />${lit('copies + 1')}</binding></invocation></decision>` +
      `<decision id="unbound">${knows('Phi ban sao')}<invocation>${lit('Phi ban sao')}</invocation></decision>`,
  )
  t.same(evaluateDecision(g, 'd', { copies: 2 }), { ok: true, output: 6000 }, 'binding evaluated first')
  t.same(evaluateDecision(g, 'd', { copies: 14 }), { ok: true, output: 25000 })
  // Without a binding, a variable of that name gives the parameter; none at all fails (dmn-scala's message).
  t.same(evaluateDecision(g, 'unbound', { soBanSao: 3 }), { ok: true, output: 6000 })
  const none = evaluateDecision(g, 'unbound', {})
  t.equal(none.ok, false)
  t.match(none, { message: /^Expected to evaluate decision 'unbound', but no parameter found with name 'soBanSao'/ })
})

t.test('a failing business knowledge model is named in the message', async (t) => {
  const g = await graph(
    bkm(
      'Strict',
      ['x'],
      `<decisionTable><input><inputExpression><text>x</text></inputExpression></input>
      <output name="o" />${rule('s1', ['&gt; 0'], ['1'])}${rule('s2', ['&gt; 1'], ['2'])}</decisionTable>`,
    ) + `<decision id="d">${knows('Strict')}${lit('Strict(5)')}</decision>`,
  )
  const out = evaluateDecision(g, 'd', {})
  t.match(out, {
    ok: false,
    message: /^Expected to evaluate decision 'd', but business knowledge model 'Strict' failed: .*UNIQUE/,
  })
})

t.test(
  'a boxed context: entries see the ones before; the result is a context, or the unnamed last entry',
  async (t) => {
    const g = await graph(
      `<decision id="all"><context>${entry('base', lit('price * 2'))}${entry('total', lit('base + 1'))}</context></decision>` +
        `<decision id="last"><context>${entry('base', lit('price * 2'))}${entry(undefined, lit('base + 1'))}</context></decision>` +
        // A boxed function definition, called by a later entry.
        `<decision id="fn"><context>${entry('twice', '<functionDefinition><formalParameter name="n" />' + lit('n * 2') + '</functionDefinition>')}` +
        `${entry(undefined, lit('twice(price) + twice(1)'))}</context></decision>` +
        // Nested boxed expressions: a context entry holding a list and a decision table.
        `<decision id="nested"><context>${entry('items', `<list>${lit('1')}${lit('price')}</list>`)}` +
        `${entry('size', `<decisionTable hitPolicy="FIRST"><input><inputExpression><text>count(items)</text></inputExpression></input><output name="s" />${rule('n_two', ['2'], ['"two"'])}</decisionTable>`)}` +
        `</context></decision>`,
    )
    t.same(evaluateDecision(g, 'all', { price: 5 }), { ok: true, output: { base: 10, total: 11 } })
    t.same(evaluateDecision(g, 'last', { price: 5 }), { ok: true, output: 11 })
    t.same(evaluateDecision(g, 'fn', { price: 5 }), { ok: true, output: 12 })
    t.same(evaluateDecision(g, 'nested', { price: 5 }), { ok: true, output: { items: [1, 5], size: 'two' } })
  },
)

t.test('a boxed list is a list; a boxed relation a list of contexts keyed by the columns', async (t) => {
  const g = await graph(
    `<decision id="list"><list>${lit('x')}${lit('x + 1')}${lit('"ba"')}</list></decision>` +
      `<decision id="rel"><relation><column name="loai" /><column name="phi" />` +
      `<row>${lit('"online"')}${lit('x * 1000')}</row><row>${lit('"counter"')}${lit('x * 2000')}</row></relation></decision>`,
  )
  t.same(evaluateDecision(g, 'list', { x: 1 }), { ok: true, output: [1, 2, 'ba'] })
  t.same(evaluateDecision(g, 'rel', { x: 3 }), {
    ok: true,
    output: [
      { loai: 'online', phi: 3000 },
      { loai: 'counter', phi: 6000 },
    ],
  })
})

t.test('a required decision is read by its variable name when it has one, else by its id', async (t) => {
  const g = await graph(
    `<decision id="base_id" name="Base"><variable name="base amount" />${lit('x * 10')}</decision>` +
      `<decision id="plain">${lit('x + 1')}</decision>` +
      `<decision id="d"><informationRequirement><requiredDecision href="#base_id" /></informationRequirement>` +
      `<informationRequirement><requiredDecision href="#plain" /></informationRequirement>${lit('base amount + plain')}</decision>`,
  )
  t.same(evaluateDecision(g, 'd', { x: 2 }), { ok: true, output: 23 })
})

t.test('the parser refuses the boxed expressions Zeebe does not evaluate, and broken references', async (t) => {
  const parse = async (body: string): Promise<string> =>
    (await parseDmn(`<definitions ${NS} id="g" name="g" namespace="x">${body}</definitions>`, 'g.dmn')).problems
      .map((p) => p.message)
      .join('\n')
  // A decision's logic may not be a function definition; a model's may not be an invocation.
  t.match(
    await parse(`<decision id="f"><functionDefinition>${lit('1')}</functionDefinition></decision>`),
    /Decision "f": FunctionDefinition is not evaluated there; the engine evaluates decision tables, literal expressions, contexts, lists, relations and invocations/,
  )
  t.match(
    await parse(
      bkm('A', [], lit('1')) +
        bkm('B', [], `<invocation>${lit('A')}</invocation>`) +
        `<decision id="d">${lit('1')}</decision>`,
    ),
    /Business knowledge model "B": Invocation is not evaluated there/,
  )
  t.match(
    await parse(`<decision id="d"><invocation>${lit('Nope')}</invocation></decision>`),
    /The invocation in "d" calls "Nope", which is no business knowledge model/,
  )
  t.match(
    await parse(`<decision id="d">${knows('gone')}${lit('1')}</decision>`),
    /"d" requires business knowledge model "gone", which is not in g/,
  )
  t.match(
    await parse(
      `<businessKnowledgeModel id="J" name="J"><encapsulatedLogic kind="Java"><context>${entry('class', lit('"x"'))}</context></encapsulatedLogic></businessKnowledgeModel><decision id="d">${lit('1')}</decision>`,
    ),
    /Business knowledge model "J" is a Java function; only FEEL functions are evaluated/,
  )
  t.match(
    await parse(`<decision id="d"><context>${entry(undefined, lit('1'))}${entry('b', lit('2'))}</context></decision>`),
    /Context entry 1 of "d" has no name/,
  )
  t.match(
    await parse(
      `<decision id="d"><relation><column name="a" /><row>${lit('1')}${lit('2')}</row></relation></decision>`,
    ),
    /A relation row of "d" has 2 elements; expected 1/,
  )
  t.match(
    await parse(
      bkm('A', [], lit('B()'), ['B']) + bkm('B', [], lit('A()'), ['A']) + `<decision id="d">${lit('1')}</decision>`,
    ),
    /Business knowledge model "[AB]" requires itself/,
  )
})

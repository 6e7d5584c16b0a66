// Specification: expressions an analyst writes cannot stall the server (issue #15, items 5 and 6).
// - A form field's `pattern` with nested repetition (`^(a+)+$`), or syntax a linear-time engine cannot run
//   (backreferences, lookarounds), is refused at publication with a problem naming the field in Vietnamese and English,
//   and nothing is deployed or published.
// - A form stored before that check (a row written directly) is still evaluated in linear time, on the server (ajv
//   with re2js) and in the browser (the interpreting validator with re2js): a 500-character adversarial value is
//   judged quickly and correctly.
// - A FEEL condition that loops over form data runs under a time budget: the engine raises an incident instead of
//   stalling, and /health/live keeps answering; loops nested too deep, or over ranges sized by the data inside another
//   loop, are refused at deploy with a rule naming them.
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import t from 'tap'
import { BpmnBuilder } from '../../scripts/bpmn-builder.js'
import { DeployValidationError, type EngineEvent } from '../../src/engine/port.js'
import { evalCondition } from '../../src/engine/embedded/feel.js'
import { InterpretingValidator } from '../../web/src/citizen/form-validator.js'
import { birthForm } from '../helpers/dossiers.js'
import { eventually } from '../helpers/eventually.js'
import { makePdf } from '../helpers/files.js'
import { diff, fingerprint, problemShape } from './support.js'
import { hostileWorld } from './world.js'

const w = await hostileWorld(t, { dossier: false })
const { app, api } = w
const knex = w.db.knex
const analyst = await api.as('phantich')

const base = JSON.parse(readFileSync('forms/dang-ky-khai-sinh.json', 'utf8'))
const baseXml = readFileSync(`workflows/${base.workflow.file}`, 'utf8')
const EVIL = '^(a+)+$'
const noteField = (pattern: string) => ({
  type: 'string',
  maxLength: 500,
  pattern,
  'x-ui': { label: { vi: 'Ghi chú thêm', en: 'Extra note' } },
})

let n = 0
/** A fresh procedure built from the birth registration, its form given an optional `ghiChu` field. */
function procedure(pattern?: string) {
  n++
  const slug = `bieu-mau-thu-${n}`
  const form = pattern
    ? { ...base.form, properties: { ...base.form.properties, ghiChu: noteField(pattern) } }
    : base.form
  return {
    slug,
    definition: {
      ...base,
      slug,
      code: `2.9998${String(n).padStart(2, '0')}`,
      workflow: { bpmnProcessId: slug, file: `${slug}.bpmn` },
      form,
    },
    xml: baseXml.replaceAll('"dang-ky-khai-sinh"', `"${slug}"`),
  }
}

async function createDraft(p: ReturnType<typeof procedure>) {
  const created = await app.inject({
    method: 'POST',
    url: '/api/procedures',
    headers: analyst,
    payload: { definition: p.definition, bpmnXml: p.xml },
  })
  if (created.statusCode !== 201) throw new Error(`draft: ${created.body}`)
}

t.test('a form pattern that can backtrack, or that re2js cannot run, is refused at publication', async (t) => {
  const cases: Record<string, { pattern: string; says: RegExp }> = {
    'nested repetition ^(a+)+$': { pattern: EVIL, says: /không an toàn.*unsafe/s },
    'nested repetition ^([a-z]+)*$': { pattern: '^([a-z]+)*$', says: /không an toàn.*unsafe/s },
    'a backreference': { pattern: '^(a)\\1$', says: /không được hỗ trợ.*does not support/s },
    'a lookahead': { pattern: '^(?=a)a+$', says: /không được hỗ trợ.*does not support/s },
    'not a regular expression': { pattern: '^[a-z', says: /không phải biểu thức chính quy.*not a valid/s },
  }
  for (const [what, c] of Object.entries(cases)) {
    const p = procedure(c.pattern)
    await createDraft(p)
    const before = await fingerprint(knex)
    const url = `/api/procedures/${p.slug}/versions/1`
    const validated = await app.inject({ method: 'POST', url: `${url}/validate`, headers: analyst })
    t.equal(validated.json().valid, false, `${what}: validation says it cannot publish`)
    const published = await app.inject({ method: 'POST', url: `${url}/publish`, headers: analyst })
    t.equal(problemShape(published), undefined, `${what}: a problem`)
    t.equal(published.statusCode, 422, `${what}: 422`)
    t.equal(published.json().code, 'MC_ERR_PROCEDURE_INVALID', `${what}: MC_ERR_PROCEDURE_INVALID`)
    const problem = (published.json().errors as Array<{ path: string; message: string }>).find(
      (e) => e.path === '/form/properties/ghiChu/pattern',
    )
    t.ok(problem, `${what}: the problem points at the field's pattern`)
    t.match(problem?.message, /Trường "Ghi chú thêm".*Field "Extra note"/s, `${what}: names the field in vi and en`)
    t.match(problem?.message, c.says, `${what}: says why`)
    t.same(diff(before, await fingerprint(knex)), [], `${what}: nothing deployed or published`)
  }
})

t.test('the shipped procedures, with ordinary patterns, still publish', async (t) => {
  const p = procedure('^[0-9]{4}-[0-9]{2}$')
  await createDraft(p)
  const published = await app.inject({
    method: 'POST',
    url: `/api/procedures/${p.slug}/versions/1/publish`,
    headers: analyst,
  })
  t.equal(published.statusCode, 200, published.body)
})

t.test('a form stored with ^(a+)+$ before the check judges a 500-character value quickly and rightly', async (t) => {
  const p = procedure()
  await createDraft(p)
  const published = await app.inject({
    method: 'POST',
    url: `/api/procedures/${p.slug}/versions/1/publish`,
    headers: analyst,
  })
  t.equal(published.statusCode, 200, published.body)
  // As if published before patterns were checked: the pattern is written into the stored version directly.
  const procedureRow = await knex('procedures').where({ slug: p.slug }).first('id')
  const row = await knex('procedure_versions').where({ procedure_id: procedureRow.id, version: 1 }).first('definition')
  const definition = typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition
  definition.form.properties.ghiChu = noteField(EVIL)
  // A published version is immutable (a trigger); the simulation writes past it, as a migration would.
  await knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica')
    await trx('procedure_versions')
      .where({ procedure_id: procedureRow.id, version: 1 })
      .update({ definition: JSON.stringify(definition) })
  })

  const created = await api.call('POST', '/api/dossiers/drafts', 'congdan', {
    procedure: p.slug,
    agencyUnitId: 'xa-an-binh',
  })
  t.equal(created.statusCode, 201, created.body)
  const draftId = created.json().id as string
  for (const component of ['to-khai', 'giay-chung-sinh', 'giay-to-tuy-than']) {
    const up = await api.upload(
      'congdan',
      `/api/dossiers/drafts/${draftId}/attachments/${component}`,
      makePdf(),
      `${component}.pdf`,
    )
    t.equal(up.statusCode, 201, `${component} uploaded`)
  }
  /** Submits the draft with this note; the milliseconds taken and whether the form refused the note. */
  const submitWith = async (ghiChu: string, key: string) => {
    const patched = await api.call('PATCH', `/api/dossiers/drafts/${draftId}`, 'congdan', {
      formData: { ...birthForm, ghiChu },
      deliveryMethod: 'counter',
    })
    if (patched.statusCode !== 200) throw new Error(`patch: ${patched.body}`)
    const started = performance.now()
    const res = await api.call('POST', `/api/dossiers/drafts/${draftId}/submit`, 'congdan', undefined, {
      'idempotency-key': key,
    })
    const ms = performance.now() - started
    const errors = (res.json().errors ?? []) as Array<{ field: string; keyword: string }>
    return { ms, status: res.statusCode, refused: errors.some((e) => e.field === '/ghiChu' && e.keyword === 'pattern') }
  }
  const baseline = await submitWith('b', 'pattern-baseline')
  t.ok(baseline.refused, 'a normal value that does not match is refused (baseline)')
  const evil = await submitWith(`${'a'.repeat(499)}!`, 'pattern-evil')
  t.equal(evil.status, 422, 'the adversarial value is refused')
  t.ok(evil.refused, 'by the pattern, on the field')
  t.ok(
    evil.ms < 2_000 + 20 * baseline.ms,
    `judged in ${evil.ms.toFixed(0)} ms (baseline ${baseline.ms.toFixed(0)} ms); backtracking would take longer than the universe`,
  )
  const good = await submitWith('a'.repeat(500), 'pattern-good')
  t.notOk(good.refused, 'a matching 500-character value passes the pattern')
  t.equal(good.status, 201, 'and the dossier is submitted')
})

t.test('the browser validator runs patterns on re2js too', async (t) => {
  const validator = new InterpretingValidator()
  const schema = {
    type: 'object',
    properties: { ghiChu: { type: 'string', pattern: EVIL }, ten: { type: 'string', pattern: '^\\p{L}+$' } },
  } as const
  const started = performance.now()
  const evil = validator.validateFormData({ ghiChu: `${'a'.repeat(499)}!` }, schema)
  const ms = performance.now() - started
  t.same(
    evil.errors.map((e) => [e.property, e.name]),
    [['.ghiChu', 'pattern']],
    'the adversarial value fails the pattern',
  )
  t.ok(ms < 2_000, `in ${ms.toFixed(0)} ms`)
  t.same(validator.validateFormData({ ghiChu: 'a'.repeat(500), ten: 'Nguyễn' }, schema).errors, [], 'matches pass')
  // A backreference is not RE2: a backtracking RegExp would accept "aa"; the linear engine cannot run it and fails
  // closed, which shows which engine judged.
  const backref = validator.validateFormData(
    { x: 'aa' },
    { type: 'object', properties: { x: { pattern: '^(a)\\1$' } } },
  )
  t.equal(backref.errors.length, 1, 'a pattern re2js cannot run fails closed')
})

// ---------------------------------------------------------------------------------------------- FEEL

const HOSTILE = 'count(for a in split(note, "") return for b in split(note, "") return a + b) > 0'
/** Start → a gateway whose condition is `condition` → one end when it holds, another (the default) when not. */
const gatewayProcess = (id: string, condition: string) =>
  new BpmnBuilder(id, id, 'A gateway on one FEEL condition')
    .start('Start', 'Bắt đầu', 0, 0)
    .xor('Gateway', 'Điều kiện?', 1, 0)
    .end('End_Long', 'Đúng', 2, 0)
    .end('End_Short', 'Sai', 2, 1)
    .flow('Start', 'Gateway')
    .flow('Gateway', 'End_Long', { name: 'đúng', condition: `=${condition}` })
    .flow('Gateway', 'End_Short', { name: 'sai', isDefault: true })
    .toXml()

t.test('FEEL loops nested too deep, or over data-sized ranges inside a loop, are refused at deploy', async (t) => {
  const refused: Record<string, { condition: string; rule: string }> = {
    'three nested for': {
      condition:
        'count(for a in split(note, "") return for b in split(note, "") return for c in split(note, "") return c) > 0',
      rule: 'motcua/feel-loop-depth',
    },
    'some / every / some': {
      condition: 'some a in xs satisfies every b in xs satisfies some c in xs satisfies c = a',
      rule: 'motcua/feel-loop-depth',
    },
    'a range sized by the note inside a for': {
      condition: 'count(for a in 1..3 return for b in 1..string length(note) return b) > 0',
      rule: 'motcua/feel-loop-range',
    },
  }
  for (const [what, c] of Object.entries(refused)) {
    const err = await app.engine.deploy([{ name: 'loops.bpmn', content: gatewayProcess('loops', c.condition) }]).then(
      () => undefined,
      (e: unknown) => e,
    )
    t.ok(err instanceof DeployValidationError, `${what}: refused`)
    t.ok(
      (err as DeployValidationError).problems.some((p) => p.rule === c.rule && p.elementId === 'Flow_Gateway_Long'),
      `${what}: ${c.rule} on the flow`,
    )
  }
  // Dossiers of earlier tests may still be moving meanwhile, so the engine's definitions are what is compared.
  t.same(
    await knex('engine_process_definitions').where({ bpmn_process_id: 'loops' }).pluck('key'),
    [],
    'nothing deployed',
  )
})

t.test('a hostile FEEL condition becomes an incident within its budget; /health/live keeps answering', async (t) => {
  await app.engine.deploy([{ name: 'hostile.bpmn', content: gatewayProcess('hostile-feel', HOSTILE) }])
  const events: EngineEvent[] = []
  const off = app.engine.onEvent((e) => void events.push(e))
  t.teardown(off)
  const run = async (note: string) => {
    const started = performance.now()
    const ref = await app.engine.createProcessInstance({ bpmnProcessId: 'hostile-feel', variables: { note } })
    return { ms: performance.now() - started, key: ref.processInstanceKey }
  }
  // Baseline: the same condition on a one-character note, evaluated (once the evaluator has started) and taken.
  await run('x')
  const baseline = await run('x')
  await eventually('the baseline instance completes', async () => {
    const view = await app.engine.getProcessInstance(baseline.key)
    return view?.state === 'COMPLETED' && view.incidents.length === 0
  })
  const live = await app.inject({ method: 'GET', url: '/health/live' })
  t.equal(live.statusCode, 200)

  // The hostile note: 2,000 characters, 4·10⁶ concatenations (seconds of event loop without a budget).
  const started = performance.now()
  const hostile = run('x'.repeat(2000))
  const health = app.inject({ method: 'GET', url: '/health/live' }).then((res) => ({
    status: res.statusCode,
    ms: performance.now() - started,
  }))
  const [h, answered] = await Promise.all([hostile, health])
  const bound = 3_000 + 20 * baseline.ms
  t.equal(answered.status, 200, '/health/live answered')
  t.ok(answered.ms < bound, `/health/live answered in ${answered.ms.toFixed(0)} ms (bound ${bound.toFixed(0)} ms)`)
  t.ok(h.ms < bound, `the engine call returned in ${h.ms.toFixed(0)} ms (baseline ${baseline.ms.toFixed(0)} ms)`)
  const incident = await eventually('the incident', async () => {
    const view = await app.engine.getProcessInstance(h.key)
    return view?.incidents[0]
  })
  t.match(incident, { elementId: 'Gateway', errorType: 'EXTRACT_VALUE_ERROR' }, 'an incident on the gateway')
  t.match(incident.errorMessage, /budget/, 'saying the budget ran out')
  t.ok(
    events.some((e) => e.type === 'incident.created' && e.processInstanceKey === h.key),
    'incident.created was emitted',
  )
})

t.test('looping expressions evaluated under the budget give the same answers', async (t) => {
  const ctx = { xs: [1, 2, 3], note: 'abc', items: [{ ok: true }, { ok: false }] }
  t.equal(evalCondition('=count(for x in xs return x * 2) = 3', ctx), true)
  t.equal(evalCondition('=some i in items satisfies i.ok', ctx), true)
  t.equal(evalCondition('=every i in items satisfies i.ok', ctx), false)
  t.equal(evalCondition('=count(items[ok = true]) = 1', ctx), true)
  t.equal(evalCondition('=matches(note, "^a.c$")', ctx), true)
  t.equal(evalCondition('=string join(split(note, "")) = note', ctx), true)
  t.throws(() => evalCondition('=count(for x in xs return x) ', ctx), /BOOLEAN/, 'a non-boolean is still an error')
})

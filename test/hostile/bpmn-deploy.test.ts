// Specification: hostile BPMN from an analyst's account — 20 MB documents, DOCTYPEs with entity expansion or external
// entities, bytes that are not XML, 10,000-deep nesting, unsupported elements, FEEL expressions that would blow the
// stack or allocate a billion values — is refused with a 4xx problem naming the rule, and nothing is stored: no draft
// row for bytes no modeler writes, and no deployment or publication for a draft that cannot run.
import { readFileSync } from 'node:fs'
import t from 'tap'
import fc from 'fast-check'
import { DeployValidationError } from '../../src/engine/port.js'
import { MAX_ELEMENT_DEPTH } from '../../src/engine/validation/xml.js'
import { diff, fingerprint, MB, problemShape, refusalProblem, seed } from './support.js'
import { hostileWorld } from './world.js'

const w = await hostileWorld(t, { dossier: false })
const { app } = w
const knex = w.db.knex
const analyst = await w.api.as('phantich')

const base = JSON.parse(readFileSync('forms/dang-ky-khai-sinh.json', 'utf8'))
const baseXml = readFileSync(`workflows/${base.workflow.file}`, 'utf8')
let n = 0
/** A fresh procedure (slug, code, process id) built from the birth registration, with its BPMN put through `change`. */
function procedure(change: (xml: string) => string = (x) => x) {
  n++
  const slug = `thu-tuc-thu-${n}`
  const xml = change(baseXml.replaceAll('"dang-ky-khai-sinh"', `"${slug}"`))
  return {
    slug,
    definition: {
      ...base,
      slug,
      code: `2.9999${String(n).padStart(2, '0')}`,
      workflow: { bpmnProcessId: slug, file: `${slug}.bpmn` },
    },
    xml,
  }
}
const beforeDefinitions = (doctype: string) => (xml: string) =>
  xml.replace('<bpmn:definitions', `${doctype}\n<bpmn:definitions`)
const inProcess = (inner: string) => (xml: string) => xml.replace('</bpmn:process>', `${inner}</bpmn:process>`)
const condition = (feel: string) => (xml: string) => {
  const changed = xml.replace(/(<bpmn:conditionExpression[^>]*>)[^<]*</, (_m, open: string) => `${open}${feel}<`)
  if (changed === xml) throw new Error('the base workflow has no condition expression to replace')
  return changed
}

/** Bytes no modeler writes: refused when a draft is created or updated, before anything is stored. */
const unsafe: Record<string, { change: (xml: string) => string; status: number; rule?: string }> = {
  'a 20 MB document': { change: (x) => x + ' '.repeat(20 * MB), status: 413 },
  'a 1.5 MB document (under the field limit, over the body limit)': {
    change: inProcess(`<!-- ${'x'.repeat(1.5 * MB)} -->`),
    status: 413,
  },
  'a DOCTYPE': { change: beforeDefinitions('<!DOCTYPE definitions>'), status: 422, rule: 'motcua/xml-doctype' },
  'billion laughs': {
    change: beforeDefinitions(
      `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>`,
    ),
    status: 422,
    rule: 'motcua/xml-doctype',
  },
  'an external entity (XXE)': {
    change: (x) =>
      beforeDefinitions('<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')(x).replace(
        '</bpmn:process>',
        '<bpmn:documentation>&xxe;</bpmn:documentation></bpmn:process>',
      ),
    status: 422,
    rule: 'motcua/xml-doctype',
  },
  'a parameter entity fetching a remote DTD': {
    change: beforeDefinitions(
      '<!DOCTYPE d [<!ENTITY % remote SYSTEM "http://169.254.169.254/latest/meta-data/"> %remote;]>',
    ),
    status: 422,
    rule: 'motcua/xml-doctype',
  },
  'NUL and control bytes': {
    change: () => '\u0000\u0001PK\u0003\u0004 not a BPMN file',
    status: 422,
    rule: 'motcua/xml-encoding',
  },
  'plain text': { change: () => 'đây không phải là XML', status: 422, rule: 'motcua/xml-parse' },
  'elements nested 10,000 deep': {
    change: inProcess(
      `<bpmn:extensionElements>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</bpmn:extensionElements>`,
    ),
    status: 422,
    rule: 'motcua/xml-depth',
  },
  'sub-processes nested 3,000 deep': {
    change: inProcess(
      `${Array.from({ length: 3000 }, (_, i) => `<bpmn:subProcess id="S${i}">`).join('')}${'</bpmn:subProcess>'.repeat(3000)}`,
    ),
    status: 422,
    rule: 'motcua/xml-depth',
  },
}

t.test(
  'a draft with bytes no modeler writes is refused with a problem naming the rule, and nothing is stored',
  async (t) => {
    for (const [what, c] of Object.entries(unsafe)) {
      const p = procedure(c.change)
      const before = await fingerprint(knex)
      const started = Date.now()
      const res = await app.inject({
        method: 'POST',
        url: '/api/procedures',
        headers: analyst,
        payload: { definition: p.definition, bpmnXml: p.xml },
      })
      t.equal(refusalProblem(res), undefined, `${what}: a 4xx problem`)
      t.equal(res.statusCode, c.status, `${what}: ${c.status}`)
      if (c.rule) {
        t.equal(res.json().code, 'MC_ERR_BPMN_INVALID', `${what}: MC_ERR_BPMN_INVALID`)
        t.match(JSON.stringify(res.json().errors), c.rule, `${what}: the problem names ${c.rule}`)
      }
      t.ok(Date.now() - started < 10_000, `${what}: answered in ${Date.now() - started} ms`)
      t.same(diff(before, await fingerprint(knex)), [], `${what}: nothing stored`)
    }
  },
)

t.test('the same bytes put into an existing draft are refused too, and the draft keeps its BPMN', async (t) => {
  const p = procedure()
  const created = await app.inject({
    method: 'POST',
    url: '/api/procedures',
    headers: analyst,
    payload: { definition: p.definition, bpmnXml: p.xml },
  })
  t.equal(created.statusCode, 201, created.body)
  const url = `/api/procedures/${p.slug}/versions/1`
  for (const [what, c] of Object.entries(unsafe)) {
    const before = await fingerprint(knex)
    const res = await app.inject({ method: 'PUT', url, headers: analyst, payload: { bpmnXml: c.change(p.xml) } })
    t.equal(refusalProblem(res), undefined, `${what}: a 4xx problem`)
    t.equal(res.statusCode, c.status, `${what}: ${c.status}`)
    t.same(diff(before, await fingerprint(knex)), [], `${what}: the draft is unchanged`)
  }
  const bpmn = await app.inject({ method: 'GET', url: `${url}/bpmn`, headers: analyst })
  t.equal(bpmn.body, p.xml, 'the stored BPMN is the one the draft was created with')
})

t.test('random text as BPMN is refused with a problem, never a 5xx, and stores nothing', async (t) => {
  const before = await fingerprint(knex)
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
        fc.string({ unit: 'binary', minLength: 1 }).map((s) => `<bpmn:definitions>${s}`),
      ),
      async (xml) => {
        const p = procedure()
        const res = await app.inject({
          method: 'POST',
          url: '/api/procedures',
          headers: analyst,
          payload: { definition: p.definition, bpmnXml: xml },
        })
        if (res.statusCode === 201) throw new Error(`accepted ${JSON.stringify(xml)}`)
        const wrong = refusalProblem(res)
        if (wrong) throw new Error(`${JSON.stringify(xml).slice(0, 100)}: ${wrong}`)
      },
    ),
    { numRuns: 25, seed },
  )
  t.same(diff(before, await fingerprint(knex)), [], 'nothing stored')
})

/** Well-formed BPMN that must not run: stored as a draft (a draft may be unfinished), never published or deployed. */
const undeployable: Record<string, { change: (xml: string) => string; rule: string }> = {
  'a complex gateway (not in the supported subset)': {
    change: inProcess('<bpmn:complexGateway id="Gateway_Complex" />'),
    rule: 'complexGateway|not supported|unsupported',
  },
  'a script task without an implementation': {
    change: inProcess('<bpmn:scriptTask id="Task_Script" name="Script" />'),
    rule: 'Task_Script',
  },
  'a FEEL condition nested 20,000 brackets deep': {
    change: condition(`=${'('.repeat(20_000)}true${')'.repeat(20_000)}`),
    rule: 'motcua/feel-depth',
  },
  'a FEEL condition that would build a billion values': {
    change: condition('=count(for x in 1..1000000000 return x) &gt; 0'),
    rule: 'motcua/feel-range',
  },
  'a FEEL condition that is not FEEL': { change: condition('=)))((('), rule: 'feel' },
}

t.test(
  'a draft that cannot run is refused at publication with the rule, and nothing is deployed or published',
  async (t) => {
    for (const [what, c] of Object.entries(undeployable)) {
      const p = procedure(c.change)
      const created = await app.inject({
        method: 'POST',
        url: '/api/procedures',
        headers: analyst,
        payload: { definition: p.definition, bpmnXml: p.xml },
      })
      t.equal(created.statusCode, 201, `${what}: kept as a draft`)
      const before = await fingerprint(knex)
      const started = Date.now()
      const validated = await app.inject({
        method: 'POST',
        url: `/api/procedures/${p.slug}/versions/1/validate`,
        headers: analyst,
      })
      t.equal(validated.json().valid, false, `${what}: validation says it cannot publish`)
      const published = await app.inject({
        method: 'POST',
        url: `/api/procedures/${p.slug}/versions/1/publish`,
        headers: analyst,
      })
      t.equal(problemShape(published), undefined, `${what}: a problem`)
      t.equal(published.statusCode, 422, `${what}: 422`)
      t.match(JSON.stringify(published.json().errors), new RegExp(c.rule), `${what}: the problem names ${c.rule}`)
      t.ok(Date.now() - started < 15_000, `${what}: validated and refused in ${Date.now() - started} ms`)
      t.same(diff(before, await fingerprint(knex)), [], `${what}: nothing deployed or published`)
    }
  },
)

t.test('the engine refuses the same resources itself, whoever calls deploy', async (t) => {
  const before = await fingerprint(knex)
  for (const [what, c] of Object.entries({ ...unsafe, ...undeployable })) {
    if (what.includes('MB')) continue
    const p = procedure(c.change)
    await t.rejects(
      app.engine.deploy([{ name: `${p.slug}.bpmn`, content: p.xml }]),
      DeployValidationError,
      `${what}: DeployValidationError`,
    )
  }
  await t.rejects(
    app.engine.deploy([{ name: 'huge.bpmn', content: Buffer.alloc(20 * MB, 0x20) }]),
    DeployValidationError,
    'a 20 MB resource: refused by its length',
  )
  t.same(diff(before, await fingerprint(knex)), [], 'nothing deployed')
  t.ok(MAX_ELEMENT_DEPTH >= 50, 'the depth limit leaves room for real processes')
})

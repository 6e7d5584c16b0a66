// Specification (#20): what the public catalogue API says about a procedure is written for applicants — Vietnamese,
// with an English translation — and never the research notes of the definition (sources, doubts, "not known here"),
// which stay in the repository (`notes`, the fees' `$comment`, `levelNote`, the steps' and legal documents' notes).
// Checked for every procedure in forms/.
import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { seedProcedures } from '../src/catalogue/service.js'
import type { ProcedureDefinition } from '../src/catalogue/definition.js'
import { buildTestApp } from './helpers/app.js'

const { app, db } = await buildTestApp(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const seeded = await seedProcedures(db.knex, app.engine)
t.same(seeded.failed, [], 'the reference procedures publish')

const slugs = readdirSync('forms')
  .filter((f) => f.endsWith('.json') && f !== 'procedure.schema.json')
  .map((f) => f.replace(/\.json$/, ''))
const definition = (slug: string) =>
  JSON.parse(readFileSync(`forms/${slug}.json`, 'utf8')) as ProcedureDefinition & { notes?: string[] }

/** How research notes read: sources, doubts, what the team could not confirm. */
const researchNote =
  /not known here|see sources|as quoted|was not found|not confirmed|not settled|not ruled out|from memory|this session|motcua|figure from|also exempt|per copy;|\(see /i
/** English words that a Vietnamese text for applicants does not contain (Vietnamese words carry their diacritics). */
const english = /\b(the|not|known|here|see|sources?|also|per|from|was|were|found|which|when|some|is|are|by|of)\b/i

/** Every string in a JSON value with its path; `en` texts and the English name/translations are listed apart. */
function strings(value: unknown, path = ''): Array<{ path: string; text: string; en: boolean }> {
  if (typeof value === 'string') {
    const key = path.split('/').at(-1) ?? ''
    return [{ path, text: value, en: key === 'en' || /En$/.test(key) }]
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}/${i}`))
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}/${k}`))
  return []
}

// Values that are codes, not text: ids, patterns, widget names, mime types, durations, enum values.
const codeKeys =
  /\/(id|slug|code|unitRole|form|kind|accept\/\d+|widget|pattern|format|type|\$schema|duration|agencyLevel|onlineLevel|resultDelivery\/\d+|applicants\/\d+|perField|required\/\d+|order\/\d+|enum\/\d+|const|value|applicantAddress|addressParts\/\d+|issuedOn|status)$/

for (const slug of slugs) {
  t.test(`${slug}: public text only, Vietnamese with its English translation`, async (t) => {
    const res = await app.inject({ url: `/api/procedures/${slug}` })
    t.equal(res.statusCode, 200)
    const body = res.json() as Record<string, unknown>
    for (const key of ['levelNote', 'notes', 'sources']) t.notOk(key in body, `no ${key}`)
    t.notMatch(res.body, '$comment', 'no research comment')
    for (const s of strings(body)) {
      t.notMatch(s.text, researchNote, `no research note at ${s.path}`)
      if (!s.en && !codeKeys.test(s.path)) t.notMatch(s.text, english, `Vietnamese at ${s.path}`)
    }
    // The English page is a translation: every public note has its English text.
    const d = definition(slug)
    if (d.durationNote) t.ok(d.durationNoteEn, 'durationNote has its English translation')
    for (const f of d.fees) {
      if (f.note) t.ok(f.noteEn, `fee "${f.name}": its note has an English translation`)
      if (f.condition) t.ok(f.conditionEn, `fee "${f.name}": its condition has an English translation`)
    }
    // The research notes are still in the repository.
    t.ok(d.notes?.length, 'the definition keeps its research notes')
  })
}

t.test('the search hits carry only what the list shows, and the fees per channel and condition', async (t) => {
  const res = await app.inject({ url: '/api/procedures?limit=100' })
  t.equal(res.statusCode, 200)
  t.notMatch(res.body, researchNote)
  t.notMatch(res.body, '$comment')
  const birth = (res.json() as { items: Array<{ slug: string; fees: unknown[] }> }).items.find(
    (p) => p.slug === 'dang-ky-khai-sinh',
  )!
  // Birth registration is free; the late fee and the copies are conditional, so the list does not count them.
  t.same(birth.fees, [
    { name: 'Lệ phí đăng ký khai sinh đúng hạn', kind: 'le-phi', amountVnd: 0 },
    {
      name: 'Lệ phí đăng ký khai sinh không đúng hạn',
      kind: 'le-phi',
      amountVnd: null,
      condition: 'Khi đăng ký khai sinh quá 60 ngày kể từ ngày sinh',
      conditionEn: 'When the birth is registered more than 60 days after it',
    },
    {
      name: 'Phí cấp bản sao Giấy khai sinh (nếu có yêu cầu)',
      kind: 'phi',
      amountVnd: 8000,
      perField: 'soBanSao',
      condition: 'Khi đề nghị cấp bản sao Giấy khai sinh',
      conditionEn: 'When copies of the birth certificate are requested',
    },
  ])
})

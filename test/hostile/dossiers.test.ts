// Specification: the citizen portal, dossier, officer-command and counter routes refuse malformed and hostile input
// (wrong types, missing and extra fields, 1 MB strings, 10,000-deep JSON, Unicode tricks, injection strings, prototype
// keys, bad query strings, path parameters that are not uuids or name another applicant's draft or no dossier at all,
// missing or hostile Idempotency-Keys, free-form data nested 10,000 deep) with a 4xx problem, and the database is
// unchanged.
import t from 'tap'
import fc from 'fast-check'
import { assertAllRefused, deepJsonText, deepObjectText, type HostileRequest } from './support.js'
import { attackArea, hostileWorld } from './world.js'

const w = await hostileWorld(t)
await attackArea(t, w, 'dossiers')

t.test(
  'form data, decisions and definitions nested 10,000 deep (valid JSON, free-form fields) are refused with a problem and change nothing',
  async (t) => {
    const route = (key: string) => w.routes.find((r) => r.key === key)!
    const citizen = await w.api.as('congdan')
    const officer = await w.api.as('motcua-xa')
    const analyst = await w.api.as('phantich')
    const deepArrays = deepJsonText()
    const deepObjects = deepObjectText()
    const cases: Array<{ key: string; url: string; authorization: string; body: (deep: string) => string }> = [
      {
        key: 'POST /api/dossiers/drafts',
        url: '/api/dossiers/drafts',
        authorization: citizen.authorization,
        body: (d) => `{"procedure":"dang-ky-khai-sinh","agencyUnitId":"xa-an-binh","formData":{"treEm":${d}}}`,
      },
      {
        key: 'PATCH /api/dossiers/drafts/:draftId',
        url: `/api/dossiers/drafts/${w.draftId}`,
        authorization: citizen.authorization,
        body: (d) => `{"formData":{"x":${d}}}`,
      },
      {
        key: 'POST /api/dossiers/:dossierId/supplement',
        url: `/api/dossiers/${w.dossierId}/supplement`,
        authorization: citizen.authorization,
        body: (d) => `{"formData":{"x":${d}},"note":"bổ sung"}`,
      },
      {
        key: 'POST /api/tasks/:taskKey/complete',
        url: `/api/tasks/${encodeURIComponent(w.taskKey)}/complete`,
        authorization: officer.authorization,
        body: (d) => `{"decision":"accept","extra":${d}}`,
      },
      {
        key: 'POST /api/procedures',
        url: '/api/procedures',
        authorization: analyst.authorization,
        body: (d) => `{"definition":{"slug":"sau","form":${d}},"bpmnXml":"<x/>"}`,
      },
    ]
    for (const c of cases) {
      const requests = fc.constantFrom(deepArrays, deepObjects).map((deep): HostileRequest => ({
        why: 'nested 10,000 deep',
        method: route(c.key).method,
        url: c.url,
        headers: { authorization: c.authorization, 'content-type': 'application/json' },
        payload: c.body(deep),
      }))
      await assertAllRefused(t, w.app, w.db.knex, route(c.key), requests, { numRuns: 2 })
    }
  },
)

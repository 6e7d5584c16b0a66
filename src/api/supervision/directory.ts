// Look-ups the supervisor dashboard needs beside the statistics: units of my subtree, officers a task can be
// reassigned to, and published procedures with their BPMN (the catalogue's own BPMN route is for analysts only).
import { SupervisionDirectory } from '../../supervision/directory.js'
import type { SupervisionService } from '../../supervision/service.js'
import type { RouteApp } from '../route-plugin.js'
import { problem } from './schemas.js'

const security = [{ bearerAuth: [] }]
const tags = ['supervision']
const text = { type: 'string' } as const
const nullableText = { type: ['string', 'null'] } as const

const unitList = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: { type: 'object', properties: { id: text, name: text, nameEn: nullableText, path: text, level: text } },
    },
  },
} as const

const officersQuery = {
  type: 'object',
  properties: { taskKey: { type: 'string', pattern: '^[A-Za-z0-9:_-]{1,100}$' } },
  required: ['taskKey'],
  additionalProperties: false,
} as const
const officerList = {
  type: 'object',
  properties: {
    taskKey: text,
    candidateGroups: { type: 'array', items: text },
    assignee: nullableText,
    officers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          userId: text,
          username: text,
          fullName: text,
          unitId: text,
          unitName: text,
          groups: { type: 'array', items: text },
        },
      },
    },
  },
} as const

const processList = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          slug: text,
          code: text,
          name: text,
          field: text,
          publishedVersion: { type: ['integer', 'null'] },
          versions: { type: 'array', items: { type: 'integer' } },
        },
      },
    },
  },
} as const
const processParams = {
  type: 'object',
  properties: {
    slug: { type: 'string', pattern: '^[a-z0-9-]{1,120}$' },
    version: { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
  },
  required: ['slug', 'version'],
  additionalProperties: false,
} as const
const processDiagram = {
  type: 'object',
  properties: {
    procedureVersionId: text,
    slug: text,
    code: text,
    name: text,
    version: { type: 'integer' },
    bpmnXml: text,
  },
} as const

export function directoryRoutes(app: RouteApp, supervision: SupervisionService): void {
  const directory = new SupervisionDirectory(app.db.knex)

  app.get(
    '/api/supervision/units',
    {
      schema: {
        tags,
        security,
        summary:
          'Đơn vị trực thuộc / My unit and every unit below it, in tree order (to pick a subtree, to name the unit holding a step)',
        response: { 200: unitList, 401: problem, 403: problem },
      },
    },
    async (request) => ({ items: await directory.units(await supervision.scope(request.principal)) }),
  )

  app.get(
    '/api/supervision/officers',
    {
      schema: {
        tags,
        security,
        summary:
          'Cán bộ có thể giao / Officers of my subtree in one of the open task’s candidate groups: whom POST /api/supervision/tasks/:taskKey/assign accepts',
        querystring: officersQuery,
        response: { 200: officerList, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const { taskKey } = request.query
      return directory.candidates(await supervision.scope(request.principal), taskKey)
    },
  )

  app.get(
    '/api/supervision/processes',
    {
      schema: {
        tags,
        security,
        summary: 'Quy trình đã công bố / Procedures with their published versions, for the heatmap’s picker',
        response: { 200: processList, 401: problem, 403: problem },
      },
    },
    async (request) => {
      await supervision.scope(request.principal)
      return { items: await directory.processes() }
    },
  )

  app.get(
    '/api/supervision/processes/:slug/versions/:version',
    {
      schema: {
        tags,
        security,
        summary: 'Sơ đồ quy trình / A published version’s BPMN XML and the procedureVersionId the heatmap is keyed by',
        params: processParams,
        response: { 200: processDiagram, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      await supervision.scope(request.principal)
      const { slug, version } = request.params
      return directory.process(slug, version)
    },
  )
}

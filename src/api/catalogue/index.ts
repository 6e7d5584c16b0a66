// The procedure catalogue over HTTP: anyone searches and reads published procedures; analysts draft,
// validate, publish and compare versions (definition + BPMN).
import type { FastifyRequest } from 'fastify'
import { AppError } from '../../errors.js'
import type { RoutePlugin } from '../route-plugin.js'
import { requireAccess, type Permission } from '../../auth/access.js'
import type { DefinitionProblem } from '../../catalogue/definition.js'
import {
  agencyList,
  diffQuery,
  draftBody,
  draftPatch,
  draftSaved,
  problem,
  procedureDetail,
  procedureDiff,
  published,
  searchQuery,
  searchResult,
  slugParams,
  stepAgencyList,
  validation,
  versionDetail,
  versionParams,
  versionSummary,
} from './schemas.js'

const security = [{ bearerAuth: [] }]
const tags = ['catalogue']

/** Each problem with its path; BPMN problems (`bpmn:<id>`) also name the element for the modeler. */
function problemList(problems: DefinitionProblem[]) {
  return problems.map((p) =>
    p.path.startsWith('bpmn:') ? { path: p.path, elementId: p.path.slice('bpmn:'.length), message: p.message } : p,
  )
}

/** 422 with every problem; a BPMN-only failure says so, so the modeler can point at elements. */
function invalid(problems: DefinitionProblem[]): AppError {
  const bpmnOnly = problems.every((p) => p.path.startsWith('bpmn:'))
  return new AppError(bpmnOnly ? 'MC_ERR_BPMN_INVALID' : 'MC_ERR_PROCEDURE_INVALID', `${problems.length} problem(s)`, {
    errors: problemList(problems),
  })
}

const catalogueRoutes: RoutePlugin = async (app) => {
  const catalogue = app.catalogue
  const allow = (request: FastifyRequest, permission: Permission, slug?: string) =>
    requireAccess(app.db.knex, {
      principal: request.principal,
      permission,
      ...(slug ? { subject: { type: 'procedure', id: slug } } : {}),
    })

  /** The version must be the procedure's draft: a published one never changes (409). */
  async function requireDraft(slug: string, version: number): Promise<void> {
    const found = await catalogue.version(slug, version)
    if (found.status === 'published')
      throw new AppError('MC_ERR_PROCEDURE_VERSION_PUBLISHED', `${slug} version ${version} is published`)
  }

  app.get(
    '/api/procedures',
    {
      config: { rateLimit: { max: 300, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Tìm thủ tục hành chính / Search published procedures',
        description:
          'Keywords match word prefixes without diacritics or case ("dang ky khai sinh" finds "Đăng ký khai sinh"); every word must match.',
        querystring: searchQuery,
        response: { 200: searchResult, 400: problem, 401: problem, 403: problem, 429: problem },
      },
    },
    async (request) => {
      const { includeDrafts, ...query } = request.query
      // A procedure that only has a draft is the analysts' business.
      if (includeDrafts) await allow(request, 'catalogue.edit')
      const { items, total } = await catalogue.searchWithTerms({ ...query, includeUnpublished: includeDrafts })
      return { items, total, limit: query.limit, offset: query.offset }
    },
  )

  app.get(
    '/api/procedures/:slug',
    {
      config: { rateLimit: { max: 300, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Chi tiết thủ tục / A published procedure: components, fees, delivery, legal basis, steps and form',
        params: slugParams,
        response: { 200: procedureDetail, 400: problem, 404: problem, 429: problem },
      },
    },
    async (request) => {
      // Only the published version is public, and only its public text: the research notes of the definition
      // (levelNote, notes, the fees' $comment, the steps' and legal documents' notes) stay in the repository.
      const { definition: d, ...meta } = await catalogue.getPublished(request.params.slug)
      return {
        ...meta,
        nameEn: d.nameEn,
        duration: d.duration,
        durationNote: d.durationNote,
        durationNoteEn: d.durationNoteEn,
        result: d.result,
        applicants: d.applicants,
        components: d.components,
        fees: d.fees.map(({ $comment: _comment, ...fee }) => fee),
        resultDelivery: d.resultDelivery,
        legalBasis: d.legalBasis.map(({ note: _note, ...doc }) => doc),
        steps: d.steps.map(({ note: _note, ...step }) => step),
        form: d.form,
      }
    },
  )

  // Which units receive a procedure (src/catalogue/receiving-units.ts); the portal lets the applicant choose one.
  app.get(
    '/api/procedures/:slug/agencies',
    {
      config: { rateLimit: { max: 300, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary:
          'Cơ quan tiếp nhận / The units that receive a published procedure (its agency level), for the applicant to choose',
        params: slugParams,
        response: { 200: agencyList, 400: problem, 404: problem, 429: problem },
      },
    },
    async (request) => {
      return { items: await catalogue.receivingUnits(request.params.slug) }
    },
  )

  // The units a step may name as its handling unit (workflows/README.md "Who handles a step"), for the modeler.
  app.get(
    '/api/catalogue/agencies',
    {
      schema: {
        tags,
        summary:
          'Đơn vị xử lý bước / The units a workflow step may be handled by (agency code and name), for the modeler',
        description:
          'Every unit with an agency code, except district-level units (abolished on 1 July 2025). A user task names one with the header unit=agency:<code>, or several with unitChoices.',
        security,
        response: { 200: stepAgencyList, 401: problem, 403: problem },
      },
    },
    async (request) => {
      await allow(request, 'catalogue.edit')
      return { items: await catalogue.stepAgencies() }
    },
  )

  app.post(
    '/api/procedures',
    {
      schema: {
        tags,
        summary: 'Tạo bản nháp / Create a draft: a new procedure, or the next version of an existing one',
        description:
          'The slug in the definition says which procedure. A draft may be incomplete; validate or publish it to see every problem.',
        security,
        body: draftBody,
        response: { 201: draftSaved, 400: problem, 401: problem, 403: problem, 409: problem, 422: problem },
      },
    },
    async (request, reply) => {
      const principal = await allow(request, 'catalogue.edit')
      const { definition, bpmnXml, decisions } = request.body
      const result = await catalogue.createDraft({
        definition,
        bpmnXml,
        ...(decisions ? { decisions } : {}),
        actorId: principal.userId,
      })
      if (!result.ok) throw invalid(result.problems)
      return reply.code(201).send({ slug: result.slug, version: result.version, status: 'draft' })
    },
  )

  app.get(
    '/api/procedures/:slug/versions',
    {
      schema: {
        tags,
        summary: 'Các phiên bản / Every version of a procedure, drafts included, newest first',
        security,
        params: slugParams,
        response: {
          200: { type: 'array', items: versionSummary },
          400: problem,
          401: problem,
          403: problem,
          404: problem,
        },
      },
    },
    async (request) => {
      const { slug } = request.params
      await allow(request, 'catalogue.edit', slug)
      return catalogue.versions(slug)
    },
  )

  app.get(
    '/api/procedures/:slug/versions/:version',
    {
      schema: {
        tags,
        summary: 'Một phiên bản / One version with its definition',
        security,
        params: versionParams,
        response: { 200: versionDetail, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const { slug, version } = request.params
      await allow(request, 'catalogue.edit', slug)
      const { bpmnXml: _xml, decisions, ...detail } = await catalogue.version(slug, version)
      return { ...detail, decisions: decisions.map((d) => d.name) }
    },
  )

  app.get(
    '/api/procedures/:slug/versions/:version/bpmn',
    {
      schema: {
        tags,
        summary: "BPMN của phiên bản / The version's BPMN XML, for the modeler",
        security,
        params: versionParams,
        produces: ['application/xml'],
        response: {
          200: { type: 'string', description: 'BPMN 2.0 XML' },
          400: problem,
          401: problem,
          403: problem,
          404: problem,
        },
      },
    },
    async (request, reply) => {
      const { slug, version } = request.params
      await allow(request, 'catalogue.edit', slug)
      const { bpmnXml } = await catalogue.version(slug, version)
      return reply.type('application/xml; charset=utf-8').send(bpmnXml)
    },
  )

  app.put(
    '/api/procedures/:slug/versions/:version',
    {
      schema: {
        tags,
        summary: 'Sửa bản nháp / Update a draft (definition, BPMN or both); a published version answers 409',
        security,
        params: versionParams,
        body: draftPatch,
        response: {
          200: draftSaved,
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          422: problem,
        },
      },
    },
    async (request) => {
      const { slug, version } = request.params
      await allow(request, 'catalogue.edit', slug)
      await requireDraft(slug, version)
      const result = await catalogue.updateDraft(slug, request.body)
      if (!result.ok) throw invalid(result.problems)
      return { slug, version: result.version, status: 'draft' }
    },
  )

  app.delete(
    '/api/procedures/:slug/versions/:version',
    {
      schema: {
        tags,
        summary:
          'Bỏ bản nháp / Discard a draft; a procedure never published goes with it; a published version answers 409',
        security,
        params: versionParams,
        response: {
          200: {
            type: 'object',
            properties: {
              slug: { type: 'string' },
              version: { type: 'integer' },
              procedureRemoved: { type: 'boolean' },
            },
            required: ['slug', 'version', 'procedureRemoved'],
          },
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
        },
      },
    },
    async (request) => {
      const { slug, version } = request.params
      const principal = await allow(request, 'catalogue.edit', slug)
      const { procedureRemoved } = await catalogue.discardDraft(slug, version, principal.userId)
      return { slug, version, procedureRemoved }
    },
  )

  app.post(
    '/api/procedures/:slug/versions/:version/validate',
    {
      schema: {
        tags,
        summary: 'Kiểm tra bản nháp / Every problem that would stop the draft from publishing',
        security,
        params: versionParams,
        response: { 200: validation, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) => {
      const { slug, version } = request.params
      await allow(request, 'catalogue.edit', slug)
      await requireDraft(slug, version)
      const errors = problemList(await catalogue.validateDraft(slug))
      return { slug, version, valid: errors.length === 0, errors }
    },
  )

  app.post(
    '/api/procedures/:slug/versions/:version/publish',
    {
      schema: {
        tags,
        summary: 'Công bố / Publish the draft: form and BPMN deployed together, or nothing at all',
        description:
          'Any problem answers 422 MC_ERR_PROCEDURE_INVALID (or MC_ERR_BPMN_INVALID when only the BPMN is wrong) with `errors`: every problem with its JSON path or BPMN element id.',
        security,
        params: versionParams,
        response: {
          200: published,
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          422: problem,
        },
      },
    },
    async (request) => {
      const { slug, version } = request.params
      const principal = await allow(request, 'catalogue.publish', slug)
      await requireDraft(slug, version)
      const result = await catalogue.publish(slug, principal.userId)
      if (!result.ok) throw invalid(result.problems)
      return {
        slug,
        version: result.version,
        status: 'published',
        processDefinitionKey: result.processDefinitionKey,
        processDefinitionVersion: result.processDefinitionVersion,
      }
    },
  )

  app.get(
    '/api/procedures/:slug/versions/:version/changes',
    {
      schema: {
        tags,
        summary:
          'Thay đổi giữa hai phiên bản / What changed from another version (default: the one before) to this one',
        security,
        params: versionParams,
        querystring: diffQuery,
        response: { 200: procedureDiff, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const { slug, version } = request.params
      await allow(request, 'catalogue.edit', slug)
      const from = request.query.from ?? version - 1
      if (from < 1)
        throw new AppError('MC_ERR_PROCEDURE_NOT_FOUND', `${slug} version ${version} has no version before it`)
      return catalogue.diff(slug, from, version)
    },
  )
}

export default catalogueRoutes

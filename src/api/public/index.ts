// Public lookup of a dossier by its code and the applicant's ID number, without login: status, current step and
// unit, appointment date — nothing else. A wrong ID and an unknown code answer alike, in the same time: the same work.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Knex } from 'knex'
import { dossierStatuses, type DossierStatus } from '../../domain/dossier/status.js'
import { AppError } from '../../errors.js'
import { problem } from '../dossiers/schemas.js'

const lookupQuery = {
  type: 'object',
  properties: {
    code: {
      type: 'string',
      minLength: 3,
      maxLength: 60,
      pattern: '^[A-Za-z0-9.\\-]+$',
      description: 'mã hồ sơ (on the receipt)',
    },
    idNumber: {
      type: 'string',
      pattern: '^(\\d{12}|\\d{10}(-\\d{3})?)$',
      description: 'số CCCD (12 digits) or tax code of the applicant',
    },
  },
  required: ['code', 'idNumber'],
  additionalProperties: false,
} as const

const lookupResult = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    status: { type: 'integer' },
    statusLabel: {
      type: 'object',
      properties: { vi: { type: 'string' }, en: { type: 'string' } },
      required: ['vi', 'en'],
    },
    procedureName: { type: 'string' },
    currentStep: { type: ['string', 'null'] },
    agency: { type: 'string' },
    appointmentDate: { type: ['string', 'null'], description: 'ngày hẹn trả kết quả' },
  },
  required: ['code', 'status', 'statusLabel', 'procedureName', 'currentStep', 'agency', 'appointmentDate'],
  additionalProperties: false,
} as const

const digest = (s: string) => createHash('sha256').update(s).digest()
// Compared against when no dossier has the code, so both paths hash and compare the same bytes.
const decoy = digest(randomBytes(16).toString('hex'))

interface LookupRow {
  code: string
  status: DossierStatus
  procedure_name: string
  current_step_name: string | null
  due_date: string | null
  applicant_id_number: string | null
  agency: string
  /** False when the row is the decoy's. */
  hit: boolean
}

/** The lookup's one query: the dossier with `code` and its agency, or when there is none the decoy's (scripts/bench-api.ts explains it). */
export function lookupStatement(knex: Knex, code: string, decoyCode: string): Knex.Raw {
  return knex.raw(
    `WITH probe AS MATERIALIZED (SELECT (SELECT c.code FROM dossiers c WHERE c.code = ?) AS hit, (SELECT c.code FROM dossiers c WHERE c.code = ?) AS decoy)
     SELECT d.code, d.status, d.procedure_name, d.current_step_name, d.due_date::text AS due_date, d.applicant_id_number, u.name AS agency,
            probe.hit IS NOT NULL AS hit
       FROM probe JOIN dossiers d ON d.code = coalesce(probe.hit, probe.decoy) JOIN units u ON u.id = d.agency_unit_id`,
    [code, decoyCode],
  )
}

export default async function publicRoutes(app: FastifyInstance): Promise<void> {
  const knex = app.db.knex
  let decoyCode: string | undefined

  app.get(
    '/api/public/dossiers/lookup',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'Tra cứu hồ sơ / Look up a dossier by code and ID number (no login)',
        description:
          'An unknown code and a wrong ID number both answer 404 MC_ERR_DOSSIER_NOT_FOUND, in the same time.',
        querystring: lookupQuery,
        response: { 200: lookupResult, 400: problem, 404: problem, 429: problem },
      },
    },
    async (request) => {
      const { code, idNumber } = request.query as { code: string; idNumber: string }
      // The same work whatever the outcome, and no sleeping floor (docs/benchmarks.md, API). One query that always reads
      // one dossier and its agency: the one with the code, or when there is none a decoy dossier (never shown). Both codes
      // are probed every time (the CTE is materialised, so neither probe is skipped), and either way one row comes back.
      decoyCode ??=
        ((await knex('dossiers').whereNotNull('code').first('code')) as { code: string } | undefined)?.code ?? ''
      const { rows } = (await lookupStatement(knex, code.trim().toUpperCase(), decoyCode)) as { rows: Array<LookupRow> }
      // The decoy dossier is gone (or there was none yet): pick another next time.
      if (rows.length === 0) decoyCode = undefined
      const read = rows[0]
      const stored = read?.applicant_id_number ? digest(read.applicant_id_number) : decoy
      const matches = timingSafeEqual(stored, digest(idNumber.trim())) && Boolean(read?.hit && read.applicant_id_number)
      const row = read?.hit ? read : undefined
      if (!row || !matches) throw new AppError('MC_ERR_DOSSIER_NOT_FOUND')
      return {
        code: row.code,
        status: row.status,
        statusLabel: { vi: dossierStatuses[row.status].vi, en: dossierStatuses[row.status].en },
        procedureName: row.procedure_name,
        currentStep: row.current_step_name,
        agency: row.agency,
        appointmentDate: row.due_date,
      }
    },
  )
}

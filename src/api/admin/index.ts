// Administration over HTTP: units, staff accounts (with the bulk import), groups and roles for administrators, and
// the audit log for supervisors and administrators; each route calls one AdminService method (src/admin/service.ts).
import type { RoutePlugin } from '../route-plugin.js'

const problem = { $ref: 'Problem#' } as const
const security = [{ bearerAuth: [] }]
const tags = ['administration']
const refusals = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem }

const unitId = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9-]{1,62}$',
  description: 'unit id, e.g. xa-an-binh',
} as const
const accountId = { type: 'string', format: 'uuid' } as const
const groupCode = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'candidate-group code' } as const
const name = { type: 'string', minLength: 1, maxLength: 300, pattern: '\\S' } as const
const optionalText = (maxLength: number) => ({ type: ['string', 'null'], maxLength }) as const
const reason = {
  type: 'string',
  minLength: 1,
  maxLength: 1000,
  pattern: '\\S',
  description: 'lý do (recorded in the history and the audit log), e.g. the decision that moved or merged the unit',
} as const
const level = {
  type: 'string',
  enum: ['service_centre', 'service_centre_branch', 'department', 'vertical_agency', 'commune', 'office'],
} as const
const unitKind = { type: ['string', 'null'], enum: ['tinh', 'thanh-pho', 'xa', 'phuong', 'dac-khu', null] } as const
const agencyCode = { type: ['string', 'null'], pattern: '^[A-Za-z0-9.]{1,30}$' } as const
const adminCode = { type: ['string', 'null'], pattern: '^[0-9]{2}$|^[0-9]{5}$' } as const
const staffKind = { type: 'string', enum: ['officer', 'supervisor', 'analyst', 'administrator'] } as const
const groups = { type: 'array', items: groupCode, maxItems: 50, uniqueItems: true } as const
const email = { type: ['string', 'null'], maxLength: 200, pattern: '^$|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' } as const
const phone = { type: ['string', 'null'], maxLength: 20, pattern: '^$|^\\+?[0-9 .-]{8,20}$' } as const

const unitSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    parentId: { type: ['string', 'null'] },
    name: { type: 'string' },
    nameEn: { type: ['string', 'null'] },
    level: { type: 'string' },
    kind: { type: ['string', 'null'] },
    agencyCode: { type: ['string', 'null'] },
    adminCode: { type: ['string', 'null'] },
    path: { type: 'string' },
    closedAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'parentId', 'name', 'level', 'path', 'closedAt'],
} as const

const accountSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    kind: { type: 'string' },
    fullName: { type: 'string' },
    email: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    unitId: { type: ['string', 'null'] },
    unitName: { type: ['string', 'null'] },
    groups: { type: 'array', items: { type: 'string' } },
    signingCertificateRef: { type: ['string', 'null'] },
    disabledAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'username', 'kind', 'fullName', 'unitId', 'groups', 'disabledAt'],
} as const

const groupSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    nameEn: { type: ['string', 'null'] },
    description: { type: ['string', 'null'] },
    members: { type: 'integer' },
  },
  required: ['code', 'name', 'members'],
} as const

/** An answer listing items of one schema. */
const listOf = <T extends object>(items: T) =>
  ({ type: 'object', properties: { items: { type: 'array', items } } }) as const

const message = { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } } as const
const anyObject = { type: ['object', 'null'], additionalProperties: true } as const

const unitParams = {
  type: 'object',
  properties: { unitId },
  required: ['unitId'],
  additionalProperties: false,
} as const
const accountParams = {
  type: 'object',
  properties: { accountId },
  required: ['accountId'],
  additionalProperties: false,
} as const
const groupParams = {
  type: 'object',
  properties: { groupCode },
  required: ['groupCode'],
  additionalProperties: false,
} as const
const reasonBody = {
  type: 'object',
  properties: { reason },
  required: ['reason'],
  additionalProperties: false,
} as const

const adminRoutes: RoutePlugin = async (app) => {
  const admin = app.admin

  app.get(
    '/api/admin/units',
    {
      schema: {
        tags,
        security,
        summary: 'Đơn vị trong phạm vi quản lý / The units of my subtree, closed ones too, in tree order',
        response: { 200: listOf(unitSchema), ...refusals },
      },
    },
    async (request) => admin.units(request.principal),
  )

  app.post(
    '/api/admin/units',
    {
      schema: {
        tags,
        security,
        summary: 'Thêm đơn vị / Add a unit under a unit of my subtree (never a district)',
        body: {
          type: 'object',
          properties: {
            id: unitId,
            parentId: unitId,
            name,
            nameEn: optionalText(300),
            level,
            kind: unitKind,
            agencyCode,
            adminCode,
          },
          required: ['id', 'parentId', 'name', 'level'],
          additionalProperties: false,
        },
        response: { 201: unitSchema, ...refusals },
      },
    },
    async (request, reply) => reply.code(201).send(await admin.createUnit(request.principal, request.body)),
  )

  app.patch(
    '/api/admin/units/:unitId',
    {
      schema: {
        tags,
        security,
        summary: 'Sửa tên, loại, mã đơn vị / Rename a unit or change its kind and codes (history kept)',
        params: unitParams,
        body: {
          type: 'object',
          properties: { name, nameEn: optionalText(300), kind: unitKind, agencyCode, adminCode, reason },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: unitSchema, ...refusals },
      },
    },
    async (request) => admin.changeUnit(request.principal, request.params.unitId, request.body),
  )

  app.post(
    '/api/admin/units/:unitId/move',
    {
      schema: {
        tags,
        security,
        summary: 'Chuyển đơn vị / Move a unit (and everything below it) under another parent',
        params: unitParams,
        body: {
          type: 'object',
          properties: { parentId: unitId, reason },
          required: ['parentId', 'reason'],
          additionalProperties: false,
        },
        response: { 200: unitSchema, ...refusals },
      },
    },
    async (request) => admin.moveUnit(request.principal, request.params.unitId, request.body),
  )

  app.post(
    '/api/admin/units/:unitId/close',
    {
      schema: {
        tags,
        security,
        summary: 'Đóng đơn vị / Close a unit with nothing open left in it (kept with its history)',
        params: unitParams,
        body: reasonBody,
        response: { 200: unitSchema, ...refusals },
      },
    },
    async (request) => admin.closeUnit(request.principal, request.params.unitId, request.body),
  )

  app.get(
    '/api/admin/units/:unitId/history',
    {
      schema: {
        tags,
        security,
        summary: 'Lịch sử đơn vị / A unit’s history: created, changed, moved, closed',
        params: unitParams,
        response: {
          200: {
            type: 'object',
            properties: {
              unit: unitSchema,
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    change: { type: 'string' },
                    before: anyObject,
                    after: anyObject,
                    reason: { type: ['string', 'null'] },
                    actor: { type: ['string', 'null'] },
                    at: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
          ...refusals,
        },
      },
    },
    async (request) => admin.unitHistory(request.principal, request.params.unitId),
  )

  app.get(
    '/api/admin/accounts',
    {
      schema: {
        tags,
        security,
        summary: 'Tài khoản cán bộ / Staff accounts of my subtree (at most 500)',
        querystring: {
          type: 'object',
          properties: {
            unit: unitId,
            kind: staffKind,
            q: { type: 'string', maxLength: 100, description: 'part of the username or full name' },
          },
          additionalProperties: false,
        },
        response: {
          200: listOf(accountSchema),
          ...refusals,
        },
      },
    },
    async (request) => {
      const { unit, kind, q } = request.query
      return admin.accounts(request.principal, {
        ...(unit ? { unitId: unit } : {}),
        ...(kind ? { kind } : {}),
        ...(q ? { q } : {}),
      })
    },
  )

  app.post(
    '/api/admin/accounts',
    {
      schema: {
        tags,
        security,
        summary: 'Tạo tài khoản cán bộ / Create a staff account; its initial password is answered once',
        body: {
          type: 'object',
          properties: {
            username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{2,49}$' },
            fullName: name,
            email,
            phone,
            kind: staffKind,
            unitId,
            groups,
            signingCertificateRef: optionalText(200),
          },
          required: ['username', 'fullName', 'kind', 'unitId', 'groups'],
          additionalProperties: false,
        },
        response: {
          201: {
            type: 'object',
            properties: { account: accountSchema, initialPassword: { type: 'string' } },
            required: ['account', 'initialPassword'],
          },
          ...refusals,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await admin.createAccount(request.principal, request.body)),
  )

  app.get(
    '/api/admin/accounts/:accountId',
    {
      schema: {
        tags,
        security,
        summary: 'Một tài khoản cán bộ / One staff account of my subtree',
        params: accountParams,
        response: { 200: accountSchema, ...refusals },
      },
    },
    async (request) => admin.account(request.principal, request.params.accountId),
  )

  app.patch(
    '/api/admin/accounts/:accountId',
    {
      schema: {
        tags,
        security,
        summary: 'Sửa tài khoản / Change name, contact, role, unit, groups or signing-certificate reference',
        params: accountParams,
        body: {
          type: 'object',
          properties: {
            fullName: name,
            email,
            phone,
            kind: staffKind,
            unitId,
            groups,
            signingCertificateRef: optionalText(200),
          },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: accountSchema, ...refusals },
      },
    },
    async (request) => admin.changeAccount(request.principal, request.params.accountId, request.body),
  )

  app.post(
    '/api/admin/accounts/:accountId/disable',
    {
      schema: {
        tags,
        security,
        summary: 'Khoá tài khoản / Disable an account (it cannot log in; its sessions end)',
        params: accountParams,
        body: reasonBody,
        response: { 200: accountSchema, ...refusals },
      },
    },
    async (request) => admin.setAccountDisabled(request.principal, request.params.accountId, true, request.body.reason),
  )

  app.post(
    '/api/admin/accounts/:accountId/enable',
    {
      schema: {
        tags,
        security,
        summary: 'Mở khoá tài khoản / Enable a disabled account',
        params: accountParams,
        body: reasonBody,
        response: { 200: accountSchema, ...refusals },
      },
    },
    async (request) =>
      admin.setAccountDisabled(request.principal, request.params.accountId, false, request.body.reason),
  )

  app.post(
    '/api/admin/accounts/:accountId/reset-password',
    {
      schema: {
        tags,
        security,
        summary: 'Đặt lại mật khẩu / A new one-time password, answered once; the account’s sessions end',
        params: accountParams,
        response: {
          200: {
            type: 'object',
            properties: {
              accountId: { type: 'string' },
              username: { type: 'string' },
              temporaryPassword: { type: 'string' },
            },
            required: ['accountId', 'username', 'temporaryPassword'],
          },
          ...refusals,
        },
      },
    },
    async (request) => admin.resetPassword(request.principal, request.params.accountId),
  )

  app.post(
    '/api/admin/accounts/import',
    {
      schema: {
        tags,
        security,
        summary:
          'Nhập cán bộ từ CSV/XLSX / Import officers from a CSV or XLSX file; a dry run reports every bad row by line',
        body: {
          type: 'object',
          properties: {
            format: { type: 'string', enum: ['csv', 'xlsx'] },
            content: {
              type: 'string',
              minLength: 1,
              maxLength: 1_000_000,
              description: 'the CSV text (UTF-8), or the XLSX file in base64',
            },
            dryRun: { type: 'boolean' },
          },
          required: ['format', 'content', 'dryRun'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              dryRun: { type: 'boolean' },
              rows: { type: 'integer' },
              errors: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { line: { type: 'integer' }, field: { type: 'string' }, message },
                },
              },
              accounts: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    line: { type: 'integer' },
                    username: { type: 'string' },
                    fullName: { type: 'string' },
                    unitId: { type: 'string' },
                    kind: { type: 'string' },
                    groups: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
              created: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    username: { type: 'string' },
                    initialPassword: { type: 'string' },
                  },
                },
              },
            },
          },
          ...refusals,
        },
      },
    },
    async (request) => admin.importAccounts(request.principal, request.body),
  )

  app.get(
    '/api/admin/groups',
    {
      schema: {
        tags,
        security,
        summary: 'Nhóm / The groups (the candidate groups BPMN steps name) with their enabled members',
        response: {
          200: listOf(groupSchema),
          ...refusals,
        },
      },
    },
    async (request) => admin.groups(request.principal),
  )

  app.post(
    '/api/admin/groups',
    {
      schema: {
        tags,
        security,
        summary: 'Thêm nhóm / Add a group (administrators of the province)',
        body: {
          type: 'object',
          properties: { code: groupCode, name, nameEn: optionalText(300), description: optionalText(1000) },
          required: ['code', 'name'],
          additionalProperties: false,
        },
        response: { 201: groupSchema, ...refusals },
      },
    },
    async (request, reply) => reply.code(201).send(await admin.createGroup(request.principal, request.body)),
  )

  app.patch(
    '/api/admin/groups/:groupCode',
    {
      schema: {
        tags,
        security,
        summary: 'Sửa nhóm / Rename or describe a group (administrators of the province)',
        params: groupParams,
        body: {
          type: 'object',
          properties: { name, nameEn: optionalText(300), description: optionalText(1000) },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: groupSchema, ...refusals },
      },
    },
    async (request) => admin.changeGroup(request.principal, request.params.groupCode, request.body),
  )

  app.get(
    '/api/admin/roles',
    {
      schema: {
        tags,
        security,
        summary: 'Vai trò / The roles (kinds of staff account) and the permissions each grants',
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { kind: { type: 'string' }, permissions: { type: 'array', items: { type: 'string' } } },
                },
              },
            },
          },
          ...refusals,
        },
      },
    },
    async (request) => admin.roles(request.principal),
  )

  app.get(
    '/api/admin/audit',
    {
      schema: {
        tags,
        security,
        summary: 'Nhật ký kiểm toán / The audit log of my subtree, newest first (supervisors and administrators)',
        querystring: {
          type: 'object',
          properties: {
            action: { type: 'string', maxLength: 100 },
            subjectType: { type: 'string', maxLength: 50 },
            subjectId: { type: 'string', maxLength: 200 },
            actor: { type: 'string', maxLength: 100, description: 'username of who did it' },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            cursor: { type: 'string', pattern: '^[0-9]{1,15}$' },
            limit: { type: 'integer', minimum: 1, maximum: 200 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    at: { type: 'string', format: 'date-time' },
                    actor: { type: ['string', 'null'] },
                    actorId: { type: ['string', 'null'] },
                    action: { type: 'string' },
                    subjectType: { type: 'string' },
                    subjectId: { type: 'string' },
                    data: anyObject,
                  },
                },
              },
              nextCursor: { type: ['string', 'null'] },
            },
          },
          ...refusals,
        },
      },
    },
    async (request) => admin.auditLog(request.principal, request.query),
  )
}

export default adminRoutes

// The only reader of the environment: validated once at boot against a JSON schema.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { Ajv } from 'ajv'
import {
  type AnswerRule,
  bodyTemplateProblem,
  DEFAULT_SMS_BODY_TEMPLATE,
  parseAnswerRule,
  type SmsAuth,
  type SmsConfig,
} from './notifications/sms.js'

export interface Config {
  nodeEnv: 'development' | 'production' | 'test'
  /** Real PostgreSQL when set; embedded PGlite under dataDir/pg otherwise. */
  databaseUrl?: string
  dataDir: string
  /**
   * Where motcua keeps what it can rebuild: the ready-made embedded data directories (src/db/template.ts). Default
   * ~/.cache/motcua.
   */
  cacheDir: string
  host: string
  port: number
  jwtSecret: string
  zeebeRestAddress?: string
  zeebeGrpcAddress?: string
  /** OAuth client credentials for a secured Camunda cluster; none for a local unsecured one. */
  zeebeOAuth?: { clientId: string; clientSecret: string; oauthUrl: string; audience?: string }
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Pretty logs in a terminal, JSON otherwise. */
  logPretty: boolean
  /** Seed demo procedures, units and users on start (embedded default). */
  seedDemo: boolean
  /** Days an operational row is kept once nobody needs it (engine events, expired links and tokens). */
  retentionDays: number
  /** smtp(s)://user:pass@host:port of the mail relay; unset → e-mails are written to the log. */
  smtpUrl?: string
  /** From address of outgoing e-mail, e.g. `"Một cửa" <motcua@example.gov.vn>`. */
  mailFrom: string
  /**
   * Where citizens reach the portal, for links in e-mails (no trailing slash), e.g.
   * `https://dichvucong.example.gov.vn`.
   */
  publicBaseUrl: string
  /** Directory of uploaded files (content-addressed blobs); with S3 storage, only where uploads are spooled. */
  filesDir: string
  /** S3-compatible object storage for uploaded files, when S3_BUCKET is set; local disk otherwise. */
  s3?: S3Config
  /**
   * Signing keys for electronic results (docs/results.md): PKCS#12 files under `keysDir` (`officers/<username>.p12`,
   * `seals/<agency code>.p12`) opened with `passphrase`; the CA certificates a verification trusts, as PEM.
   */
  signing?: { keysDir: string; passphrase: string; trustAnchorsFile?: string }
  /** Client addresses exempt from rate limits (a load-test client, a trusted gateway that limits itself). */
  rateLimitAllowList?: string[]
  /** Report computations at once per process (06a, 766, bottlenecks, heatmap); the rest wait, then get 503. */
  reportConcurrency: number
  /** Sign-in with an OpenID Connect identity provider (VNeID, the national portal's SSO); off without OIDC_ISSUER. */
  oidc?: OidcConfig
  /** The VNPAY gateway, when VNPAY_TMN_CODE is set. */
  vnpay?: VnpayConfig
  /** Bank transfer by VietQR, when VIETQR_BANK_BIN is set. */
  vietQr?: VietQrConfig
  /** SMS notices through a brandname gateway (src/notifications/sms.ts); written to the log without a provider URL. */
  sms: SmsConfig
}

/** One OpenID Connect provider, as its operator registered motcua with it (docs/identity.md). */
export interface OidcConfig {
  /** The issuer identifier; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: string
  clientId: string
  /** Unset: a public client (PKCE only, no client authentication at the token endpoint). */
  clientSecret?: string
  /** The portal page the provider sends the browser back to, registered with the provider. */
  redirectUrl: string
  /** Space-separated, always with `openid`. */
  scopes: string
  /** Which claims (of the ID token, else of the UserInfo answer) carry the CCCD, full name and date of birth. */
  claims: { idNumber: string; fullName: string; birthDate: string }
}

/** The VNPAY merchant terminal (src/dossiers/vnpay.ts). */
export interface VnpayConfig {
  /** vnp_TmnCode: the merchant's terminal code at VNPAY (8 characters). */
  tmnCode: string
  /** vnp_HashSecret: the shared secret of the HMAC-SHA512 signature. */
  hashSecret: string
  /** The gateway's payment page, e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html */
  payUrl: string
  /** Where VNPAY sends the payer back (absolute): the portal's /api/payments/vnpay/return. */
  returnUrl: string
  /** How long the payer has to pay (vnp_ExpireDate), in minutes. */
  expireMinutes: number
}

/** The agency's collection account for VietQR transfers (src/dossiers/vietqr.ts). */
export interface VietQrConfig {
  /** The receiving bank's NAPAS BIN (6 digits), e.g. 970415 for VietinBank. */
  bankBin: string
  accountNumber: string
  /** The account holder's name as the bank shows it. */
  accountName: string
}

export interface S3Config {
  /** Unset: AWS S3 itself (the region's endpoint). */
  endpoint?: string
  bucket: string
  region: string
  /** Unset: the AWS SDK's default credential chain (environment, instance role …). */
  credentials?: { accessKeyId: string; secretAccessKey: string }
  /** `bucket` in the path instead of the host name (MinIO, Ceph, most S3-compatible servers). */
  forcePathStyle: boolean
}

const envSchema = {
  type: 'object',
  properties: {
    NODE_ENV: { type: 'string', enum: ['development', 'production', 'test'], default: 'development' },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    CACHE_DIR: { type: 'string', minLength: 1 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    JWT_SECRET: { type: 'string', minLength: 32 },
    ZEEBE_REST_ADDRESS: { type: 'string', pattern: '^https?://' },
    ZEEBE_GRPC_ADDRESS: { type: 'string', minLength: 1 },
    ZEEBE_CLIENT_ID: { type: 'string', minLength: 1 },
    ZEEBE_CLIENT_SECRET: { type: 'string', minLength: 1 },
    ZEEBE_OAUTH_URL: { type: 'string', pattern: '^https?://' },
    ZEEBE_TOKEN_AUDIENCE: { type: 'string', minLength: 1 },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    LOG_FORMAT: { type: 'string', enum: ['pretty', 'json'] },
    SEED_DEMO: { type: 'boolean' },
    RETENTION_DAYS: { type: 'integer', minimum: 1, maximum: 3650, default: 30 },
    SMTP_URL: { type: 'string', pattern: '^smtps?://' },
    MAIL_FROM: { type: 'string', minLength: 3, pattern: '@', default: 'motcua <no-reply@motcua.local>' },
    PUBLIC_BASE_URL: { type: 'string', pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$' },
    FILES_DIR: { type: 'string', minLength: 1 },
    S3_ENDPOINT: { type: 'string', pattern: '^https?://[^\\s/?#]+/?$' },
    // Bucket naming rules of S3: 3–63 lower-case letters, digits, dots and hyphens.
    S3_BUCKET: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' },
    S3_REGION: { type: 'string', pattern: '^[a-z0-9-]{2,32}$' },
    S3_ACCESS_KEY_ID: { type: 'string', minLength: 1 },
    S3_SECRET_ACCESS_KEY: { type: 'string', minLength: 1 },
    S3_FORCE_PATH_STYLE: { type: 'boolean' },
    SIGNING_KEYS_DIR: { type: 'string', minLength: 1 },
    SIGNING_KEY_PASSPHRASE: { type: 'string', minLength: 8 },
    SIGNING_TRUST_ANCHORS: { type: 'string', minLength: 1 },
    RATE_LIMIT_ALLOW: { type: 'string', pattern: '^[0-9a-fA-F:.]+(,[0-9a-fA-F:.]+)*$' },
    OIDC_ISSUER: { type: 'string', pattern: '^https?://[^\\s?#]+$' },
    OIDC_CLIENT_ID: { type: 'string', minLength: 1, maxLength: 200 },
    OIDC_CLIENT_SECRET: { type: 'string', minLength: 1 },
    OIDC_REDIRECT_URL: { type: 'string', pattern: '^https?://[^\\s#]+$' },
    OIDC_SCOPES: { type: 'string', pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]+( [\\x21\\x23-\\x5b\\x5d-\\x7e]+)*$' },
    OIDC_CLAIM_ID_NUMBER: { type: 'string', minLength: 1, maxLength: 100 },
    OIDC_CLAIM_FULL_NAME: { type: 'string', minLength: 1, maxLength: 100 },
    OIDC_CLAIM_BIRTH_DATE: { type: 'string', minLength: 1, maxLength: 100 },
    // VNPAY (docs/payments.md): the terminal code and secret VNPAY issues; the gateway's page; where payers come back.
    VNPAY_TMN_CODE: { type: 'string', pattern: '^[A-Za-z0-9]{8}$' },
    VNPAY_HASH_SECRET: { type: 'string', minLength: 16 },
    VNPAY_PAY_URL: { type: 'string', pattern: '^https?://[^\\s?#]+$' },
    VNPAY_RETURN_URL: { type: 'string', pattern: '^https?://[^\\s?#]+$' },
    VNPAY_EXPIRE_MINUTES: { type: 'integer', minimum: 5, maximum: 1440, default: 15 },
    // VietQR bank transfer to the agency's collection account.
    VIETQR_BANK_BIN: { type: 'string', pattern: '^[0-9]{6}$' },
    VIETQR_ACCOUNT_NUMBER: { type: 'string', pattern: '^[0-9A-Za-z]{4,19}$' },
    VIETQR_ACCOUNT_NAME: { type: 'string', minLength: 2, maxLength: 70 },
    // SMS (docs/notifications.md): the gateway's URL, how motcua authenticates, the JSON body, diacritics or not.
    SMS_PROVIDER_URL: { type: 'string', pattern: '^https?://[^\\s#]+$' },
    SMS_AUTH: { type: 'string', pattern: '^(bearer:.+|basic:[^:]+:.+|header:[A-Za-z0-9-]+:.+)$' },
    SMS_BODY_TEMPLATE: { type: 'string', minLength: 2, maxLength: 4000 },
    SMS_DIACRITICS: { type: 'string', enum: ['strip', 'keep'], default: 'strip' },
    SMS_TIMEOUT_MS: { type: 'integer', minimum: 1000, maximum: 60000, default: 10000 },
    REPORT_CONCURRENCY: { type: 'integer', minimum: 1, maximum: 16, default: 2 },
    SMS_ACCEPTED_WHEN: { type: 'string', minLength: 3, maxLength: 500 },
    SMS_RETRY_WHEN: { type: 'string', minLength: 3, maxLength: 500 },
  },
} as const

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

/** The cache directory when CACHE_DIR is not set. */
export function defaultCacheDir(): string {
  return join(homedir(), '.cache', 'motcua')
}

/** Reads and validates the environment. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, opts: { isTTY?: boolean } = {}): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(envSchema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const ajv = new Ajv({ useDefaults: true, coerceTypes: true, allErrors: false })
  const validate = ajv.compile(envSchema)
  if (!validate(raw)) {
    const err = validate.errors![0]!
    const variable = err.instancePath.replace(/^\//, '') || String(err.params['missingProperty'] ?? '?')
    throw new ConfigError(variable, `${err.message} (got ${JSON.stringify(env[variable])})`)
  }
  const nodeEnv = raw['NODE_ENV'] as Config['nodeEnv']
  const dataDir = resolve(raw['DATA_DIR'] as string)
  const databaseUrl = raw['DATABASE_URL'] as string | undefined
  let jwtSecret = raw['JWT_SECRET'] as string | undefined
  if (!jwtSecret) {
    if (nodeEnv === 'production')
      throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production (at least 32 characters)')
    jwtSecret = storedSecret(dataDir)
  }
  const logFormat = raw['LOG_FORMAT'] as string | undefined
  const publicBaseUrl =
    (raw['PUBLIC_BASE_URL'] as string | undefined)?.replace(/\/+$/, '') ??
    `http://${raw['HOST'] === '0.0.0.0' ? 'localhost' : (raw['HOST'] as string)}:${raw['PORT'] as number}`
  return {
    nodeEnv,
    databaseUrl,
    dataDir,
    cacheDir: raw['CACHE_DIR'] ? resolve(raw['CACHE_DIR'] as string) : defaultCacheDir(),
    host: raw['HOST'] as string,
    port: raw['PORT'] as number,
    jwtSecret,
    zeebeRestAddress: raw['ZEEBE_REST_ADDRESS'] as string | undefined,
    zeebeGrpcAddress: raw['ZEEBE_GRPC_ADDRESS'] as string | undefined,
    zeebeOAuth: zeebeOAuth(raw),
    logLevel: raw['LOG_LEVEL'] as Config['logLevel'],
    logPretty: logFormat ? logFormat === 'pretty' : Boolean(opts.isTTY ?? process.stdout.isTTY),
    seedDemo: (raw['SEED_DEMO'] as boolean | undefined) ?? !databaseUrl,
    retentionDays: raw['RETENTION_DAYS'] as number,
    smtpUrl: raw['SMTP_URL'] as string | undefined,
    mailFrom: raw['MAIL_FROM'] as string,
    publicBaseUrl,
    filesDir: raw['FILES_DIR'] ? resolve(raw['FILES_DIR'] as string) : join(dataDir, 'files'),
    ...(raw['RATE_LIMIT_ALLOW'] ? { rateLimitAllowList: (raw['RATE_LIMIT_ALLOW'] as string).split(',') } : {}),
    ...s3Config(raw),
    ...oidcConfig(raw, publicBaseUrl),
    ...paymentConfig(raw),
    ...signingConfig(raw),
    sms: smsConfig(raw),
    reportConcurrency: raw['REPORT_CONCURRENCY'] as number,
  }
}

function smsConfig(raw: Record<string, unknown>): SmsConfig {
  const bodyTemplate = (raw['SMS_BODY_TEMPLATE'] as string | undefined) ?? DEFAULT_SMS_BODY_TEMPLATE
  const problem = bodyTemplateProblem(bodyTemplate)
  if (problem) throw new ConfigError('SMS_BODY_TEMPLATE', problem)
  const providerUrl = raw['SMS_PROVIDER_URL'] as string | undefined
  if (!providerUrl && raw['SMS_AUTH']) throw new ConfigError('SMS_PROVIDER_URL', 'is required with SMS_AUTH')
  const auth = smsAuth(raw['SMS_AUTH'] as string | undefined)
  const rule = (name: string): AnswerRule | undefined => {
    const text = raw[name] as string | undefined
    if (text === undefined) return undefined
    const parsed = parseAnswerRule(text)
    if (!parsed) throw new ConfigError(name, 'must read <field>=<value>[,<value>…], e.g. CodeResult=100')
    return parsed
  }
  const acceptedWhen = rule('SMS_ACCEPTED_WHEN')
  const retryWhen = rule('SMS_RETRY_WHEN')
  if (retryWhen && !acceptedWhen) throw new ConfigError('SMS_ACCEPTED_WHEN', 'is required with SMS_RETRY_WHEN')
  return {
    ...(providerUrl ? { providerUrl } : {}),
    ...(auth ? { auth } : {}),
    bodyTemplate,
    diacritics: raw['SMS_DIACRITICS'] === 'keep',
    timeoutMs: raw['SMS_TIMEOUT_MS'] as number,
    ...(acceptedWhen ? { acceptedWhen } : {}),
    ...(retryWhen ? { retryWhen } : {}),
  }
}

/** `bearer:<token>`, `basic:<user>:<password>` or `header:<Name>:<value>` (the schema checked the shape). */
function smsAuth(value: string | undefined): SmsAuth | undefined {
  if (!value) return undefined
  const [kind, first, ...rest] = value.split(':')
  if (kind === 'bearer') return { kind, token: value.slice('bearer:'.length) }
  if (kind === 'basic') return { kind, user: first!, password: rest.join(':') }
  return { kind: 'header', name: first!, value: rest.join(':') }
}

function oidcConfig(raw: Record<string, unknown>, publicBaseUrl: string): { oidc?: OidcConfig } {
  const issuer = raw['OIDC_ISSUER'] as string | undefined
  if (!issuer) {
    const stray = Object.keys(raw).find((n) => n.startsWith('OIDC_'))
    if (stray)
      throw new ConfigError('OIDC_ISSUER', `is required with ${stray} (OpenID Connect sign-in is off without it)`)
    return {}
  }
  const clientId = raw['OIDC_CLIENT_ID'] as string | undefined
  if (!clientId) throw new ConfigError('OIDC_CLIENT_ID', 'is required with OIDC_ISSUER')
  const scopes = (raw['OIDC_SCOPES'] as string | undefined) ?? 'openid profile'
  if (!scopes.split(' ').includes('openid'))
    throw new ConfigError('OIDC_SCOPES', `must include openid (got ${JSON.stringify(scopes)})`)
  const clientSecret = raw['OIDC_CLIENT_SECRET'] as string | undefined
  return {
    oidc: {
      issuer,
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      redirectUrl: (raw['OIDC_REDIRECT_URL'] as string | undefined) ?? `${publicBaseUrl}/dang-nhap/dinh-danh`,
      scopes,
      claims: {
        idNumber: (raw['OIDC_CLAIM_ID_NUMBER'] as string | undefined) ?? 'id_number',
        fullName: (raw['OIDC_CLAIM_FULL_NAME'] as string | undefined) ?? 'name',
        birthDate: (raw['OIDC_CLAIM_BIRTH_DATE'] as string | undefined) ?? 'birthdate',
      },
    },
  }
}

/** The gateways configured by the environment: each group of variables all together or not at all. */
function paymentConfig(raw: Record<string, unknown>): { vnpay?: VnpayConfig; vietQr?: VietQrConfig } {
  const group = (names: string[]) => {
    const set = names.filter((n) => raw[n] !== undefined)
    if (set.length && set.length < names.length)
      throw new ConfigError(
        names.find((n) => raw[n] === undefined)!,
        `is required with ${set[0]}`,
      )
    return set.length === names.length
  }
  const base =
    (raw['PUBLIC_BASE_URL'] as string | undefined)?.replace(/\/+$/, '') ??
    `http://${raw['HOST'] === '0.0.0.0' ? 'localhost' : (raw['HOST'] as string)}:${raw['PORT'] as number}`
  return {
    ...(group(['VNPAY_TMN_CODE', 'VNPAY_HASH_SECRET', 'VNPAY_PAY_URL'])
      ? {
          vnpay: {
            tmnCode: raw['VNPAY_TMN_CODE'] as string,
            hashSecret: raw['VNPAY_HASH_SECRET'] as string,
            payUrl: raw['VNPAY_PAY_URL'] as string,
            returnUrl: (raw['VNPAY_RETURN_URL'] as string | undefined) ?? `${base}/api/payments/vnpay/return`,
            expireMinutes: raw['VNPAY_EXPIRE_MINUTES'] as number,
          },
        }
      : {}),
    ...(group(['VIETQR_BANK_BIN', 'VIETQR_ACCOUNT_NUMBER', 'VIETQR_ACCOUNT_NAME'])
      ? {
          vietQr: {
            bankBin: raw['VIETQR_BANK_BIN'] as string,
            accountNumber: raw['VIETQR_ACCOUNT_NUMBER'] as string,
            accountName: raw['VIETQR_ACCOUNT_NAME'] as string,
          },
        }
      : {}),
  }
}

function signingConfig(raw: Record<string, unknown>): { signing?: Config['signing'] } {
  const keysDir = raw['SIGNING_KEYS_DIR'] as string | undefined
  const passphrase = raw['SIGNING_KEY_PASSPHRASE'] as string | undefined
  const anchors = raw['SIGNING_TRUST_ANCHORS'] as string | undefined
  if (!keysDir) {
    if (passphrase) throw new ConfigError('SIGNING_KEYS_DIR', 'is required with SIGNING_KEY_PASSPHRASE')
    return {}
  }
  if (!passphrase) throw new ConfigError('SIGNING_KEY_PASSPHRASE', 'is required with SIGNING_KEYS_DIR')
  return {
    signing: { keysDir: resolve(keysDir), passphrase, ...(anchors ? { trustAnchorsFile: resolve(anchors) } : {}) },
  }
}

function s3Config(raw: Record<string, unknown>): { s3?: S3Config } {
  const names = ['S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE'] as const
  const bucket = raw['S3_BUCKET'] as string | undefined
  if (!bucket) {
    const stray = names.find((n) => raw[n] !== undefined)
    if (stray)
      throw new ConfigError('S3_BUCKET', `is required with ${stray} (S3 storage is used only when S3_BUCKET is set)`)
    return {}
  }
  const [accessKeyId, secretAccessKey] = [raw['S3_ACCESS_KEY_ID'], raw['S3_SECRET_ACCESS_KEY']] as Array<
    string | undefined
  >
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError(
      accessKeyId ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID',
      'is required with the other of S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY',
    )
  }
  const endpoint = (raw['S3_ENDPOINT'] as string | undefined)?.replace(/\/$/, '')
  return {
    s3: {
      ...(endpoint ? { endpoint } : {}),
      bucket,
      region: (raw['S3_REGION'] as string | undefined) ?? 'us-east-1',
      ...(accessKeyId ? { credentials: { accessKeyId, secretAccessKey: secretAccessKey! } } : {}),
      forcePathStyle: (raw['S3_FORCE_PATH_STYLE'] as boolean | undefined) ?? false,
    },
  }
}

function zeebeOAuth(raw: Record<string, unknown>): Config['zeebeOAuth'] {
  const [clientId, clientSecret, oauthUrl] = [
    raw['ZEEBE_CLIENT_ID'],
    raw['ZEEBE_CLIENT_SECRET'],
    raw['ZEEBE_OAUTH_URL'],
  ] as Array<string | undefined>
  if (!clientId && !clientSecret && !oauthUrl) return undefined
  for (const [name, value] of [
    ['ZEEBE_CLIENT_ID', clientId],
    ['ZEEBE_CLIENT_SECRET', clientSecret],
    ['ZEEBE_OAUTH_URL', oauthUrl],
  ] as const) {
    if (!value)
      throw new ConfigError(
        name,
        'is required with the other ZEEBE_CLIENT_ID / ZEEBE_CLIENT_SECRET / ZEEBE_OAUTH_URL settings',
      )
  }
  const audience = raw['ZEEBE_TOKEN_AUDIENCE'] as string | undefined
  return { clientId: clientId!, clientSecret: clientSecret!, oauthUrl: oauthUrl!, ...(audience ? { audience } : {}) }
}

/** A secret generated once per data directory, so tokens survive restarts in embedded mode. */
function storedSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(48).toString('base64url')
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' })
  return secret
}

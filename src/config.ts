// The only reader of the environment: validated once at boot against a JSON schema.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Ajv } from 'ajv'

export interface Config {
  nodeEnv: 'development' | 'production' | 'test'
  /** Real PostgreSQL when set; embedded PGlite under dataDir/pg otherwise. */
  databaseUrl?: string
  dataDir: string
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
  /** Client addresses exempt from rate limits (a load-test client, a trusted gateway that limits itself). */
  rateLimitAllowList?: string[]
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
    RATE_LIMIT_ALLOW: { type: 'string', pattern: '^[0-9a-fA-F:.]+(,[0-9a-fA-F:.]+)*$' },
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
  return {
    nodeEnv,
    databaseUrl,
    dataDir,
    host: raw['HOST'] as string,
    port: raw['PORT'] as number,
    jwtSecret,
    zeebeRestAddress: raw['ZEEBE_REST_ADDRESS'] as string | undefined,
    zeebeGrpcAddress: raw['ZEEBE_GRPC_ADDRESS'] as string | undefined,
    zeebeOAuth: zeebeOAuth(raw),
    logLevel: raw['LOG_LEVEL'] as Config['logLevel'],
    logPretty: logFormat ? logFormat === 'pretty' : Boolean(opts.isTTY ?? process.stdout.isTTY),
    seedDemo: (raw['SEED_DEMO'] as boolean | undefined) ?? !databaseUrl,
    smtpUrl: raw['SMTP_URL'] as string | undefined,
    mailFrom: raw['MAIL_FROM'] as string,
    publicBaseUrl:
      (raw['PUBLIC_BASE_URL'] as string | undefined)?.replace(/\/+$/, '') ??
      `http://${raw['HOST'] === '0.0.0.0' ? 'localhost' : (raw['HOST'] as string)}:${raw['PORT'] as number}`,
    filesDir: raw['FILES_DIR'] ? resolve(raw['FILES_DIR'] as string) : join(dataDir, 'files'),
    ...(raw['RATE_LIMIT_ALLOW'] ? { rateLimitAllowList: (raw['RATE_LIMIT_ALLOW'] as string).split(',') } : {}),
    ...s3Config(raw),
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

import t from 'tap'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '../src/config.js'

const dataDir = (): string => mkdtempSync(join(tmpdir(), 'motcua-cfg-'))

t.test('given no environment, the embedded defaults apply', async (t) => {
  const dir = dataDir()
  const config = loadConfig({ DATA_DIR: dir }, { isTTY: false })
  t.equal(config.databaseUrl, undefined)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.port, 3000)
  t.equal(config.logLevel, 'info')
  t.equal(config.logPretty, false)
  t.equal(config.seedDemo, true)
  t.ok(config.jwtSecret.length >= 32, 'a secret is generated')
  t.equal(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim(), config.jwtSecret, 'and stored under DATA_DIR')
  t.equal(loadConfig({ DATA_DIR: dir }).jwtSecret, config.jwtSecret, 'and reused on the next start')
})

t.test('a bad value stops the start with a message naming the variable', async (t) => {
  const bad: Array<[string, string]> = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['NODE_ENV', 'staging'],
    ['JWT_SECRET', 'short'],
    ['ZEEBE_REST_ADDRESS', 'localhost:8080'],
    ['PUBLIC_BASE_URL', 'dichvucong.example.gov.vn'],
    ['PUBLIC_BASE_URL', 'javascript:alert(1)'],
  ]
  for (const [name, value] of bad) {
    let caught: unknown
    try {
      loadConfig({ DATA_DIR: dataDir(), [name]: value })
    } catch (err) {
      caught = err
    }
    t.ok(caught instanceof ConfigError, `${name}=${value} is refused`)
    t.equal((caught as ConfigError).variable, name)
    t.match((caught as ConfigError).message, name)
  }
})

t.test('production requires JWT_SECRET instead of generating one', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() }), /JWT_SECRET/)
  const secret = 'x'.repeat(40)
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, DATA_DIR: dataDir() }).jwtSecret, secret)
})

t.test('a server database turns demo seeding off unless asked', async (t) => {
  const url = 'postgres://u@db:5432/motcua'
  t.equal(loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir() }).seedDemo, false)
  t.equal(loadConfig({ DATABASE_URL: url, SEED_DEMO: 'true', DATA_DIR: dataDir() }).seedDemo, true)
  t.equal(loadConfig({ LOG_FORMAT: 'pretty', DATA_DIR: dataDir() }, { isTTY: false }).logPretty, true)
})

t.test(
  "links in e-mails use PUBLIC_BASE_URL, without a trailing slash; by default the server's own address",
  async (t) => {
    t.equal(loadConfig({ DATA_DIR: dataDir() }).publicBaseUrl, 'http://127.0.0.1:3000')
    t.equal(loadConfig({ DATA_DIR: dataDir(), HOST: '0.0.0.0', PORT: '8080' }).publicBaseUrl, 'http://localhost:8080')
    t.equal(
      loadConfig({ DATA_DIR: dataDir(), PUBLIC_BASE_URL: 'https://dvc.example.gov.vn/motcua/' }).publicBaseUrl,
      'https://dvc.example.gov.vn/motcua',
    )
  },
)

t.test('OpenID Connect sign-in is off without OIDC_ISSUER, and its settings are checked together', async (t) => {
  t.equal(loadConfig({ DATA_DIR: dataDir() }).oidc, undefined, 'off by default')
  const oidc = loadConfig({
    DATA_DIR: dataDir(),
    PUBLIC_BASE_URL: 'https://dichvucong.example.gov.vn',
    OIDC_ISSUER: 'https://sso.example.gov.vn/realms/dvc',
    OIDC_CLIENT_ID: 'motcua',
    OIDC_CLIENT_SECRET: 's3cret',
  }).oidc
  t.same(oidc, {
    issuer: 'https://sso.example.gov.vn/realms/dvc',
    clientId: 'motcua',
    clientSecret: 's3cret',
    redirectUrl: 'https://dichvucong.example.gov.vn/dang-nhap/dinh-danh',
    scopes: 'openid profile',
    claims: { idNumber: 'id_number', fullName: 'name', birthDate: 'birthdate' },
  })
  const refused: Array<[Record<string, string>, string]> = [
    [{ OIDC_CLIENT_ID: 'motcua' }, 'OIDC_ISSUER'],
    [{ OIDC_ISSUER: 'https://sso.example.gov.vn' }, 'OIDC_CLIENT_ID'],
    [{ OIDC_ISSUER: 'https://sso.example.gov.vn', OIDC_CLIENT_ID: 'm', OIDC_SCOPES: 'profile cccd' }, 'OIDC_SCOPES'],
    [{ OIDC_ISSUER: 'sso.example.gov.vn', OIDC_CLIENT_ID: 'm' }, 'OIDC_ISSUER'],
    [{ OIDC_ISSUER: 'https://sso.example.gov.vn', OIDC_CLIENT_ID: 'm', OIDC_SCOPES: 'openid  x' }, 'OIDC_SCOPES'],
  ]
  for (const [env, variable] of refused) {
    const err = t.throws(() => loadConfig({ DATA_DIR: dataDir(), ...env })) as ConfigError
    t.equal(err.variable, variable, `${JSON.stringify(env)} names ${variable}`)
  }
})

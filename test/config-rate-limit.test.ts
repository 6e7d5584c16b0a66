// Specification: RATE_LIMIT_ALLOW lists client addresses exempt from rate limits; anything else in it is refused at
// boot.
import t from 'tap'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '../src/config.js'

const DATA_DIR = mkdtempSync(join(tmpdir(), 'motcua-config-'))

t.test('unset: nobody is exempt', async (t) => {
  t.equal(loadConfig({ DATA_DIR }, { isTTY: false }).rateLimitAllowList, undefined)
})

t.test('a comma-separated list of addresses', async (t) => {
  t.same(loadConfig({ DATA_DIR, RATE_LIMIT_ALLOW: '127.0.0.1,::1' }, { isTTY: false }).rateLimitAllowList, [
    '127.0.0.1',
    '::1',
  ])
})

t.test('anything else is a configuration error naming the variable', async (t) => {
  t.throws(() => loadConfig({ DATA_DIR, RATE_LIMIT_ALLOW: '*' }, { isTTY: false }), ConfigError)
  t.throws(() => loadConfig({ DATA_DIR, RATE_LIMIT_ALLOW: '10.0.0.1, 10.0.0.2' }, { isTTY: false }), /RATE_LIMIT_ALLOW/)
})

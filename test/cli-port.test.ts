// `motcua start` on a port another program holds: one clear line naming the variable to change, before the database
// is touched (no migrations, no demo data), and no stack trace.
import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../bin/motcua.js', import.meta.url))

t.test('a port in use: told which variable to change, and the data directory stays untouched', async (t) => {
  const holder = createServer()
  await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port: 0 }, resolve))
  t.teardown(() => holder.close())
  const port = (holder.address() as AddressInfo).port
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-port-'))
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DATA_DIR: dataDir, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))

  t.equal(code, 1, 'exits with 1')
  const lines = out.trim().split('\n')
  t.equal(lines.length, 1, `one line: ${out}`)
  t.match(lines[0], new RegExp(`127\\.0\\.0\\.1:${port}`), 'names the address')
  t.match(lines[0], /\bPORT\b/, 'names the variable to change')
  t.notMatch(out, /\n\s+at /, 'no stack trace')
  t.notOk(existsSync(join(dataDir, 'pg')), 'the embedded database was not created: the port is checked first')
  t.notOk(existsSync(join(dataDir, 'demo-credentials.json')), 'nothing seeded')
})

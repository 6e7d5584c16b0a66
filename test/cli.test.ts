// The motcua command as a user runs it: real processes on a fresh embedded data directory.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { eventually } from './helpers/eventually.js'

const bin = fileURLToPath(new URL('../bin/motcua.js', import.meta.url))

interface Run {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

function run(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => out, exited }
}

/**
 * Waits for the line that says where the server listens, or for the process to exit. No deadline of its own: a
 * fresh data directory (initdb, migrations, seed) takes long on a busy machine, and tap's per-file timeout bounds it.
 */
function waitForUrl(r: Run): Promise<string> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const m = /motcua: (http:\/\/127\.0\.0\.1:\d+)/.exec(r.output())
      if (!m) return false
      r.child.stdout!.off('data', look)
      r.child.stderr!.off('data', look)
      resolve(m[1]!)
      return true
    }
    if (look()) return
    r.child.stdout!.on('data', look)
    r.child.stderr!.on('data', look)
    void r.exited.then(() => {
      if (!look()) reject(new Error(`exited before listening: ${r.output()}`))
    })
  })
}

t.test(
  'start on a fresh data directory: ready, docs, demo accounts; a second start is refused; data survives a restart',
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-cli-'))
    const env = { DATA_DIR: dataDir, PORT: '0' }
    const first = run(['start'], env)
    t.teardown(() => {
      first.child.kill('SIGKILL')
    })
    const url = await waitForUrl(first)
    // Listening comes first; ready once the reference procedures are published.
    await eventually('ready', async () => (await fetch(`${url}/health/ready`)).status === 200, 240_000)
    const procedures = (await (await fetch(`${url}/api/procedures?limit=50`)).json()) as { total: number }
    t.ok(procedures.total >= 5, 'when ready, the reference procedures are published')
    t.equal((await fetch(`${url}/docs/json`)).status, 200, 'OpenAPI served')
    t.match(first.output(), /congdan/, 'demo credentials are printed')
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as Array<{
      username: string
      password: string
    }>
    t.equal(
      demo.length,
      15,
      'one account per role kind, officers for every unit role of the commune and the partner agencies',
    )

    const second = run(['start'], env)
    t.equal(await second.exited, 1, 'a second process on the same data directory exits')
    t.match(second.output(), /in use by another motcua process/)

    first.child.kill('SIGTERM')
    t.equal(await first.exited, 0, 'SIGTERM shuts down cleanly')

    const again = run(['start'], env)
    t.teardown(() => {
      again.child.kill('SIGKILL')
    })
    const url2 = await waitForUrl(again)
    const citizen = demo.find((d) => d.username === 'congdan')!
    const login = await fetch(`${url2}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: citizen.username, password: citizen.password }),
    })
    t.equal(login.status, 200, 'the accounts of the first run still log in: data was kept')
    again.child.kill('SIGINT')
    t.equal(await again.exited, 0)
  },
)

t.test('a bad configuration value stops the start with a message naming it', async (t) => {
  const r = run(['start'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'motcua-cli-')), PORT: 'abc' })
  t.equal(await r.exited, 1)
  t.match(r.output(), /PORT/)
  t.notMatch(r.output(), /\n\s+at /, 'no stack trace')
})

t.test('migrate applies migrations once, then reports the database up to date', async (t) => {
  const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'motcua-cli-')) }
  const first = run(['migrate'], env)
  t.equal(await first.exited, 0)
  t.match(first.output(), /Applied \d+ migration/)
  const second = run(['migrate'], env)
  t.equal(await second.exited, 0)
  t.match(second.output(), /up to date/)
})

t.test('an unknown command prints the usage and exits 2', async (t) => {
  const r = run(['frobnicate'], {})
  t.equal(await r.exited, 2)
  t.match(r.output(), /Usage: motcua/)
})

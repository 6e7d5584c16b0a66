// What a start imports: the libraries only some requests need (spreadsheets, PDF, QR codes, mail, signing) are loaded
// on first use (src/lib/lazy-modules.ts, src/signing/p12-keys.ts), not by the server's module graph; together they
// cost about 0.6 s of CPU at every start (docs/benchmarks.md, "Start-up").
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const lazy = ['exceljs', 'pdfkit', 'qrcode', 'nodemailer', 'node-forge', 'pkijs', '@signpdf/signpdf']

t.test('importing the server loads none of the libraries used on demand', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-imports-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const log = join(dir, 'loaded.txt')
  // A module loader hook (it runs on its own thread) that writes down every module URL loaded.
  const hooks = `import { appendFileSync } from 'node:fs'
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context) }`
  const register = `import { register } from 'node:module'
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)})`
  const server = pathToFileURL(join(import.meta.dirname, '..', 'src', 'server.ts')).href
  const child = spawn(
    process.execPath,
    [
      '--import=tsx',
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(server)})`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  t.equal(code, 0, output)
  const packages = new Set(
    readFileSync(log, 'utf8')
      .split('\n')
      .map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1])
      .filter((name): name is string => Boolean(name)),
  )
  t.ok(packages.has('fastify') && packages.has('knex'), 'the hook sees the packages the server does import')
  for (const name of lazy) t.notOk(packages.has(name), `${name} is not loaded at start`)
})

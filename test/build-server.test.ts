// The JavaScript compiled at install (scripts/build-server.js) and how `motcua` decides to run it (bin/compiled.js):
// only while it matches the sources byte for byte, and the compiled tree runs without the TypeScript loader.
import t from 'tap'
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
// @ts-expect-error -- plain JavaScript without declarations (it runs before anything is compiled)
import { buildServer } from '../scripts/build-server.js'
// @ts-expect-error -- plain JavaScript without declarations
import { compiledEntry } from '../bin/compiled.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const build = buildServer as (root: string, outDir?: string) => Promise<number>
const entry = compiledEntry as (root: string, outDir?: string) => string | undefined

/** A checkout in miniature: src/ with a JSON file beside the code, one migration, the build's own files. */
function tinyCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-build-'))
  mkdirSync(join(dir, 'src', 'lib'), { recursive: true })
  mkdirSync(join(dir, 'migrations'))
  mkdirSync(join(dir, 'scripts'))
  mkdirSync(join(dir, 'bin'))
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}')
  writeFileSync(
    join(dir, 'src', 'cli.ts'),
    "import { greeting } from './lib/greeting.js'\nexport const main = (n: number): string => `${greeting} ${n}`\n",
  )
  writeFileSync(
    join(dir, 'src', 'lib', 'greeting.ts'),
    "import data from './data.json' with { type: 'json' }\nexport const greeting: string = data.word\n",
  )
  writeFileSync(join(dir, 'src', 'lib', 'data.json'), '{"word":"xin chào"}')
  writeFileSync(join(dir, 'migrations', '0001_x.ts'), 'export async function up(): Promise<void> {}\n')
  cpSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'))
  cpSync(join(root, 'scripts', 'build-server.js'), join(dir, 'scripts', 'build-server.js'))
  cpSync(join(root, 'bin', 'compiled.js'), join(dir, 'bin', 'compiled.js'))
  return dir
}

t.test('dist/ is used only while it was compiled from the sources as they are', async (t) => {
  const dir = tinyCheckout()
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  t.equal(entry(dir), undefined, 'never built: the TypeScript runs')
  t.equal(await build(dir), 3, 'two source files and one migration compiled')
  t.equal(entry(dir), join(dir, 'dist', 'cli.js'), 'built from these sources: dist/ runs')
  const cli = (await import(`${pathToFileURL(join(dir, 'dist', 'cli.js')).href}?v=1`)) as {
    main: (n: number) => string
  }
  t.equal(cli.main(2), 'xin chào 2', 'the compiled code runs, with the JSON copied beside it')
  t.ok(readFileSync(join(dir, 'dist', 'migrations', '0001_x.js'), 'utf8').includes('async function up'))

  const greeting = join(dir, 'src', 'lib', 'greeting.ts')
  const before = readFileSync(greeting)
  writeFileSync(greeting, `${before.toString()}// edited\n`)
  t.equal(entry(dir), undefined, 'an edited source file: dist/ is stale, not run')
  writeFileSync(greeting, before)
  t.ok(entry(dir), 'the same bytes again: dist/ matches again')

  writeFileSync(join(dir, 'src', 'lib', 'extra.ts'), 'export {}\n')
  t.equal(entry(dir), undefined, 'an added source file makes dist/ stale')
  rmSync(join(dir, 'src', 'lib', 'extra.ts'))
  t.ok(entry(dir))
  writeFileSync(join(dir, 'migrations', '0002_y.ts'), 'export async function up(): Promise<void> {}\n')
  t.equal(entry(dir), undefined, 'a new migration makes dist/ stale')
  rmSync(join(dir, 'migrations', '0002_y.ts'))
  rmSync(join(dir, 'src', 'lib', 'data.json'))
  t.equal(entry(dir), undefined, 'a deleted file makes dist/ stale')
})

t.test('a build that fails leaves the previous dist/ in place and no partial tree', async (t) => {
  const dir = tinyCheckout()
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  await build(dir)
  writeFileSync(join(dir, 'src', 'broken.ts'), 'export const = 1\n')
  await t.rejects(build(dir))
  t.ok(readFileSync(join(dir, 'dist', 'cli.js')), 'the previous build is still there')
  t.equal(entry(dir), undefined, 'and it is stale, so it is not run')
  t.same(
    (await import('node:fs')).readdirSync(dir).filter((f) => f.includes('partial')),
    [],
    'no partial tree left',
  )
})

t.test('the real sources compile, and the compiled command applies every migration without tsx', async (t) => {
  // Beside dist/, at the same depth, so the paths modules find from their own location are the same.
  const out = join(root, `dist-test-${process.pid}`)
  t.teardown(() => rmSync(out, { recursive: true, force: true }))
  await build(root, out)
  t.equal(entry(root, out), join(out, 'cli.js'))
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-build-migrate-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  // Plain node, no loader: a .ts file reached anywhere fails with ERR_UNKNOWN_FILE_EXTENSION.
  const script = `const { main } = await import(${JSON.stringify(pathToFileURL(join(out, 'cli.js')).href)})
process.exitCode = await main(['migrate'])`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  t.equal(code, 0, `the compiled command exits 0: ${output.slice(-2000)}`)
  const migrations = (await import('../src/db/migrate.js')).migrationFiles()
  t.match(output, `Applied ${migrations.length} migration(s)`)
})

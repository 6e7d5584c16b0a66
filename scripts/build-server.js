// Compiles src/ and migrations/ to JavaScript in dist/ (`npm run build:server`, run by `npm ci` / `npm install`
// through the `prepare` script), so that `motcua` starts on plain Node instead of transpiling TypeScript at every
// start (bin/motcua.js). esbuild transforms each file on its own (no bundling, the same transform tsx applies), and
// dist/ mirrors src/ at the same depth (src/db/migrate.ts → dist/db/migrate.js), so every path a module finds from
// its own location (../../migrations/, ../../forms/, ../../web/dist/, packages in node_modules/) is the same. The
// migrations go to dist/migrations/. The output is written beside dist/ and renamed into place, with the stamp of
// what it was compiled from (bin/compiled.js): an edit after the build makes dist/ stale, never wrong.
// Plain JavaScript: it runs before anything is compiled. Usage: node scripts/build-server.js [root] [outDir]
import { build } from 'esbuild'
import { cpSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sourceHash, stampName } from '../bin/compiled.js'

/** Compiles root's src/ and migrations/ into outDir (default root/dist); returns the number of files compiled. */
export async function buildServer(root, outDir = join(root, 'dist')) {
  const hash = sourceHash(root) // before reading the sources: a file edited meanwhile leaves dist/ stale
  const partial = `${outDir}.${process.pid}.partial`
  rmSync(partial, { recursive: true, force: true })
  let count
  try {
    count = await compile(root, partial)
  } catch (err) {
    rmSync(partial, { recursive: true, force: true })
    throw err
  }
  writeFileSync(join(partial, stampName), hash)
  rmSync(outDir, { recursive: true, force: true })
  renameSync(partial, outDir)
  return count
}

async function compile(root, partial) {
  let count = 0
  for (const [dir, out] of [
    ['src', partial],
    ['migrations', join(partial, 'migrations')],
  ]) {
    const files = readdirSync(join(root, dir), { recursive: true })
    const entryPoints = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(root, dir, f))
    await build({
      entryPoints,
      outdir: out,
      outbase: join(root, dir),
      format: 'esm',
      platform: 'node',
      target: 'node20.10', // keeps `import … with { type: 'json' }`, which Node 20.10 reads
      tsconfig: join(root, 'tsconfig.json'),
      logLevel: 'warning',
    })
    // Files modules read or import beside themselves (feel-builtins.js, holidays-vn.json).
    for (const f of files.filter((f) => /\.(js|json)$/.test(f))) cpSync(join(root, dir, f), join(out, f))
    count += entryPoints.length
  }
  return count
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)))
  const started = performance.now()
  const count = await buildServer(root, process.argv[3] && resolve(process.argv[3]))
  console.log(`compiled ${count} files to JavaScript in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

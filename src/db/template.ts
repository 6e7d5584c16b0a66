// Ready-made PGlite data directories: initdb, and the migrations, run once and kept as a tarball in the cache
// directory, so a new embedded database (a fresh data directory, a test's in-memory one) starts from a copy instead
// of running initdb (about 5 s of CPU) and every migration again.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrationFiles } from './migrate.js'

/** `empty`: a cluster just after initdb. `migrated`: with every migration of migrations/ applied. */
export type TemplateKind = 'empty' | 'migrated'

// Bumped when what a template holds changes other than through PGlite or the migrations.
const templateFormat = 'motcua-pglite-template-1'

function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'))
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }
  return manifest.version
}

/**
 * The template's name: a hash of the PGlite version and, for a migrated one, every migration file's name and
 * content, so a new or edited migration (or another PGlite) can never be served a template built without it.
 */
export function templateKey(
  kind: TemplateKind,
  migrations: Array<{ name: string; path: string }> = migrationFiles(),
): string {
  const hash = createHash('sha256').update(`${templateFormat}\0${pgliteVersion()}\0${kind}\0`)
  if (kind === 'migrated') {
    for (const file of migrations) hash.update(`${file.name}\0`).update(readFileSync(file.path)).update('\0')
  }
  return `${kind}-${hash.digest('hex').slice(0, 32)}`
}

/**
 * The template of this kind from cacheDir, built by `build` (a data directory tarball) and stored there when
 * missing. Another process may build the same one at the same time: each writes its own file and renames it into
 * place, so a reader never sees half a file. A cache directory that cannot be written only costs the build.
 */
export async function cachedTemplate(
  kind: TemplateKind,
  cacheDir: string,
  build: () => Promise<ArrayBuffer>,
): Promise<Blob> {
  const file = join(cacheDir, `pglite-${templateKey(kind)}.tar`)
  try {
    return new Blob([readFileSync(file)])
  } catch {
    // not built yet
  }
  const tarball = await build()
  try {
    mkdirSync(cacheDir, { recursive: true })
    const partial = `${file}.${process.pid}.partial`
    writeFileSync(partial, new Uint8Array(tarball))
    renameSync(partial, file)
  } catch {
    // read-only or full cache directory: the next start builds it again
  }
  return new Blob([tarball])
}

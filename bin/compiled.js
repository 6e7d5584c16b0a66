// Whether dist/ holds JavaScript compiled from this very src/ and migrations/ (scripts/build-server.js writes it at
// install), so that `motcua` can run it with plain Node instead of transpiling the TypeScript through tsx at every
// start. The build stamps dist/ with a hash of every file it was compiled from (names and contents, plus the build
// script and tsconfig.json); a start recomputes it (a few milliseconds) and runs dist/ only when they match, so an
// edited, added or deleted source file can never be served stale JavaScript: it runs through tsx until the next build.
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

const sourceDirs = ['src', 'migrations']
const sourceFiles = ['tsconfig.json', 'scripts/build-server.js', 'bin/compiled.js']
export const stampName = '.source-hash'

/** A hash of every file under src/ and migrations/ (name and content) and of the build's own inputs. */
export function sourceHash(root) {
  const hash = createHash('sha256')
  for (const dir of sourceDirs) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      const path = join(entry.parentPath ?? entry.path, entry.name)
      hash
        .update(`${relative(root, path)}\0`)
        .update(readFileSync(path))
        .update('\0')
    }
  }
  for (const file of sourceFiles)
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(root, file)))
      .update('\0')
  return hash.digest('hex')
}

/** dist/'s entry point when dist/ was built from the sources as they are now; undefined otherwise. */
export function compiledEntry(root, outDir = join(root, 'dist')) {
  let stamp
  try {
    stamp = readFileSync(join(outDir, stampName), 'utf8')
  } catch {
    return undefined // never built
  }
  return stamp === sourceHash(root) ? join(outDir, 'cli.js') : undefined
}

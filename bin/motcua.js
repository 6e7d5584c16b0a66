#!/usr/bin/env node
// The motcua command: runs src/cli.ts. From the JavaScript compiled at install (dist/, scripts/build-server.js) when
// it was compiled from the sources as they are now (bin/compiled.js); otherwise, or with MOTCUA_TSX=1, from the
// TypeScript itself through the tsx loader, which transpiles at every start (about 0.6–1 s of CPU more).
import { fileURLToPath, pathToFileURL } from 'node:url'
import { compiledEntry } from './compiled.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const compiled = process.env['MOTCUA_TSX'] === '1' ? undefined : compiledEntry(root)
let cli
if (compiled) {
  cli = await import(pathToFileURL(compiled).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  cli = await import('../src/cli.ts')
}
process.exitCode = await cli.main(process.argv.slice(2))

// `motcua units import <file>`: loads the official list of provinces and communes into the address directory.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Knex } from 'knex'
import { migrateLatest } from '../db/migrate.js'
import { describePlan, importOfficialList } from '../units/import.js'
import { OfficialListError, readOfficialList } from '../units/official-list.js'

export interface UnitsCommandDeps {
  /** Opens the database; the command migrates it first. */
  openDb(): Promise<{ knex: Knex; close(): Promise<void> }>
  stdout?: { write(text: string): unknown }
  stderr?: { write(text: string): unknown }
}

export const unitsUsage = `Usage: motcua units import <file> [--dry-run]

Loads the official list of provinces and communes (danh mục đơn vị hành chính) into the address directory that
address fields offer. The repository ships the list in force from 1 July 2025:
  reference-data/administrative-units/vn-2025-07-01.json   (see reference-data/administrative-units/README.md for its source)

Rows are added or changed by their code (mã đơn vị hành chính); a row the file no longer has is marked retired, never
deleted. Importing the same file again changes nothing.

Options:
  --dry-run    report what would change, change nothing
  -h, --help   show this help`

/** Runs `motcua units …`; returns the exit code (0 done, 2 bad arguments or file, 1 other failure). */
export async function runUnitsCommand(argv: string[], deps: UnitsCommandDeps): Promise<number> {
  const stdout = deps.stdout ?? process.stdout
  const stderr = deps.stderr ?? process.stderr
  let values: { 'dry-run'?: boolean; help?: boolean }
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }))
  } catch (err) {
    stderr.write(`motcua units: ${(err as Error).message}\n\n${unitsUsage}\n`)
    return 2
  }
  if (values.help) {
    stdout.write(unitsUsage + '\n')
    return 0
  }
  const [action, file, ...extra] = positionals
  if (action !== 'import' || !file || extra.length) {
    stderr.write(`motcua units: expected "import <file>"\n\n${unitsUsage}\n`)
    return 2
  }
  let list
  try {
    list = readOfficialList(JSON.parse(readFileSync(file, 'utf8')) as unknown)
  } catch (err) {
    if (err instanceof OfficialListError || err instanceof SyntaxError || isMissingFile(err)) {
      stderr.write(`motcua units: ${file}: ${(err as Error).message}\n`)
      return 2
    }
    throw err
  }
  const dryRun = values['dry-run'] === true
  const db = await deps.openDb()
  try {
    await migrateLatest(db.knex)
    const plan = await importOfficialList(db.knex, list, { dryRun })
    stdout.write((dryRun ? '(dry run) ' : '') + describePlan(plan, dryRun))
    return 0
  } finally {
    await db.close()
  }
}

const isMissingFile = (err: unknown): boolean =>
  err instanceof Error && ['ENOENT', 'EISDIR', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')

// Runs the knex migrations in migrations/ (TypeScript modules, applied in file-name order).
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join } from 'node:path'
import type { Knex } from 'knex'

const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url))

/** The migration files, in the order they apply. */
export function migrationFiles(): Array<{ name: string; path: string }> {
  return readdirSync(migrationsDir)
    .filter((f) => /^\d.*\.ts$/.test(f))
    .sort()
    .map((name) => ({ name, path: join(migrationsDir, name) }))
}

class DirectorySource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return migrationFiles().map((f) => f.name)
  }
  getMigrationName(name: string): string {
    return name
  }
  async getMigration(name: string): Promise<Knex.Migration> {
    return (await import(pathToFileURL(join(migrationsDir, name)).href)) as Knex.Migration
  }
}

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource: new DirectorySource() })) as [number, string[]]
  return applied
}

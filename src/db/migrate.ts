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
    // Compiled (dist/db/migrate.js, scripts/build-server.js): the migration compiled beside it, in dist/migrations/;
    // knex still knows it by its source name.
    const url = import.meta.url.endsWith('.js')
      ? new URL(`../migrations/${name.replace(/\.ts$/, '.js')}`, import.meta.url)
      : pathToFileURL(join(migrationsDir, name))
    return (await import(url.href)) as Knex.Migration
  }
}

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource: new DirectorySource() })) as [number, string[]]
  return applied
}

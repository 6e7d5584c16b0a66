// Readiness: whether the database answers and the workflow engine can take work, each checked on its own.
import type { Database } from '../db/database.js'
import type { Engine } from '../engine/port.js'
import { pingDatabase } from './repository.js'

export type Checks = Record<'database' | 'engine', 'ok' | 'unavailable'>

export async function readiness(db: Database, engine: Pick<Engine, 'ready'>): Promise<Checks> {
  const checks: Checks = { database: 'unavailable', engine: 'unavailable' }
  try {
    await pingDatabase(db.knex)
    checks.database = 'ok'
  } catch {
    checks.database = 'unavailable'
  }
  try {
    checks.engine = (await engine.ready()) ? 'ok' : 'unavailable'
  } catch {
    checks.engine = 'unavailable'
  }
  return checks
}

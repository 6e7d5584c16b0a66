// Readiness: whether the database answers, the workflow engine can take work and the reference procedures a start
// publishes are published, each checked on its own.
import type { Database } from '../db/database.js'
import type { Engine } from '../engine/port.js'
import { pingDatabase } from './repository.js'

export type Checks = Record<'database' | 'engine', 'ok' | 'unavailable'> & { procedures: 'ok' | 'publishing' }

export async function readiness(
  db: Database,
  engine: Pick<Engine, 'ready'>,
  proceduresPublished: () => boolean,
): Promise<Checks> {
  const checks: Checks = {
    database: 'unavailable',
    engine: 'unavailable',
    procedures: proceduresPublished() ? 'ok' : 'publishing',
  }
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

// Hands the runtime to the routes: decorates the instance with the configuration, database, engine and the services
// built once.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { CatalogueService } from '../catalogue/service.js'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import type { Engine } from '../engine/port.js'
import type { DossierServices, Runtime } from '../runtime.js'
import type { SupervisionService } from '../supervision/service.js'
import type { CalendarService } from '../calendar/service.js'
import type { AdminService } from '../admin/service.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    db: Database
    engine: Engine
    /** The dossier service, queries, portal, attachments and payments. */
    dossiers: DossierServices
    catalogue: CatalogueService
    supervision: SupervisionService
    calendar: CalendarService
    admin: AdminService
    /** False while the reference procedures of a start are being published (readiness). */
    proceduresPublished: () => boolean
  }
}

export default fp(
  async function runtimePlugin(app: FastifyInstance, { config, runtime }: { config: Config; runtime: Runtime }) {
    app.decorate('config', config)
    app.decorate('db', runtime.db)
    app.decorate('engine', runtime.engine)
    app.decorate('dossiers', runtime.dossiers)
    app.decorate('catalogue', runtime.catalogue)
    app.decorate('supervision', runtime.supervision)
    app.decorate('calendar', runtime.calendar)
    app.decorate('admin', runtime.admin)
    app.decorate('proceduresPublished', runtime.proceduresPublished)
  },
  { name: 'motcua-runtime' },
)

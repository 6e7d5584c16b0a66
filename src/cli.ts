// The motcua command line: `motcua start`, `motcua migrate`, `motcua deadline`, `motcua units`, `motcua admin`,
// `motcua help`.
import { ConfigError, loadConfig } from './config.js'
import { DataDirLockedError } from './db/lock.js'
import { openDatabase } from './db/database.js'
import { migrateLatest } from './db/migrate.js'
import { PortInUseError, ensurePortFree, portInUse } from './cli/port.js'

const usage = `motcua — Hệ thống một cửa điện tử / electronic one-stop system

Usage: motcua <command> [options]

Commands:
  start       start the server (embedded PostgreSQL and engine unless DATABASE_URL / ZEEBE_REST_ADDRESS are set)
  migrate     apply pending database migrations and exit
  deadline    compute an appointment date: motcua deadline --accepted <ISO time> --duration 5WD
  units       load the official list of provinces and communes: motcua units import <file> [--dry-run]
  admin       create an administrator: motcua admin create --username <name> --full-name <name> (--unit <id> | --province-code <NN> --province-name <name>)
  help        show this help

Configuration comes from the environment; see README.md.`

type Command = (argv: string[]) => Promise<number>

const commands: Record<string, Command> = {
  async start() {
    const { startServer } = await import('./server.js')
    const config = loadConfig()
    await ensurePortFree(config.host, config.port)
    const server = await startServer(config).catch((err: unknown) => {
      throw portInUse(err, config.host, config.port) ?? err
    })
    const log = server.app.log
    const engineKind = server.engine.kind === 'zeebe' ? `Zeebe at ${config.zeebeRestAddress}` : 'embedded engine'
    const dbKind = server.db.embedded ? `embedded PGlite in ${config.dataDir}/pg` : 'PostgreSQL server'
    log.info(`motcua is listening on ${server.url} (${dbKind}, ${engineKind}); API documentation at ${server.url}/docs`)
    if (server.demoCredentials.length) {
      const lines = server.demoCredentials.map((c) => `  ${c.kind.padEnd(14)} ${c.username.padEnd(12)} ${c.password}`)
      process.stdout.write(
        `\nTài khoản demo / demo accounts (also in ${config.dataDir}/demo-credentials.json):\n${lines.join('\n')}\n\n`,
      )
    }
    process.stdout.write(`motcua: ${server.url}  (docs: ${server.url}/docs)\n`)
    await new Promise<void>((resolve) => {
      let signals = 0
      const onSignal = (signal: NodeJS.Signals): void => {
        if (++signals > 1) process.exit(130) // a second Ctrl-C does not wait for the drain
        log.info({ signal }, 'shutting down: draining requests and jobs')
        server.stop().then(resolve, (err) => {
          log.error({ err }, 'shutdown failed')
          resolve()
        })
      }
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
    })
    return 0
  },

  async migrate() {
    const config = loadConfig()
    const db = await openDatabase(config, { fromTemplate: false })
    try {
      const applied = await migrateLatest(db.knex)
      process.stdout.write(
        applied.length
          ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}\n`
          : 'Database is up to date.\n',
      )
      return 0
    } finally {
      await db.close()
    }
  },

  async deadline(argv) {
    const { runDeadlineCommand } = await import('./cli/deadline.js')
    const config = loadConfig()
    return runDeadlineCommand(argv, { openDb: () => openDatabase(config) })
  },

  async units(argv) {
    const { runUnitsCommand } = await import('./cli/units.js')
    const config = loadConfig()
    return runUnitsCommand(argv, { openDb: () => openDatabase(config) })
  },

  async admin(argv) {
    const { runAdminCommand } = await import('./cli/admin.js')
    const config = loadConfig()
    return runAdminCommand(argv, { openDb: () => openDatabase(config) })
  },

  async help() {
    process.stdout.write(usage + '\n')
    return 0
  },
}

export async function main(argv: string[]): Promise<number> {
  const [name = 'help', ...rest] = argv
  const command = commands[name === '--help' || name === '-h' ? 'help' : name]
  if (!command) {
    process.stderr.write(`motcua: unknown command "${name}"\n\n${usage}\n`)
    return 2
  }
  try {
    return await command(rest)
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof PortInUseError) {
      process.stderr.write(`motcua: ${err.message}\n`)
      return 1
    }
    throw err
  }
}

// The transaction runner every dossier command shares: a locked dossier, the change with its timeline and audit event
// in one transaction, engine calls recorded with it and handed to the relay after commit; and the status machine's
// refusal in the catalogue's terms.
import type { Knex } from 'knex'
import { IllegalTransition, nextStatus, type DossierCommand, type DossierStatus } from '../../domain/dossier/status.js'
import type { Engine } from '../../engine/port.js'
import { AppError } from '../../errors.js'
import { EngineCommandRelay } from '../relay.js'
import { dossierRepository, type DossierRow, type EngineCommand } from '../repository.js'
import type { CommandResult, DossierServiceDeps } from './types.js'

export type Trx = Knex.Transaction

/** What a command's change gets inside its transaction. */
export interface TxContext {
  trx: Trx
  /** The dossier, locked for the rest of the transaction. */
  dossier: DossierRow
  repo: ReturnType<typeof dossierRepository> & { db: Trx }
  now: Date
  /** Records an engine call, made through the relay once the transaction has committed. */
  engineCommand(command: EngineCommand): Promise<void>
}

/** How long a buffered supplement or payment message waits for the process to reach its catch. */
export const MESSAGE_TTL_MS = 24 * 3600_000

/** What every command handler runs with: the database, the engine's relay, the clock and the portal's address. */
export class CommandRuntime {
  readonly knex: Knex
  readonly engine: Engine
  readonly relay: EngineCommandRelay
  readonly portalUrl: string | undefined
  private readonly clock: () => Date

  constructor(private readonly deps: DossierServiceDeps) {
    this.knex = deps.knex
    this.engine = deps.engine
    this.relay = deps.relay ?? new EngineCommandRelay(deps.knex, deps.engine)
    this.clock = deps.clock ?? (() => new Date())
    this.portalUrl = deps.portalUrl
  }

  now(): Date {
    return this.clock()
  }

  /** One transaction around a command on a locked dossier; its engine calls run after commit. */
  async onDossier(
    command: string,
    dossierId: string,
    change: (ctx: TxContext) => Promise<void>,
  ): Promise<CommandResult> {
    const commandIds: string[] = []
    const dossier = await this.knex.transaction(async (trx) => {
      const repo = Object.assign(dossierRepository(trx), { db: trx })
      const dossier = await repo.lock(dossierId)
      const now = this.clock()
      await change({
        trx,
        dossier,
        repo,
        now,
        engineCommand: async (c) => void commandIds.push(await repo.engineCommand(dossier.id, c)),
      })
      return (await repo.byId(dossier.id))!
    })
    await this.afterCommit(command, dossier.id, commandIds)
    return result(dossier)
  }

  /** After commit: the test hook, then the engine calls recorded by the command. */
  async afterCommit(command: string, dossierId: string, commandIds: string[]): Promise<void> {
    await this.deps.afterCommit?.(command, dossierId)
    // Failures stay pending for the periodic relay; the command itself has happened.
    if (commandIds.length > 0) await this.relay.runPending(commandIds).catch(() => undefined)
  }
}

/**
 * The status `command` leaves `dossier` in (the status machine decides); a command its status does not allow is
 * refused with 409 MC_ERR_DOSSIER_STATE. `as`: the command's name in the refusal, when the rule has another.
 */
export function advance(
  command: DossierCommand,
  dossier: Pick<DossierRow, 'status'>,
  opts: { accepted?: boolean; as?: string } = {},
): DossierStatus {
  try {
    return nextStatus(command, dossier.status, opts)
  } catch (err) {
    if (err instanceof IllegalTransition)
      throw new AppError('MC_ERR_DOSSIER_STATE', `${opts.as ?? command} is not allowed in status ${dossier.status}`)
    throw err
  }
}

export function result(d: DossierRow): CommandResult {
  return { dossierId: d.id, status: d.status, code: d.code }
}

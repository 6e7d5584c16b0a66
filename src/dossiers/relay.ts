// Executes the engine calls recorded by dossier commands: right after commit, at start-up and periodically, each
// idempotently.
import { isFinal } from '../domain/dossier/status.js'
import type { Knex } from 'knex'
import { EngineError, type Engine } from '../engine/port.js'
import { Poller } from '../lib/poller.js'
import { engineCommandRepository, type CommandRow, type EngineCommandRepository } from './engine-command-repository.js'
import { dossierJobRepository } from './job-repository.js'
import type { EngineCommand } from './repository.js'

export interface RelayOptions {
  /** How long a runner holds a claimed command before another may retry it. */
  leaseMs?: number
  /** After this many attempts a command is marked failed (and logged) instead of retried. */
  maxAttempts?: number
  /** Wait between periodic runs (default 5 s; doubling after failed runs). */
  intervalMs?: number
  log?: (message: string, err?: unknown) => void
}

/** An engine refusal that means "already done": the task is completed, the instance gone. */
function alreadyDone(err: unknown): boolean {
  return err instanceof EngineError && (err.code === 'NOT_FOUND' || err.code === 'INVALID_STATE')
}

/** Commands claimed at once; a periodic run that claimed this many goes again at once. */
const batchSize = 50

export class EngineCommandRelay {
  private readonly leaseMs: number
  private readonly maxAttempts: number
  private readonly poller: Poller
  private readonly commands: EngineCommandRepository
  private readonly dossierJobs: ReturnType<typeof dossierJobRepository>

  constructor(
    knex: Knex,
    private readonly engine: Engine,
    private readonly opts: RelayOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000
    this.maxAttempts = opts.maxAttempts ?? 20
    this.commands = engineCommandRepository(knex)
    this.dossierJobs = dossierJobRepository(knex)
    this.poller = new Poller({
      round: async () => (await this.runBatch()).claimed,
      intervalMs: opts.intervalMs ?? 5000,
      batchSize,
      onError: (err) => this.opts.log?.('engine command relay failed', err),
    })
  }

  /** Runs pending commands now and then every intervalMs (default 5 s), one run at a time. */
  start(): void {
    this.poller.start()
  }

  /** Stops the periodic runs; resolves when the one in flight has ended. */
  async stop(): Promise<void> {
    await this.poller.stop()
  }

  /** Executes the given commands (or every pending one); returns how many were done. */
  async runPending(ids?: string[]): Promise<number> {
    let done = 0
    for (;;) {
      const batch = await this.runBatch(ids)
      done += batch.done
      if (batch.claimed === 0 || ids) return done
    }
  }

  /** Claims one batch of pending commands (of the given ones, if any) and executes it. */
  private async runBatch(ids?: string[]): Promise<{ claimed: number; done: number }> {
    const claimed = await this.claim(ids)
    let done = 0
    for (const row of claimed) if (await this.execute(row)) done++
    return { claimed: claimed.length, done }
  }

  /** Claims by lease in one committed statement: no transaction stays open while the engine is called. */
  // Commands of one dossier run in the order they were decided: the claim returns them by id.
  private async claim(ids?: string[]): Promise<CommandRow[]> {
    return this.commands.claim({
      leaseMs: this.leaseMs,
      limit: batchSize,
      ...(ids ? { ids } : {}),
    })
  }

  private async execute(row: CommandRow): Promise<boolean> {
    try {
      await this.call(row)
      await this.commands.markDone(row.id)
      return true
    } catch (err) {
      const failed = row.attempts >= this.maxAttempts
      // Back off: the lease doubles as the earliest next attempt.
      await this.commands.markAttemptFailed(row.id, {
        failed,
        error: String((err as Error)?.message ?? err),
        retryInSeconds: Math.min(300, 2 ** row.attempts),
      })
      this.opts.log?.(`engine command ${row.id} (${row.kind}) failed`, err)
      return false
    }
  }

  private async call(row: CommandRow): Promise<void> {
    const cmd = { kind: row.kind, payload: row.payload } as EngineCommand
    switch (cmd.kind) {
      case 'createInstance': {
        // Guarded by the dossier's process_instance_key: an instance is created at most once per dossier.
        // (Should the process die between creating and storing the key, the first job of the new instance
        // adopts it; see workers/completeness-check.ts.)
        const dossier = (await this.commands.instanceOf(row.dossier_id))!
        if (dossier.process_instance_key || isFinal(dossier.status)) return
        const ref = await this.engine.createProcessInstance({
          bpmnProcessId: cmd.payload.bpmnProcessId,
          ...(cmd.payload.version !== undefined ? { version: cmd.payload.version } : {}),
          variables: cmd.payload.variables,
        })
        // Another run stored an instance first: this one is surplus.
        const kept = await this.dossierJobs.adoptInstance(row.dossier_id, ref.processInstanceKey)
        if (kept !== ref.processInstanceKey)
          await this.engine.cancelProcessInstance(ref.processInstanceKey).catch(() => undefined)
        return
      }
      case 'completeTask':
        try {
          await this.engine.completeUserTask(cmd.payload.userTaskKey, cmd.payload.variables)
        } catch (err) {
          if (!alreadyDone(err)) throw err
        }
        return
      case 'publishMessage':
        await this.engine.publishMessage(cmd.payload)
        return
      case 'cancelInstance': {
        const key =
          cmd.payload.processInstanceKey ?? (await this.commands.instanceOf(row.dossier_id))!.process_instance_key
        if (!key) return
        try {
          await this.engine.cancelProcessInstance(key)
        } catch (err) {
          if (!alreadyDone(err)) throw err
        }
        return
      }
      case 'assignTask':
        try {
          await this.engine.assignUserTask(cmd.payload.userTaskKey, cmd.payload.assignee ?? undefined, {
            allowOverride: true,
          })
        } catch (err) {
          if (!alreadyDone(err)) throw err
        }
        return
    }
  }
}

// Executes the engine calls recorded by dossier commands: right after commit, at start-up and periodically, each idempotently.
import { isFinal, type DossierStatus } from '../domain/dossier/status.js'
import type { Knex } from 'knex'
import { EngineError, type Engine } from '../engine/port.js'
import { Poller } from '../lib/poller.js'
import type { EngineCommand } from './repository.js'

interface CommandRow {
  id: string | number
  dossier_id: string
  kind: EngineCommand['kind']
  payload: Record<string, unknown>
  attempts: number
}

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

  constructor(
    private readonly knex: Knex,
    private readonly engine: Engine,
    private readonly opts: RelayOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000
    this.maxAttempts = opts.maxAttempts ?? 20
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
  private async claim(ids?: string[]): Promise<CommandRow[]> {
    const { rows } = (await this.knex.raw(
      `UPDATE engine_commands SET locked_until = now() + (? || ' milliseconds')::interval, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM engine_commands
         WHERE status = 'pending' AND (locked_until IS NULL OR locked_until < now()) ${ids ? 'AND id = ANY(?::bigint[])' : ''}
         ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)
       RETURNING id, dossier_id, kind, payload, attempts`,
      ids ? [String(this.leaseMs), ids] : [String(this.leaseMs)],
    )) as { rows: CommandRow[] }
    // Commands of one dossier run in the order they were decided.
    return rows.sort((a, b) => Number(a.id) - Number(b.id))
  }

  private async execute(row: CommandRow): Promise<boolean> {
    try {
      await this.call(row)
      await this.knex('engine_commands')
        .where({ id: row.id })
        .update({ status: 'done', done_at: this.knex.fn.now(), last_error: null })
      return true
    } catch (err) {
      const failed = row.attempts >= this.maxAttempts
      await this.knex('engine_commands')
        .where({ id: row.id })
        // Back off: the lease doubles as the earliest next attempt.
        .update({
          status: failed ? 'failed' : 'pending',
          last_error: String((err as Error)?.message ?? err).slice(0, 2000),
          locked_until: this.knex.raw(`now() + interval '1 second' * ?`, [Math.min(300, 2 ** row.attempts)]),
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
        const dossier = (await this.knex('dossiers')
          .where({ id: row.dossier_id })
          .first('process_instance_key', 'status')) as { process_instance_key: string | null; status: DossierStatus }
        if (dossier.process_instance_key || isFinal(dossier.status)) return
        const ref = await this.engine.createProcessInstance({
          bpmnProcessId: cmd.payload.bpmnProcessId,
          ...(cmd.payload.version !== undefined ? { version: cmd.payload.version } : {}),
          variables: cmd.payload.variables,
        })
        const stored = await this.knex('dossiers')
          .where({ id: row.dossier_id })
          .whereNull('process_instance_key')
          .update({ process_instance_key: ref.processInstanceKey })
        if (stored === 0) {
          const now = (await this.knex('dossiers').where({ id: row.dossier_id }).first('process_instance_key')) as {
            process_instance_key: string | null
          }
          if (now.process_instance_key !== ref.processInstanceKey)
            await this.engine.cancelProcessInstance(ref.processInstanceKey).catch(() => undefined)
        }
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
          cmd.payload.processInstanceKey ??
          (
            (await this.knex('dossiers').where({ id: row.dossier_id }).first('process_instance_key')) as {
              process_instance_key: string | null
            }
          ).process_instance_key
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

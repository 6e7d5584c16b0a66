// Dossier commands: every change to a dossier is a named command (dossier.submit, dossier.receive, task.claim …) with
// one handler file, registered here by name; DossierService is the facade routes and the runtime call.
import type { Knex } from 'knex'
import type { Principal } from '../../auth/principal.js'
import type { Engine } from '../../engine/port.js'
import type { EngineCommandRelay } from '../relay.js'
import { assign } from './assign.js'
import { claim } from './claim.js'
import { extend } from './extend.js'
import { handOff } from './hand-off.js'
import { intake } from './intake.js'
import { receive } from './receive.js'
import { refuse } from './refuse.js'
import { CommandRegistry } from './registry.js'
import { requestSupplement } from './request-supplement.js'
import { resume } from './resume.js'
import { returnResult } from './return-result.js'
import { returnToPreviousStep } from './return-to-previous-step.js'
import { CommandRuntime } from './runner.js'
import { stop } from './stop.js'
import { submit } from './submit.js'
import { submitSupplement } from './submit-supplement.js'
import { suspendForPayment } from './suspend-for-payment.js'
import { unclaim } from './unclaim.js'
import { withdraw } from './withdraw.js'
import type {
  CommandResult,
  CounterIntakeInput,
  DecisionInput,
  DossierServiceDeps,
  SubmitInput,
  SupplementInput,
  SupplementResult,
} from './types.js'

export type * from './types.js'
export { CommandRegistry, type CommandHandler } from './registry.js'
export { CommandRuntime, advance, type TxContext } from './runner.js'
export { resumeDossier } from './resume.js'

/** A registry holding every dossier command's handler. */
export function dossierCommands(runtime: CommandRuntime): CommandRegistry {
  return new CommandRegistry(runtime)
    .register('dossier.submit', submit)
    .register('dossier.intake', intake)
    .register('dossier.receive', receive)
    .register('dossier.requestSupplement', requestSupplement)
    .register('dossier.refuse', refuse)
    .register('dossier.handOff', handOff)
    .register('dossier.returnToPreviousStep', returnToPreviousStep)
    .register('dossier.returnResult', returnResult)
    .register('task.claim', claim)
    .register('task.unclaim', unclaim)
    .register('task.assign', assign)
    .register('dossier.submitSupplement', submitSupplement)
    .register('dossier.withdraw', withdraw)
    .register('dossier.stop', stop)
    .register('dossier.suspendForPayment', suspendForPayment)
    .register('dossier.resume', resume)
    .register('dossier.extend', extend)
}

/** The dossier commands as methods: each one runs its named command through the registry. */
export class DossierService {
  readonly knex: Knex
  readonly engine: Engine
  readonly relay: EngineCommandRelay
  readonly commands: CommandRegistry

  constructor(deps: DossierServiceDeps) {
    const runtime = new CommandRuntime(deps)
    this.knex = runtime.knex
    this.engine = runtime.engine
    this.relay = runtime.relay
    this.commands = dossierCommands(runtime)
  }

  // ------------------------------------------------------------------ submission

  /** dossier.submit: a citizen or business submits online; the process starts after commit. */
  submit(principal: Principal | undefined, input: SubmitInput): Promise<CommandResult> {
    return this.commands.execute('dossier.submit', { principal, input })
  }

  /** dossier.intake: an officer enters a dossier handed in at the counter of their agency. */
  intakeAtCounter(principal: Principal | undefined, input: CounterIntakeInput): Promise<CommandResult> {
    return this.commands.execute('dossier.intake', { principal, input })
  }

  // ------------------------------------------------------------------ officers' decisions on user tasks

  receive(principal: Principal | undefined, dossierId: string, input: DecisionInput = {}): Promise<CommandResult> {
    return this.commands.execute('dossier.receive', { principal, dossierId, input })
  }

  requestSupplement(
    principal: Principal | undefined,
    dossierId: string,
    input: DecisionInput & { missing: string[] },
  ): Promise<CommandResult> {
    return this.commands.execute('dossier.requestSupplement', { principal, dossierId, input })
  }

  refuse(
    principal: Principal | undefined,
    dossierId: string,
    input: DecisionInput & { reason: string },
  ): Promise<CommandResult> {
    return this.commands.execute('dossier.refuse', { principal, dossierId, input })
  }

  handOff(
    principal: Principal | undefined,
    dossierId: string,
    input: DecisionInput & { verificationNeeded?: boolean; consultationNeeded?: boolean; nextUnit?: string } = {},
  ): Promise<CommandResult> {
    return this.commands.execute('dossier.handOff', { principal, dossierId, input })
  }

  returnToPreviousStep(
    principal: Principal | undefined,
    dossierId: string,
    input: DecisionInput & { reason: string },
  ): Promise<CommandResult> {
    return this.commands.execute('dossier.returnToPreviousStep', { principal, dossierId, input })
  }

  returnResult(principal: Principal | undefined, dossierId: string, input: DecisionInput = {}): Promise<CommandResult> {
    return this.commands.execute('dossier.returnResult', { principal, dossierId, input })
  }

  // ------------------------------------------------------------------ claiming tasks

  claim(principal: Principal | undefined, taskKey: string): Promise<void> {
    return this.commands.execute('task.claim', { principal, taskKey })
  }

  unclaim(principal: Principal | undefined, taskKey: string): Promise<void> {
    return this.commands.execute('task.unclaim', { principal, taskKey })
  }

  assign(principal: Principal | undefined, taskKey: string, assigneeId: string): Promise<void> {
    return this.commands.execute('task.assign', { principal, taskKey, assigneeId })
  }

  // ------------------------------------------------------------------ the applicant

  submitSupplement(
    principal: Principal | undefined,
    dossierId: string,
    input: SupplementInput = {},
  ): Promise<SupplementResult> {
    return this.commands.execute('dossier.submitSupplement', { principal, dossierId, input })
  }

  withdraw(
    principal: Principal | undefined,
    dossierId: string,
    input: { reason?: string } = {},
  ): Promise<CommandResult> {
    return this.commands.execute('dossier.withdraw', { principal, dossierId, input })
  }

  stop(principal: Principal | undefined, dossierId: string, input: { reason: string }): Promise<CommandResult> {
    return this.commands.execute('dossier.stop', { principal, dossierId, input })
  }

  // ------------------------------------------------------------------ the clock: suspension, payment, extension

  suspendForPayment(
    principal: Principal | undefined,
    dossierId: string,
    input: { amountVnd?: number; reason: string },
  ): Promise<CommandResult> {
    return this.commands.execute('dossier.suspendForPayment', { principal, dossierId, input })
  }

  resume(principal: Principal | undefined, dossierId: string, input: { note?: string } = {}): Promise<CommandResult> {
    return this.commands.execute('dossier.resume', { principal, dossierId, input })
  }

  extend(
    principal: Principal | undefined,
    dossierId: string,
    input: { newDueDate: string; reason: string },
  ): Promise<CommandResult> {
    return this.commands.execute('dossier.extend', { principal, dossierId, input })
  }
}

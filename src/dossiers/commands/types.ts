// What dossier commands take and give: their inputs, their result, and the name → input/result map the registry checks.
import type { Knex } from 'knex'
import type { Principal } from '../../auth/principal.js'
import type { DeliveryAddressInput } from '../../delivery/address.js'
import type { DossierStatus } from '../../domain/dossier/status.js'
import type { Engine } from '../../engine/port.js'
import type { EngineCommandRelay } from '../relay.js'
import type { StoreKind } from '../store-repository.js'

export interface AttachmentInput {
  componentId: string
  /** A file accepted by AttachmentService.acceptUpload (uploaded by the caller). */
  fileId?: string
  /** Reuse the file of this component from one of the applicant's earlier dossiers. */
  reuseFromDossierCode?: string
  /** Reuse a document of the applicant's store ("kho dữ liệu"): a signed result or an accepted component. */
  reuseFromStore?: { kind: StoreKind; id: string }
}

export interface ApplicantInput {
  name: string
  idNumber?: string
  /** A foreigner's passport number; the old 9-digit CMND: the public lookup finds the dossier by either too. */
  passportNumber?: string
  oldIdNumber?: string
  email?: string
  phone?: string
}

export interface SubmitInput {
  /** Procedure slug; the published version is used and kept for the dossier's life. */
  procedure: string
  /** The receiving agency (a unit whose level fits the procedure's agency level). */
  agencyUnitId: string
  formData: Record<string, unknown>
  deliveryMethod: 'online' | 'counter' | 'post'
  /** Where the result is posted: required with delivery by post, ignored otherwise. */
  deliveryAddress?: DeliveryAddressInput | null
  attachments?: AttachmentInput[]
  /** A retried submission with the same key returns the first dossier. */
  idempotencyKey: string
}

export interface CounterIntakeInput extends SubmitInput {
  applicant: ApplicantInput
  /**
   * Reception regardless of place: the unit competent for the dossier when the receiving unit (agencyUnitId) is not;
   * omitted for a commune procedure, the commune of the applicant's address.
   */
  competentUnitId?: string
}

export interface DecisionInput {
  /** The user task to complete; by default the dossier's open task the caller may work on. */
  taskKey?: string
  note?: string
}

export interface DossierServiceDeps {
  knex: Knex
  engine: Engine
  relay?: EngineCommandRelay
  clock?: () => Date
  /** The portal's address (`http://host:port`), for links in mails. */
  portalUrl?: string
  /** Runs after a command commits, before its engine calls; a test throws here to simulate a crash. */
  afterCommit?: (command: string, dossierId: string) => void | Promise<void>
}

/** What a command returns: the dossier id and its state right after the command. */
export interface CommandResult {
  dossierId: string
  status: DossierStatus
  code: string | null
}

/** What an applicant hands in for a supplement request; `note` says why something asked is not there. */
export interface SupplementInput {
  formData?: Record<string, unknown>
  attachments?: AttachmentInput[]
  note?: string
}

export interface MissingComponent {
  componentId: string
  name: string
}

/** A supplement taken: what was asked and not brought (each explained by the note) is named. */
export interface SupplementResult extends CommandResult {
  stillMissing: MissingComponent[]
}

export type { TaskRow } from '../task-repository.js'

type Caller = Principal | undefined
/** A command on one dossier: who asks, which dossier, what with. */
type OnDossier<I> = { principal: Caller; dossierId: string; input: I }

/** Every dossier command by name: what it takes and what it gives. */
export interface DossierCommands {
  'dossier.submit': { input: { principal: Caller; input: SubmitInput }; result: CommandResult }
  'dossier.intake': { input: { principal: Caller; input: CounterIntakeInput }; result: CommandResult }
  'dossier.receive': { input: OnDossier<DecisionInput>; result: CommandResult }
  'dossier.requestSupplement': { input: OnDossier<DecisionInput & { missing: string[] }>; result: CommandResult }
  'dossier.refuse': { input: OnDossier<DecisionInput & { reason: string }>; result: CommandResult }
  'dossier.handOff': {
    input: OnDossier<DecisionInput & { verificationNeeded?: boolean; consultationNeeded?: boolean; nextUnit?: string }>
    result: CommandResult
  }
  'dossier.returnToPreviousStep': { input: OnDossier<DecisionInput & { reason: string }>; result: CommandResult }
  'dossier.returnResult': { input: OnDossier<DecisionInput>; result: CommandResult }
  'task.claim': { input: { principal: Caller; taskKey: string }; result: void }
  'task.unclaim': { input: { principal: Caller; taskKey: string }; result: void }
  'task.assign': { input: { principal: Caller; taskKey: string; assigneeId: string }; result: void }
  'dossier.submitSupplement': { input: OnDossier<SupplementInput>; result: SupplementResult }
  'dossier.withdraw': { input: OnDossier<{ reason?: string }>; result: CommandResult }
  'dossier.stop': { input: OnDossier<{ reason: string }>; result: CommandResult }
  'dossier.suspendForPayment': { input: OnDossier<{ amountVnd?: number; reason: string }>; result: CommandResult }
  'dossier.resume': { input: OnDossier<{ note?: string }>; result: CommandResult }
  'dossier.extend': { input: OnDossier<{ newDueDate: string; reason: string }>; result: CommandResult }
}

export type DossierCommandName = keyof DossierCommands

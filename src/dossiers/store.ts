// The applicant's document store ("kho dữ liệu"): their signed results and the components of their accepted dossiers,
// listed for them (or for the counter officer who holds their card) and picked into a new dossier without uploading
// again. Who may see and take a document is the right the system established (reuseRightOf), never a typed number.
import type { Knex } from 'knex'
import { requireAccess } from '../auth/access.js'
import type { Principal } from '../auth/principal.js'
import { accountRepository } from '../auth/repository.js'
import { auditRepository } from '../db/audit-repository.js'
import { AppError } from '../errors.js'
import type { ReuseRight } from './attachment-repository.js'
import type { DossierPortal, DraftView } from './portal.js'
import { dossierRepository } from './repository.js'
import { fitsComponent, storeRepository, type StoreDocument, type StoreKind } from './store-repository.js'

/** What a store lists: the most recent documents first. An applicant's store is small; this bounds a page. */
const STORE_LIMIT = 200

export type StoreItem = Omit<StoreDocument, 'fileId'>

const item = ({ fileId: _file, ...rest }: StoreDocument): StoreItem => rest

export class DocumentStore {
  constructor(
    private readonly knex: Knex,
    private readonly portal: DossierPortal,
  ) {}

  /** The caller's own store: by account, and by their CCCD once the system verified it. */
  async mine(principal: Principal | undefined): Promise<StoreItem[]> {
    const caller = await requireAccess(this.knex, { principal, permission: 'dossier.submit' })
    return (await storeRepository(this.knex).list(await this.ownerRight(caller.userId), STORE_LIMIT)).map(item)
  }

  /**
   * The store of the applicant whose card the counter officer checked: their dossiers in the officer's unit subtree
   * under that ID number (what the officer may read anyway). Each look-up is audited.
   */
  async atCounter(principal: Principal | undefined, idNumber: string): Promise<StoreItem[]> {
    const officer = await requireAccess(this.knex, { principal, permission: 'task.work' })
    const right: ReuseRight = { kind: 'counter', unitPath: officer.unitPath, idNumber }
    const items = (await storeRepository(this.knex).list(right, STORE_LIMIT)).map(item)
    await auditRepository(this.knex).record({
      actorId: officer.userId,
      action: 'store.counter_lookup',
      subjectType: 'applicant',
      subjectId: idNumber,
      data: { documents: items.length },
    })
    return items
  }

  /**
   * Puts a document of the draft owner's store into a component of the draft (replacing what was there). Someone
   * else's document answers exactly like one that does not exist, and the attempt is audited; submission checks the
   * right again (attach.ts).
   */
  async putInDraft(
    principal: Principal | undefined,
    draftId: string,
    componentId: string,
    pick: { kind: StoreKind; id: string },
  ): Promise<DraftView> {
    const { draft, component } = await this.portal.draftComponent(principal, draftId, componentId)
    if (!component.reusable) throw new AppError('MC_ERR_ATTACHMENT_INVALID', `${componentId} cannot be reused`)
    const store = storeRepository(this.knex)
    const doc = await store.find(await this.ownerRight(draft.owner_id), pick.kind, pick.id)
    if (!doc) {
      const dossierId = await store.ownerDossier(pick.kind, pick.id)
      if (dossierId)
        await dossierRepository(this.knex).audit(draft.owner_id, 'access.denied', dossierId, {
          reuse: componentId,
          store: pick,
        })
      throw new AppError('MC_ERR_ATTACHMENT_INVALID', `No ${pick.kind} ${pick.id} in your document store`)
    }
    fitsComponent(doc, component)
    return this.portal.setDraftAttachment(draft, { componentId, reuseFromStore: { kind: pick.kind, id: pick.id } })
  }

  private async ownerRight(userId: string): Promise<ReuseRight> {
    return {
      kind: 'applicant',
      userId,
      verifiedIdNumber: await accountRepository(this.knex).verifiedIdNumber(userId),
    }
  }
}

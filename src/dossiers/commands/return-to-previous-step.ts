// dossier.returnToPreviousStep: the officer of a later step (the leader who must sign, the inspector, the consulted
// agency) sends the dossier back to the step before it, with a reason. The hand-off back — giver, receiver (who handled
// the previous step, and its group), time, step result "returned" and the reason — goes into the timeline and the
// step's control-sheet row; the receiver is told by mail. The workflow routes the decision back through the previous
// step's hand-off, whose step deadline restarts; the dossier's due stays.
import { accountRepository } from '../../auth/repository.js'
import { AppError } from '../../errors.js'
import { enqueueEmail } from '../../notifications/email.js'
import { dossierTaskRepository } from '../task-repository.js'
import { decide } from './decide.js'
import type { CommandHandler } from './registry.js'

export const returnToPreviousStep: CommandHandler<'dossier.returnToPreviousStep'> = {
  async execute({ principal, dossierId, input }, rt) {
    const reason = input.reason?.trim()
    if (!reason) throw new AppError('MC_ERR_VALIDATION', 'A reason is required')
    return decide(
      rt,
      principal,
      dossierId,
      'returnToPreviousStep',
      'returnToPrevious',
      input,
      { returnReason: reason },
      async ({ trx, dossier, repo, caller, task }) => {
        // The previous step is the one handled last before this one: the workflow routes back along the way it came.
        const previous = await dossierTaskRepository(trx).previousStep(dossier.id, task.element_id)
        if (!previous)
          throw new AppError('MC_ERR_DECISION_INVALID', `${task.element_id} has no previous step to return to`)
        const receiverUser = previous.outcome?.by ?? previous.assignee
        const receiverRole = previous.candidate_groups[0] ?? null
        await repo.mergeIntoStepEntry(task.user_task_key, { outcome: 'returned', reason, toStep: previous.element_id })
        const receiver = receiverUser ? await accountRepository(trx).contactOf(receiverUser) : undefined
        if (receiver?.email) {
          await enqueueEmail(trx, {
            eventId: `dossier:${dossier.id}:returned:${task.user_task_key}`,
            to: receiver.email,
            template: {
              name: 'step-returned',
              data: {
                recipientName: receiver.full_name,
                dossierCode: dossier.code,
                procedureName: dossier.procedure_name,
                fromStep: task.name,
                toStep: previous.name,
                reason,
                dueDate: dossier.due_date,
              },
            },
          })
        }
        return {
          kind: 'step_returned',
          columns: {
            giver: caller.userId,
            receiver_role: receiverRole,
            receiver_user: receiverUser,
            receiver_unit_path: dossier.unit_path,
          },
          data: {
            result: 'returned',
            reason,
            toStep: previous.element_id,
            toStepName: previous.name,
            receiverRole,
            receiverUser,
          },
        }
      },
    )
  },
}

// Messages: publishing in two crash-safe phases (buffer and record who is owed it, then correlate each
// waiting instance in its own step), message start events, and the recovery sweep for phase two.
import type { PublishMessageRequest, Variables } from '../port.js'
import type { EngineCore } from './core.js'
import type { SubRow } from './rows.js'
import { inline, oneMessage } from './sql.js'

export class Messages {
  constructor(private readonly core: EngineCore) {}

  async publishMessage(req: PublishMessageRequest): Promise<{ messageKey: string }> {
    const ttl = Math.max(0, req.timeToLiveMs ?? 0)
    const variables = req.variables ?? {}
    const correlationKey = req.correlationKey ?? ''
    const now = this.core.clock()
    // Phase 1, one message: under the lock that subscription openers take too, buffer the message
    // (unless a buffered one has its id) and read who waits for it.
    const newKey = await this.core.nextKey(this.core.knex)
    const statements = [
      inline('SELECT pg_advisory_xact_lock(hashtext(?))', [`${req.name}\u001f${correlationKey}`], true),
    ]
    if (ttl > 0 && req.messageId)
      statements.push(
        inline(
          'DELETE FROM engine_messages WHERE name = ? AND message_id = ? AND expires_at <= ?',
          [req.name, req.messageId, now],
          true,
        ),
      )
    const insert =
      ttl > 0
        ? inline(
            `INSERT INTO engine_messages (key, name, correlation_key, message_id, variables, expires_at) VALUES (?, ?, ?, ?, ?::jsonb, ?)
             ON CONFLICT (name, message_id) WHERE message_id IS NOT NULL DO NOTHING RETURNING key`,
            [
              newKey,
              req.name,
              correlationKey,
              req.messageId ?? null,
              JSON.stringify(variables),
              new Date(now.getTime() + ttl),
            ],
            true,
          )
        : 'SELECT NULL::bigint AS key WHERE false'
    // The correlations owed to the instances waiting now are recorded in the same transaction
    // (engine_message_pending), so a crash before phase 2 is finished by recoverMessages().
    statements.push(
      inline(
        `WITH ins AS (${insert}),
         pend AS (
           INSERT INTO engine_message_pending (message_key, process_instance_key, name, correlation_key, variables, buffered, created_at)
           SELECT DISTINCT ?::bigint, s.process_instance_key, ?, ?, ?::jsonb, ?, ?::timestamptz FROM engine_message_subscriptions s
            WHERE s.message_name = ? AND s.correlation_key = ? AND (? OR EXISTS (SELECT 1 FROM ins))
           RETURNING process_instance_key
         ),
         pstart AS (
           INSERT INTO engine_message_pending_starts (message_key, bpmn_process_id, name, correlation_key, variables, buffered, created_at)
           SELECT ?::bigint, s.bpmn_process_id, s.message_name, ?, ?::jsonb, ?, ?::timestamptz FROM engine_message_start_subscriptions s
            WHERE s.message_name = ? AND (? OR EXISTS (SELECT 1 FROM ins))
           RETURNING bpmn_process_id
         )
         SELECT (SELECT key FROM ins) AS inserted,
           (SELECT key FROM engine_messages WHERE name = ? AND message_id = ?) AS existing,
           (SELECT coalesce(json_agg(process_instance_key ORDER BY process_instance_key), '[]') FROM pend) AS subs,
           (SELECT coalesce(json_agg(bpmn_process_id ORDER BY bpmn_process_id), '[]') FROM pstart) AS starts`,
        [
          newKey,
          req.name,
          correlationKey,
          JSON.stringify(variables),
          ttl > 0,
          now,
          req.name,
          correlationKey,
          ttl === 0,
          newKey,
          correlationKey,
          JSON.stringify(variables),
          ttl > 0,
          now,
          req.name,
          ttl === 0,
          req.name,
          req.messageId ?? null,
        ],
        true,
      ),
    )
    // One message, one implicit transaction: the lock is held until it commits (sql.ts: oneMessage).
    const results = await oneMessage(this.core.knex, statements)
    const found = results[results.length - 1]![0] as {
      inserted: number | null
      existing: number | null
      subs: number[]
      starts: string[]
    }
    const duplicate = ttl > 0 && req.messageId !== undefined && found.inserted == null && found.existing != null
    if (duplicate) return { messageKey: String(found.existing) }
    const messageKey = newKey
    this.core.opts.faults?.afterMessageBuffered?.()
    // Phase 2: each instance in its own step; a message goes to an instance at most once.
    for (const pik of found.subs) await this.correlatePending(messageKey, Number(pik))
    for (const bpmnProcessId of found.starts) await this.startPending(messageKey, bpmnProcessId)
    return { messageKey: String(messageKey) }
  }

  /**
   * Delivers a correlation recorded in engine_message_pending, in one step: under the instance lock the
   * marker is deleted with the read of the subscription, so whoever gets there first (the publisher or
   * a recovery sweep, in any motcua process) correlates, and only once.
   */
  private async correlatePending(messageKey: number, pik: number): Promise<void> {
    await this.core.runStep(async (step) => {
      const inst = await step.load(pik)
      const { rows } = await step.sql(
        `WITH done AS (
           DELETE FROM engine_message_pending WHERE message_key = ? AND process_instance_key = ? RETURNING name, correlation_key, variables, buffered
         )
         SELECT done.variables, done.buffered,
           (SELECT row_to_json(s) FROM engine_message_subscriptions s
             WHERE s.process_instance_key = ? AND s.message_name = done.name AND s.correlation_key = done.correlation_key
               AND NOT EXISTS (SELECT 1 FROM engine_message_correlations c WHERE c.message_key = ? AND c.process_instance_key = s.process_instance_key)
             ORDER BY s.key LIMIT 1) AS sub
         FROM done`,
        [messageKey, pik, pik, messageKey],
      )
      const r = rows[0] as { variables: Variables; buffered: boolean; sub: SubRow | null } | undefined
      if (!r || !r.sub || !inst || inst.pi.state !== 'ACTIVE') return
      if (r.buffered) step.recordCorrelation(messageKey, pik)
      await step.correlate(inst, r.sub, r.variables)
    })
  }

  /**
   * Starts the instance a message owes to a message start event (engine_message_pending_starts), in one
   * step: deleting the row locks it, so whoever deletes it (publisher or sweep) starts the instance, once.
   */
  private async startPending(messageKey: number, bpmnProcessId: string): Promise<void> {
    await this.core.runStep(async (step) => {
      const { rows } = await step.sql(
        `WITH done AS (
           DELETE FROM engine_message_pending_starts WHERE message_key = ? AND bpmn_process_id = ? RETURNING name, correlation_key, variables, buffered
         )
         SELECT done.*, s.definition_key, s.element_id
           FROM done JOIN engine_message_start_subscriptions s ON s.bpmn_process_id = ? AND s.message_name = done.name`,
        [messageKey, bpmnProcessId, bpmnProcessId],
      )
      const r = rows[0] as
        | {
            correlation_key: string
            variables: Variables
            buffered: boolean
            definition_key: number
            element_id: string
          }
        | undefined
      if (!r) return
      const correlationKey = r.correlation_key
      if (correlationKey !== '') {
        await step.sql('SELECT pg_advisory_xact_lock(hashtext(?))', [
          `start\u001f${bpmnProcessId}\u001f${correlationKey}`,
        ])
        const locked = await step.sql(
          'SELECT 1 FROM engine_message_start_locks WHERE bpmn_process_id = ? AND correlation_key = ?',
          [bpmnProcessId, correlationKey],
        )
        if (locked.rows.length > 0) return
      }
      const inst = await step.createInstance(Number(r.definition_key), r.variables, { startElementId: r.element_id })
      if (correlationKey !== '') step.addStartLock(bpmnProcessId, correlationKey, inst.pi.key)
      if (r.buffered) step.recordCorrelation(messageKey, inst.pi.key)
    })
  }

  /**
   * Recovery sweep: finishes the correlations that a publisher recorded but did not deliver (it died
   * between its two phases). Run at engine start (everything) and with the timer poll (markers older
   * than graceMs, so publishers still at work are normally left alone; racing one is harmless).
   * Returns how many markers it handled. Public for tests.
   */
  async recoverMessages(graceMs = 2000): Promise<number> {
    let handled = 0
    for (;;) {
      const before = new Date(this.core.clock().getTime() - graceMs)
      const { rows } = await this.core.knex.raw(
        'SELECT message_key, process_instance_key FROM engine_message_pending WHERE created_at <= ? ORDER BY created_at, message_key LIMIT 100',
        [before],
      )
      let failed = 0
      for (const r of rows as Array<{ message_key: string | number; process_instance_key: string | number }>) {
        if (this.core.stopped) return handled
        try {
          await this.correlatePending(Number(r.message_key), Number(r.process_instance_key))
          handled++
        } catch (err) {
          failed++
          this.core.log(`message ${r.message_key} to instance ${r.process_instance_key}: correlation failed`, err)
        }
      }
      const starts = await this.core.knex.raw(
        'SELECT message_key, bpmn_process_id FROM engine_message_pending_starts WHERE created_at <= ? ORDER BY created_at, message_key LIMIT 100',
        [before],
      )
      for (const r of starts.rows as Array<{ message_key: string | number; bpmn_process_id: string }>) {
        if (this.core.stopped) return handled
        try {
          await this.startPending(Number(r.message_key), r.bpmn_process_id)
          handled++
        } catch (err) {
          failed++
          this.core.log(`message ${r.message_key} to start ${r.bpmn_process_id}: failed`, err)
        }
      }
      // A row that keeps failing stays for the next sweep instead of being read again at once.
      if ((rows.length < 100 && starts.rows.length < 100) || failed > 0) return handled
    }
  }
}

// What load and chaos runs share: waiting for the outbox to drain, and printing the figures and the verdict.
import type { Knex } from 'knex'
import { knexFor } from '../../src/db/database.js'
import type { CheckReport } from './check.js'
import { latencyTable, type LoadResult } from './driver.js'
import type { SmtpPeer } from './peer.js'

/** A fresh database on the server of `adminUrl`; `drop()` removes it. */
export async function freshDatabase(adminUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = knexFor(adminUrl, 1)
  await admin.raw(`CREATE DATABASE ${name}`)
  await admin.destroy()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const again = knexFor(adminUrl, 1)
      await again.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await again.destroy()
    },
  }
}

/** Waits until every outbox message is sent and the peer has as many as were sent over SMTP (or the time is up). */
export async function settle(
  knex: Knex,
  peer: SmtpPeer | undefined,
  timeoutMs: number,
  log: (m: string) => void,
): Promise<number> {
  const t0 = Date.now()
  let last = ''
  for (;;) {
    const rows = (await knex('outbox_messages').select('status').count({ n: '*' }).groupBy('status')) as Array<{
      status: string
      n: string
    }>
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
    const pendingCommands = Number(
      (await knex('engine_commands').where({ status: 'pending' }).count({ n: '*' }).first())!.n,
    )
    const sent = by['sent'] ?? 0
    const unsent = Object.entries(by)
      .filter(([s]) => s !== 'sent')
      .reduce((a, [, n]) => a + n, 0)
    const state = `outbox ${JSON.stringify(by)}, peer ${peer?.received.length ?? '-'}, pending engine commands ${pendingCommands}`
    if (unsent === 0 && pendingCommands === 0 && (!peer || peer.received.length >= sent)) return Date.now() - t0
    if (Date.now() - t0 > timeoutMs) {
      log(`settle: gave up after ${timeoutMs} ms: ${state}`)
      return Date.now() - t0
    }
    if (state !== last) log(`settle: ${state}`)
    last = state
    await new Promise((r) => setTimeout(r, 2000))
  }
}

export function printLoad(result: LoadResult): void {
  const seconds = (result.finishedAt - result.startedAt) / 1000
  const finished = result.runs.filter((r) => r.finished).length
  console.log(
    `\nload: ${result.runs.length} dossiers driven in ${seconds.toFixed(1)} s → ${(finished / seconds).toFixed(2)} dossiers/s finished, ${result.requests} requests (${(result.requests / seconds).toFixed(1)} req/s), ${result.retries} retried attempts`,
  )
  const byPath = new Map<string, number>()
  for (const r of result.runs) byPath.set(r.path, (byPath.get(r.path) ?? 0) + 1)
  console.log(
    `paths: ${[...byPath].map(([p, n]) => `${p} ${n}`).join(', ')}; answers that only made sense after an unheard attempt: ${result.runs.reduce((a, r) => a + r.retriedAfterUnknown, 0)}`,
  )
  console.log('endpoint                                                   n      p50 ms   p99 ms')
  for (const row of latencyTable(result.latencies))
    console.log(
      `${row.route.padEnd(56)} ${String(row.n).padStart(6)} ${row.p50.toFixed(1).padStart(9)} ${row.p99.toFixed(1).padStart(8)}`,
    )
}

export function printCheck(report: CheckReport): void {
  console.log('\ncheck:')
  for (const [k, n] of Object.entries(report.counts).sort()) console.log(`  ${k}: ${n}`)
  for (const p of report.problems) console.log(`  ✗ ${p}`)
  console.log(
    `verdict: ${report.ok ? 'PASS — nothing lost, stuck or duplicated; every due date right' : `FAIL — ${report.problems.length} discrepancies listed above`}`,
  )
}

// Loads the official list of provinces and communes into the address directory: compares the file with what is
// stored, then (unless it is a dry run) adds, changes and retires rows in one transaction, audited. Idempotent: the
// same file a second time changes nothing.
import type { Knex } from 'knex'
import { auditRepository } from '../db/audit-repository.js'
import type { AdminDivision } from './levels.js'
import type { OfficialList } from './official-list.js'
import { unitsRepository, type StoredDivision } from './repository.js'

/** What an import does (or, in a dry run, would do). */
export interface ImportPlan {
  listId: string
  added: AdminDivision[]
  changed: Array<{ before: StoredDivision; after: AdminDivision }>
  /** Rows the file no longer has: marked retired, never deleted. Demo rows are left alone. */
  retired: StoredDivision[]
  unchanged: number
}

const same = (a: AdminDivision, b: StoredDivision): boolean =>
  a.name === b.name && a.kind === b.kind && a.level === b.level && a.provinceCode === b.provinceCode && !b.retired

/** Pure: what loading `list` over `stored` changes. */
export function planImport(list: OfficialList, stored: StoredDivision[]): ImportPlan {
  const byCode = new Map(stored.map((s) => [s.code, s]))
  const inFile = new Set(list.divisions.map((d) => d.code))
  const plan: ImportPlan = { listId: list.id, added: [], changed: [], retired: [], unchanged: 0 }
  for (const d of list.divisions) {
    const before = byCode.get(d.code)
    if (!before) plan.added.push(d)
    else if (same(d, before)) plan.unchanged++
    else plan.changed.push({ before, after: d })
  }
  plan.retired = stored.filter((s) => !inFile.has(s.code) && !s.retired && s.source !== 'demo')
  return plan
}

/** Compares, and unless `dryRun` applies the plan; returns the plan either way. */
export async function importOfficialList(
  knex: Knex,
  list: OfficialList,
  opts: { dryRun?: boolean; actorId?: string } = {},
): Promise<ImportPlan> {
  return knex.transaction(async (trx) => {
    const repo = unitsRepository(trx)
    const plan = planImport(list, await repo.allDivisions())
    const touched = plan.added.length + plan.changed.length + plan.retired.length
    if (opts.dryRun || touched === 0) return plan
    await repo.upsertDivisions([...plan.added, ...plan.changed.map((c) => c.after)], list.id, list.validFrom)
    await repo.retireDivisions(plan.retired.map((r) => r.code))
    await auditRepository(trx).record({
      action: 'units.divisions.imported',
      subjectType: 'system',
      subjectId: 'admin_divisions',
      ...(opts.actorId ? { actorId: opts.actorId } : {}),
      data: {
        list: list.id,
        added: plan.added.length,
        changed: plan.changed.length,
        retired: plan.retired.length,
        unchanged: plan.unchanged,
      },
    })
    return plan
  })
}

/** The plan in a few lines for a person (the CLI prints it). */
export function describePlan(plan: ImportPlan, dryRun: boolean): string {
  const verb = dryRun ? 'would be' : 'were'
  const lines = [
    `${plan.listId}: ${plan.added.length} ${verb} added, ${plan.changed.length} ${verb} changed, ` +
      `${plan.retired.length} ${verb} retired, ${plan.unchanged} unchanged`,
  ]
  const sample = <T>(items: T[], show: (x: T) => string, label: string) => {
    for (const item of items.slice(0, 10)) lines.push(`  ${label} ${show(item)}`)
    if (items.length > 10) lines.push(`  … and ${items.length - 10} more ${label}`)
  }
  sample(plan.added, (d) => `${d.code} ${d.name}`, '+')
  sample(plan.changed, (c) => `${c.after.code} ${c.before.name} → ${c.after.name}`, '~')
  sample(plan.retired, (d) => `${d.code} ${d.name}`, '-')
  return lines.join('\n') + '\n'
}

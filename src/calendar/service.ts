// The working-day calendar as the API serves it: anyone reads a year and previews a deadline; administrators change
// days and confirm provisional years, each change checked against their right and audited with its reason.
import type { Knex } from 'knex'
import { requireAccess } from '../auth/access.js'
import type { Principal } from '../auth/principal.js'
import {
  addCalendarDay,
  confirmCalendarYear,
  listCalendarVersions,
  loadCalendarData,
  removeCalendarDay,
} from '../db/calendar-repository.js'
import type { CalendarDayChange } from '../domain/calendar/index.js'
import { previewDeadline, type DeadlinePreviewInput } from './deadline-preview.js'

export class CalendarService {
  constructor(private readonly knex: Knex) {}

  /** Only an administrator changes the calendar; the subject (a date, a year) goes to the audit of a refusal. */
  private administrator(principal: Principal | undefined, subject: string) {
    return requireAccess(this.knex, {
      principal,
      permission: 'calendar.edit',
      subject: { type: 'calendar', id: subject },
    })
  }

  /** A year's days off and make-up days, whether it is still provisional, and the version read. */
  async year(year: number) {
    const data = await loadCalendarData(this.knex, year, year)
    return { year, provisional: data.provisionalYears.includes(year), version: data.version ?? null, days: data.days }
  }

  /** Who changed what, when and why, newest first. */
  async versions(principal: Principal | undefined, limit: number) {
    await this.administrator(principal, 'versions')
    const versions = await listCalendarVersions(this.knex, limit)
    return versions.map((v) => ({ ...v, createdAt: new Date(v.createdAt).toISOString() }))
  }

  async addDay(principal: Principal | undefined, change: CalendarDayChange & { reason: string }) {
    const caller = await this.administrator(principal, change.date)
    return addCalendarDay(
      this.knex,
      { date: change.date, kind: change.kind, name: change.name },
      { actorId: caller.userId, reason: change.reason },
    )
  }

  async removeDay(principal: Principal | undefined, date: string, reason: string) {
    const caller = await this.administrator(principal, date)
    return removeCalendarDay(this.knex, date, { actorId: caller.userId, reason })
  }

  async confirmYear(principal: Principal | undefined, year: number, reason: string) {
    const caller = await this.administrator(principal, String(year))
    return confirmCalendarYear(this.knex, year, { actorId: caller.userId, reason })
  }

  preview(input: DeadlinePreviewInput) {
    return previewDeadline(this.knex, input)
  }
}

// `motcua deadline`: the worked examples' answers from the command line, and clear errors on bad arguments.
import t from 'tap'
import { createTestDatabase, dbKind } from './helpers/db.js'
import { runDeadlineCommand } from '../src/cli/deadline.js'

t.test(`motcua deadline on a fresh ${dbKind} database`, async (t) => {
  const db = await createTestDatabase(t)
  const run = async (...argv: string[]) => {
    let out = ''
    let err = ''
    const code = await runDeadlineCommand(argv, {
      openDb: async () => ({ knex: db.knex, close: async () => {} }), // the test helper closes the database
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      now: () => new Date('2026-03-04T03:00:00Z'),
    })
    return { code, json: out.startsWith('{') ? JSON.parse(out) : undefined, out, err }
  }

  await t.test('worked examples', async (t) => {
    const ex1 = await run('--accepted', '2026-03-02T09:15:00+07:00', '--duration', '5WD')
    t.equal(ex1.code, 0)
    t.match(ex1.json, {
      receiptDate: '2026-03-02',
      due: '2026-03-09',
      dueAt: '2026-03-09T23:59:59+07:00',
      precision: 'day',
      status: 'within',
      calendarVersion: 1,
    })
    t.equal(
      (await run('--accepted', '2026-03-09T10:00:00+07:00', '--duration', '5WD')).json.due,
      '2026-03-16',
      'example 2',
    )
    t.equal(
      (await run('--accepted', '2026-02-12T10:00:00+07:00', '--duration', '5WD')).json.due,
      '2026-02-26',
      'example 3 (Tết)',
    )
    t.equal(
      (await run('--accepted', '2026-04-24T15:30:00+07:00', '--duration', '5WD')).json.due,
      '2026-05-06',
      'example 4',
    )
    const ex5 = await run('--accepted', '2026-04-29T15:00:00+07:00', '--duration', '0.5WD')
    t.match(ex5.json, { due: '2026-05-04T10:00:00+07:00', dueDate: '2026-05-04', precision: 'instant' }, 'example 5')
    const ex6 = [
      '--accepted',
      '2026-03-02T09:00:00+07:00',
      '--duration',
      '10WD',
      '--supplement',
      '2026-03-05/2026-03-11T10:00:00+07:00',
    ]
    t.equal((await run(...ex6)).json.due, '2026-03-25', 'example 6 RESTART')
    t.equal((await run(...ex6, '--supplement-policy', 'PAUSE')).json.due, '2026-03-20', 'example 6 PAUSE')
    const ex7 = await run(
      '--accepted',
      '2026-07-07T10:00:00+07:00',
      '--duration',
      '5WD',
      '--result-at',
      '2026-07-16T10:00:00+07:00',
    )
    t.match(ex7.json, { due: '2026-07-14', status: 'finished', result: 'late', workingDaysLate: 2 }, 'example 7')
    t.equal(
      (await run('--accepted', '2026-06-01T09:00:00+07:00', '--duration', '15WD')).json.due,
      '2026-06-22',
      'inter-agency overall due',
    )
  })

  await t.test('settings and events', async (t) => {
    t.match((await run('--accepted', '2026-01-30T16:45:00+07:00', '--duration', '5WD')).json, {
      receiptDate: '2026-01-30',
      due: '2026-02-06',
    })
    t.match((await run('--accepted', '2026-01-30T16:45:00+07:00', '--duration', '5WD', '--cutoff', '15:00')).json, {
      receiptDate: '2026-02-02',
      due: '2026-02-09',
    })
    t.equal(
      (await run('--accepted', '2026-01-09T09:00:00+07:00', '--duration', '1WD')).json.due,
      '2026-01-10',
      'make-up Saturday counts',
    )
    t.equal(
      (await run('--accepted', '2026-01-09T09:00:00+07:00', '--duration', '1WD', '--no-makeup-saturdays')).json.due,
      '2026-01-12',
    )
    const suspended = await run(
      '--accepted',
      '2026-03-02T09:00:00+07:00',
      '--duration',
      '10WD',
      '--suspend',
      '2026-03-04T10:00:00+07:00/2026-03-06T15:00:00+07:00',
      '--suspend',
      '2026-03-10/2026-03-11',
    )
    t.equal(suspended.json.due, '2026-03-19')
    const waiting = await run(
      '--accepted',
      '2026-03-02T09:00:00+07:00',
      '--duration',
      '10WD',
      '--supplement',
      '2026-03-03T10:00:00+07:00',
    )
    t.match(waiting.json, { status: 'paused', pausedSince: '2026-03-03T10:00:00+07:00' })
    t.equal(
      (await run('--accepted', '2027-03-01T09:00:00+07:00', '--duration', '5WD')).json.provisional,
      true,
      '2027 is a provisional year',
    )
    const help = await run('--help')
    t.equal(help.code, 0)
    t.match(help.out, /Usage: motcua deadline/)
  })

  await t.test('bad arguments exit with code 2 and say what is wrong', async (t) => {
    const cases: [string[], RegExp][] = [
      [['--duration', '5WD'], /--accepted is required/],
      [['--accepted', '2026-03-02T09:00:00+07:00'], /--duration is required/],
      [['--accepted', '2026-03-02 09:00', '--duration', '5WD'], /--accepted: Not an ISO date-time/],
      [['--accepted', '2026-03-02T09:00:00', '--duration', '5WD'], /with an offset/],
      [['--accepted', '2026-03-02T09:00:00+07:00', '--duration', '5 days'], /--duration: .*not a duration/],
      [
        ['--accepted', '2026-03-02T09:00:00+07:00', '--duration', '5WD', '--cutoff', '25:00'],
        /--cutoff: Not a time of day/,
      ],
      [
        ['--accepted', '2026-03-02T09:00:00+07:00', '--duration', '5WD', '--office-hours', '13:00-12:00'],
        /--office-hours/,
      ],
      [
        ['--accepted', '2026-03-02T09:00:00+07:00', '--duration', '5WD', '--supplement-policy', 'SKIP'],
        /RESTART or PAUSE/,
      ],
      [
        ['--accepted', '2026-03-02T09:00:00+07:00', '--duration', '5WD', '--supplement', 'a/b/c'],
        /--supplement takes FROM\/TO/,
      ],
      [
        ['--accepted', '2026-03-02T09:00:00+07:00', '--duration', '5WD', '--frobnicate'],
        /Unknown option '--frobnicate'/,
      ],
      [
        ['--accepted', '2026-03-02T09:00:00+07:00', '--duration', '5WD', '--result-at', '2026-03-01'],
        /before the dossier was accepted/,
      ],
    ]
    for (const [argv, message] of cases) {
      const r = await run(...argv)
      t.equal(r.code, 2, argv.join(' '))
      t.match(r.err, message, argv.join(' '))
      t.equal(r.out, '', 'nothing on stdout')
    }
  })
})

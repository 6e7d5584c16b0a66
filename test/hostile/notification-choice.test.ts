// Specification (issue #21, SMS): the profile route's notification choice refuses what would leave an applicant who
// chose SMS without a mobile number to send it to — a landline, a foreign number, a number removed or changed into one
// later, a choice in the wrong case or shape — each with a problem+json in Vietnamese and English, the database as it
// was. A good choice is answered with the profile and kept.
import t, { type Test } from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { diff, fingerprint, refusalProblem } from './support.js'

const built = await buildTestApp(t, { RATE_LIMIT_ALLOW: '127.0.0.1' })
const { app } = built
const knex = built.db.knex
const { authorization } = await built.loginAs('congdan')

const patch = (payload: unknown, headers: Record<string, string> = { authorization }) =>
  app.inject({ method: 'PATCH', url: '/api/account/profile', headers, payload: payload as object })

/** Sends `payload`, expects `status` with `code`, and the database unchanged. */
async function refused(t: Test, payload: unknown, status: number, code: string) {
  const before = await fingerprint(knex)
  const res = await patch(payload)
  t.equal(res.statusCode, status, `${JSON.stringify(payload).slice(0, 80)}: ${res.body.slice(0, 200)}`)
  t.equal(refusalProblem(res), undefined, 'a problem+json refusal')
  t.equal(res.json().code, code)
  t.same(diff(before, await fingerprint(knex)), [], 'the database as it was')
  return res
}

t.test('SMS needs a Vietnamese mobile number', async (t) => {
  await t.test('no phone yet: choosing SMS is refused', async (t) => {
    await knex('users').where({ username: 'congdan' }).update({ phone: null })
    const res = await refused(t, { notifyBy: 'sms' }, 422, 'MC_ERR_PHONE_NOT_MOBILE')
    t.match(res.json().message.vi, 'số di động Việt Nam')
    t.match(res.json().message.en, 'Vietnamese mobile number')
    t.match(res.json().errors, [{ field: 'body.notifyBy' }])
  })
  for (const phone of ['024 3825 3535', '+33 6 12 34 56 78', '0212345678', '091234567', '00000000'])
    await t.test(`${phone} with SMS is refused`, async (t) => {
      const res = await refused(t, { phone, notifyBy: 'both' }, 422, 'MC_ERR_PHONE_NOT_MOBILE')
      t.match(res.json().errors, [{ field: 'body.phone' }])
    })

  await t.test('a mobile number and SMS: kept', async (t) => {
    const res = await patch({ phone: '+84 912 345 678', notifyBy: 'both' })
    t.equal(res.statusCode, 200, res.body)
    t.match(res.json(), { phone: '+84 912 345 678', notifyBy: 'both' })
    t.equal((await knex('users').where({ username: 'congdan' }).first('notify_by')).notify_by, 'both')
  })

  await t.test('then the number removed or changed into a landline: refused while SMS is chosen', async (t) => {
    await refused(t, { phone: null }, 422, 'MC_ERR_PHONE_NOT_MOBILE')
    await refused(t, { phone: '024 3825 3535' }, 422, 'MC_ERR_PHONE_NOT_MOBILE')
    // Both at once, e-mail again: a landline is a fine phone for a profile that does not take SMS.
    const res = await patch({ phone: '024 3825 3535', notifyBy: 'email' })
    t.equal(res.statusCode, 200, res.body)
    t.match(res.json(), { phone: '024 3825 3535', notifyBy: 'email' })
  })
})

t.test('the choice in the wrong shape is refused by the schema', async (t) => {
  for (const notifyBy of ['SMS', 'sms ', 'fax', '', null, 1, { sms: true }, 'email,sms'])
    await refused(t, { notifyBy }, 400, 'MC_ERR_VALIDATION')
  await refused(t, { notifyBy: 'sms', channel: 'sms' }, 400, 'MC_ERR_VALIDATION')
  await refused(t, { phone: "0912345678'; DROP TABLE users;--", notifyBy: 'sms' }, 400, 'MC_ERR_VALIDATION')
})

t.test('only the applicant themself, signed in', async (t) => {
  const staff = { authorization: (await built.loginAs('motcua-xa')).authorization }
  const before = await fingerprint(knex)
  const anonymous = await patch({ notifyBy: 'email' }, {})
  t.equal(anonymous.statusCode, 401)
  t.equal(refusalProblem(anonymous), undefined)
  const officer = await patch({ notifyBy: 'sms', phone: '0912345678' }, staff)
  t.equal(officer.statusCode, 403)
  t.equal(refusalProblem(officer), undefined)
  t.same(diff(before, await fingerprint(knex)), [])
})

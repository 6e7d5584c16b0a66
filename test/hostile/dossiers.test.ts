// Specification: the citizen portal, dossier, officer-command and counter routes refuse malformed and hostile input
// (wrong types, missing and extra fields, 1 MB strings, 10,000-deep JSON, Unicode tricks, injection strings, prototype
// keys, bad query strings, path parameters that are not uuids or name another applicant's draft or no dossier at all,
// missing or hostile Idempotency-Keys) with a 4xx problem, and the database is unchanged.
import t from 'tap'
import { attackArea, hostileWorld } from './world.js'

const w = await hostileWorld(t)
await attackArea(t, w, 'dossiers')

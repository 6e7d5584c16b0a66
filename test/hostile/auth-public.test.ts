// Specification: the login, registration, public lookup, calendar and payment-callback routes refuse malformed and
// hostile input (wrong types, missing and extra fields, 1 MB strings, 10,000-deep JSON, Unicode tricks, injection
// strings, prototype keys, bad query strings and path parameters) with a 4xx problem, and the database is unchanged.
import t from 'tap'
import { attackArea, hostileWorld } from './world.js'

const w = await hostileWorld(t, { dossier: false })
await attackArea(t, w, 'auth-public')

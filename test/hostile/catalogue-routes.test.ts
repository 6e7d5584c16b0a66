// Specification: the catalogue routes (search, procedure detail, drafts, versions, validation, publication, diffs)
// refuse malformed and hostile input with a 4xx problem, and the database is unchanged.
import t from 'tap'
import { attackArea, hostileWorld } from './world.js'

const w = await hostileWorld(t, { dossier: false })
await attackArea(t, w, 'catalogue')

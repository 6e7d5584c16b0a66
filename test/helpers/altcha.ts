// Solving the sign-up bot check in tests as the ALTCHA widget does in the browser: fetch a challenge, find the counter,
// send the base64 payload.
import type { FastifyInstance } from 'fastify'
import { solveChallenge, type Challenge } from 'altcha-lib'
import { deriveKey } from 'altcha-lib/algorithms/sha'

/** A solved challenge's payload, as the widget puts it in the form's `altcha` field. */
export async function solvedAltcha(app: FastifyInstance, remoteAddress = '127.0.0.1'): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/api/auth/altcha-challenge', remoteAddress })
  if (res.statusCode !== 200) throw new Error(`altcha challenge: ${res.statusCode} ${res.body}`)
  const challenge = res.json() as Challenge
  const solution = await solveChallenge({ challenge, deriveKey })
  if (!solution) throw new Error('altcha challenge not solved')
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64')
}

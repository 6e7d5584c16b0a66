// Serves the built web app (web/dist, made by `npm run build:web`) at `/`: hashed assets cached for
// a year, and index.html for every other GET from a browser (Accept: text/html) that is not an API,
// health or docs path, so the app's own routes (/tra-cuu, /can-bo/…) load on a refresh. Programs
// asking for anything else get the usual 404 problem. Without a build the API runs alone.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { AppError } from '../errors.js'
import { sendProblem } from './problems.js'

export const webDistDir = fileURLToPath(new URL('../../web/dist/', import.meta.url))
const serverPaths = /^\/(api|health|docs)(\/|$)/

export default fp(
  async function web(app: FastifyInstance, opts: { root?: string }) {
    const root = opts.root ?? webDistDir
    const indexFile = `${root}index.html`
    if (!existsSync(indexFile)) {
      app.log.warn({ root }, 'web app not built (npm run build:web): serving the API only')
      return
    }
    const indexHtml = readFileSync(indexFile)
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      setHeaders(reply, path) {
        reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
      },
    })
    const sendIndex = (reply: FastifyReply) =>
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml)
    app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply))
    app.get('/*', { schema: { hide: true } }, (request, reply) => {
      const path = request.url.split('?')[0] ?? '/'
      if (serverPaths.test(path) || !request.headers.accept?.includes('text/html')) {
        return sendProblem(reply, request, new AppError('MC_ERR_ROUTE_NOT_FOUND', `${request.method} ${path}`))
      }
      return sendIndex(reply)
    })
  },
  { name: 'motcua-web', dependencies: ['motcua-problems'] },
)

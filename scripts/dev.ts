// `npm run dev`: the motcua server (embedded defaults, or whatever the environment configures) on
// MOTCUA_API_PORT (default 3000) and Vite's dev server with hot reload on WEB_DEV_PORT (default
// 5173), which proxies /api, /health and /docs to it. Ctrl+C stops both.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'

const apiPort = process.env.MOTCUA_API_PORT ?? '3000'
process.env.MOTCUA_API_PORT = apiPort
const root = fileURLToPath(new URL('..', import.meta.url))

const server = spawn(process.execPath, ['bin/motcua.js', 'start'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PORT: apiPort },
})
const vite = await createServer({ configFile: `${root}web/vite.config.ts` })
await vite.listen()
vite.printUrls()

let stopping = false
async function stop(code: number): Promise<void> {
  if (stopping) return
  stopping = true
  await vite.close()
  if (server.exitCode === null) server.kill('SIGTERM')
  process.exitCode = code
}
server.on('exit', (code) => void stop(code ?? 0))
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

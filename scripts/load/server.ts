// A motcua server as a child process (`motcua start`) for load and chaos runs: start, wait until ready, kill, restart.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface ServerOptions {
  databaseUrl: string
  dataDir: string
  port: number
  smtpUrl: string
  /** Where the child's stdout and stderr go (appended). */
  logFile: string
}

export class ServerProcess {
  private child?: ChildProcess
  readonly baseUrl: string

  constructor(private readonly opts: ServerOptions) {
    this.baseUrl = `http://127.0.0.1:${opts.port}`
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  /** Starts the child and resolves when /health/ready answers 200 (or rejects after timeoutMs). */
  async start(timeoutMs = 180_000): Promise<number> {
    const t0 = Date.now()
    const log = createWriteStream(this.opts.logFile, { flags: 'a' })
    const child = (this.child = spawn(process.execPath, ['bin/motcua.js', 'start'], {
      env: {
        ...process.env,
        DATABASE_URL: this.opts.databaseUrl,
        DATA_DIR: this.opts.dataDir,
        HOST: '127.0.0.1',
        PORT: String(this.opts.port),
        SMTP_URL: this.opts.smtpUrl,
        SEED_DEMO: 'true',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        NODE_ENV: 'development',
        RATE_LIMIT_ALLOW: '127.0.0.1,::ffff:127.0.0.1,::1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }))
    child.stdout!.pipe(log)
    child.stderr!.pipe(log)
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `the server exited during start (${child.exitCode ?? child.signalCode}); see ${this.opts.logFile}`,
        )
      const ok = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) return Date.now() - t0
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`the server was not ready after ${timeoutMs} ms; see ${this.opts.logFile}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }

  /** Sends the signal and waits for the process to end. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
    return new Promise((resolve) => {
      child.once('exit', () => resolve())
      child.kill(signal)
    })
  }

  /** The demo accounts' passwords, written by the first start into DATA_DIR. */
  passwords(): Record<string, string> {
    const list = JSON.parse(readFileSync(join(this.opts.dataDir, 'demo-credentials.json'), 'utf8')) as Array<{
      username: string
      password: string
    }>
    return Object.fromEntries(list.map((c) => [c.username, c.password]))
  }
}

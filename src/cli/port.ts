// `motcua start` asks the operating system for its port before anything else (migrations, demo data, the engine), so a
// port another program holds is told in one line naming the variable to change, not as a stack trace after seeding.
import { createServer } from 'node:net'

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(
      `cổng ${host}:${port} đang được một chương trình khác dùng — đặt biến PORT sang cổng khác / ` +
        `port ${host}:${port} is in use by another program — set PORT to a free port (e.g. PORT=${port + 1})`,
    )
    this.name = 'PortInUseError'
  }
}

/** Resolves when the port can be listened on (and is free again); PortInUseError when another program holds it. */
export async function ensurePortFree(host: string, port: number): Promise<void> {
  // Port 0 asks the system for any free port: nothing to check.
  if (port === 0) return
  const probe = createServer()
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(host, port) : err),
    )
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()))
  })
}

/** The listen error of a program that took the port between the check and the server's own listen. */
export function portInUse(err: unknown, host: string, port: number): PortInUseError | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE' ? new PortInUseError(host, port) : undefined
}

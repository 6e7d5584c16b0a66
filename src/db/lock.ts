// A lock file that stops two processes from opening one embedded data directory.
import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(
      `Thư mục dữ liệu đang được tiến trình khác sử dụng (PID ${pid}). / ` +
        `The data directory is in use by another motcua process (PID ${pid}); lock file ${lockFile}. ` +
        'Stop that process, or set DATA_DIR to another directory.',
    )
    this.name = 'DataDirLockedError'
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the lock or throws DataDirLockedError. A lock left by a dead process is taken over. */
export function acquireLock(lockFile: string): { release(): void } {
  mkdirSync(dirname(lockFile), { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      let released = false
      return {
        release() {
          if (released) return
          released = true
          try {
            if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) unlinkSync(lockFile)
          } catch {
            /* already gone */
          }
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10)
      if (Number.isInteger(pid) && alive(pid)) throw new DataDirLockedError(lockFile, pid)
      unlinkSync(lockFile) // stale: its owner died (e.g. SIGKILL)
    }
  }
  throw new Error(`Could not take the lock ${lockFile}`)
}

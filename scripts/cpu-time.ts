// CPU seconds spent by this process and by the local PostgreSQL server's processes (every process named `postgres`
// in /proc), for benchmarks: unlike a rate, CPU per unit of work holds on a busy machine. Linux only; the server's
// share is 0 where /proc shows no postgres process (a remote server).
import { readdirSync, readFileSync } from 'node:fs'

const ticksPerSecond = 100 // USER_HZ on Linux

export interface CpuSnapshot {
  node: number
  postgres: number
}

/** CPU seconds of every local process named `postgres`, ended backends included. */
export function postgresSeconds(): number {
  let ticks = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (!stat.includes('(postgres)')) continue
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
      // utime, stime and those of ended children (backends the postmaster reaped): fields 14–17 of proc(5).
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
    } catch {
      // The process ended while being read.
    }
  }
  return ticks / ticksPerSecond
}

/** CPU seconds (user + system) of another process so far, from /proc; 0 once it has ended. */
export function processSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
  } catch {
    return 0
  }
}

/** Node of another process (`pid`) and the local PostgreSQL server, for a benchmark whose server is a child. */
export function serverCpuSnapshot(pid: number): CpuSnapshot {
  return { node: processSeconds(pid), postgres: postgresSeconds() }
}

export function cpuSnapshot(): CpuSnapshot {
  const { user, system } = process.cpuUsage()
  return { node: (user + system) / 1e6, postgres: postgresSeconds() }
}

/** CPU milliseconds per unit of work since `before`, for Node and for PostgreSQL. */
export function cpuPerUnit(before: CpuSnapshot, units: number): string {
  const now = cpuSnapshot()
  const ms = (s: number) => ((s * 1000) / units).toFixed(3)
  return `CPU per instance: node ${ms(now.node - before.node)} ms, postgres ${ms(now.postgres - before.postgres)} ms`
}

// Start-up benchmark: `motcua start` on a fresh embedded data directory (the template cached), then a restart on
// it, BENCH_RUNS times each (default 5), timed from the spawn to the first 200 of /health/ready; also the process's
// CPU time at that moment (from /proc, a figure that holds on a busy machine) and the load average. With
// BENCH_FIRST=1 one more fresh start with an empty cache directory (the template built on the way). With
// BENCH_BASE=<another checkout>/bin/motcua.js (the tree before a change) each run starts that tree too, in turn with
// this one (base fresh, fresh, base restart, restart), so both sides meet the same load, and prints both.
// Exits non-zero when a median of this tree misses its target: fresh ≤ 5 s, restart ≤ 2 s (targets for an idle
// machine).
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// BENCH_BIN: another checkout's bin/motcua.js, to measure the tree before a change with the same script.
const bin = process.env['BENCH_BIN'] ?? fileURLToPath(new URL('../bin/motcua.js', import.meta.url))
const baseBin = process.env['BENCH_BASE']
const runs = Number(process.env['BENCH_RUNS'] ?? 5)
const targets = { fresh: 5, restart: 2 }
const clockTicks = 100 // USER_HZ on Linux

interface Started {
  listenS: number
  readyS: number
  cpuS: number
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / clockTicks
}

async function startOnce(dataDir: string, cacheDir?: string, program = bin): Promise<Started> {
  const t0 = performance.now()
  const child = spawn(process.execPath, [program, 'start'], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      ...(cacheDir ? { CACHE_DIR: cacheDir } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  try {
    let url: string | undefined
    let listenS = 0
    for (;;) {
      if (child.exitCode !== null) throw new Error(`motcua exited: ${out}`)
      if (!url) {
        url = /motcua: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]
        if (url) listenS = (performance.now() - t0) / 1000
      }
      if (url) {
        const status = await fetch(`${url}/health/ready`).then(
          (r) => r.status,
          () => 0,
        )
        if (status === 200) {
          return { listenS, readyS: (performance.now() - t0) / 1000, cpuS: cpuSeconds(child.pid!) }
        }
      }
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

function summary(label: string, xs: Started[], target?: number): boolean {
  const med = (k: keyof Started) => {
    const s = xs.map((x) => x[k]).sort((a, b) => a - b)
    return { min: s[0]!, median: s[Math.floor((s.length - 1) / 2)]!, max: s.at(-1)! }
  }
  const f = (k: keyof Started) => {
    const m = med(k)
    return `${m.median.toFixed(2)} s (${m.min.toFixed(2)}–${m.max.toFixed(2)})`
  }
  const ok = target === undefined || med('readyS').median <= target
  console.log(
    `${label.padEnd(40)} ready ${f('readyS')}  listening ${f('listenS')}  CPU ${f('cpuS')}` +
      (target === undefined ? '' : `  target ≤ ${target} s: ${ok ? 'met' : 'MISSED'}`),
  )
  return ok
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

async function main(): Promise<void> {
  console.log(`load average at the start: ${load()}; ${runs} runs each${baseBin ? `; base ${baseBin}` : ''}`)
  const fresh: Started[] = []
  const restart: Started[] = []
  const baseFresh: Started[] = []
  const baseRestart: Started[] = []
  const dirs: string[] = []
  const newDir = (prefix = 'motcua-bench-start-'): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    dirs.push(dir)
    return dir
  }
  // A warm-up: builds the template if the cache does not hold it, and fills tsx's transpile cache.
  await startOnce(newDir())
  if (baseBin) await startOnce(newDir(), undefined, baseBin)
  for (let i = 0; i < runs; i++) {
    const dir = newDir()
    const baseDir = baseBin && newDir()
    if (baseDir) baseFresh.push(await startOnce(baseDir, undefined, baseBin))
    fresh.push(await startOnce(dir))
    if (baseDir) baseRestart.push(await startOnce(baseDir, undefined, baseBin))
    restart.push(await startOnce(dir))
  }
  let first: Started | undefined
  if (process.env['BENCH_FIRST'] === '1') first = await startOnce(newDir(), newDir('motcua-bench-cache-'))
  if (baseBin) {
    summary('base: fresh data directory', baseFresh)
    summary('base: restart', baseRestart)
  }
  const ok = [summary('fresh data directory', fresh, targets.fresh), summary('restart', restart, targets.restart)]
  if (first) summary('fresh, empty cache (template built)', [first])
  console.log(`load average at the end: ${load()}`)
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  if (ok.includes(false)) process.exitCode = 1
}

await main()

// A dossier world for tests: a migrated database with the calendar, demo units and accounts, the reference procedures
// published on the embedded engine, and the dossier runtime (workers, relay, read model) running on it.
import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import type { Principal } from '../../src/auth/principal.js'
import { seedProcedures } from '../../src/catalogue/service.js'
import { seedCalendar } from '../../src/db/calendar-repository.js'
import type { Database } from '../../src/db/database.js'
import { loadConfig } from '../../src/config.js'
import type {
  DossierQueries,
  DossierService,
  EngineCommandRelay,
  ReadModelProjector,
} from '../../src/dossiers/index.js'
import { EmbeddedEngine } from '../../src/engine/embedded/index.js'
import { buildRuntime, type RuntimeOptions } from '../../src/runtime.js'
import { createTestDatabase } from './db.js'

/** The parts of the runtime (src/runtime.ts) the dossier tests drive. */
export interface DossierRuntime {
  service: DossierService
  queries: DossierQueries
  relay: EngineCommandRelay
  projector: ReadModelProjector
  stop(): Promise<void>
}

export type DossierRuntimeOptions = Pick<
  RuntimeOptions,
  'clock' | 'portalUrl' | 'relayIntervalMs' | 'sweepIntervalMs' | 'workerPollMs' | 'afterCommit' | 'workerDeps'
>

export interface DossierWorld {
  db: Database
  engine: EmbeddedEngine
  runtime: DossierRuntime
  as(username: string): Promise<Principal>
  /** A stored file row owned by the user, to attach to a component. */
  file(ownerUsername: string): Promise<string>
}

export async function createDossierWorld(
  t: Test,
  opts: DossierRuntimeOptions & { engineClock?: () => Date } = {},
): Promise<DossierWorld> {
  const { engineClock, ...runtimeOpts } = opts
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-dossiers-'))
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' }, { isTTY: false })
  const db = await createTestDatabase(t)
  await seedCalendar(db.knex)
  const engine = new EmbeddedEngine(db, {
    timerPollMs: 50,
    workerPollMs: 50,
    ...(engineClock ? { clock: engineClock } : {}),
  })
  // The server's runtime over this database and engine, with short intervals; no outbox sender: tests read the outbox.
  const built = await buildRuntime(config, {
    db,
    engine,
    seedDemo: true,
    publishProcedures: false,
    outbox: false,
    relayIntervalMs: 200,
    sweepIntervalMs: 500,
    workerPollMs: 50,
    ...runtimeOpts,
  })
  t.teardown(() => built.stop())
  await built.start()
  const report = await seedProcedures(db.knex, engine)
  if (report.failed.length > 0) throw new Error(`procedures failed to publish: ${JSON.stringify(report.failed)}`)
  const runtime: DossierRuntime = {
    ...built.dossiers,
    relay: built.relay,
    projector: built.projector,
    stop: built.stop,
  }
  const principals = new Map<string, Principal>()
  return {
    db,
    engine,
    runtime,
    async as(username) {
      let p = principals.get(username)
      if (!p) {
        const u = await db
          .knex('users as u')
          .leftJoin('units as n', 'n.id', 'u.unit_id')
          .where('u.username', username)
          .first('u.id', 'u.username', 'u.kind', 'u.unit_id', 'n.path', 'u.groups')
        if (!u) throw new Error(`no user ${username}`)
        p = {
          userId: u.id,
          username: u.username,
          kind: u.kind,
          ...(u.unit_id ? { unitId: u.unit_id, unitPath: u.path } : {}),
          groups: u.groups,
        }
        principals.set(username, p)
      }
      return p
    },
    async file(ownerUsername) {
      const owner = await db.knex('users').where({ username: ownerUsername }).first('id')
      const sha = createHash('sha256').update(randomUUID()).digest('hex')
      const [row] = await db
        .knex('files')
        .insert({
          sha256: sha,
          size: 100,
          mime: 'application/pdf',
          original_name: 'giay-to.pdf',
          storage_key: sha,
          created_by: owner.id,
        })
        .returning('id')
      return (row as { id: string }).id
    },
  }
}

export const birthForm = {
  treEm: {
    hoTen: 'Nguyễn Văn Bé',
    gioiTinh: 'nam',
    ngaySinh: '2026-11-01',
    noiSinh: 'Trạm y tế xã An Bình',
    danToc: 'Kinh',
    quocTich: 'Việt Nam',
  },
  me: { hoTen: 'Trần Thị Bình', soDinhDanh: '001190012345' },
  nguoiYeuCau: {
    hoTen: 'Nguyễn Văn An',
    soDinhDanh: '001090000001',
    soDienThoai: '0912345678',
    noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
  },
  quanHeVoiTreEm: 'cha',
}

export const constructionForm = {
  chuDauTu: {
    hoTen: 'Nguyễn Văn An',
    soDinhDanh: '001090000001',
    soDienThoai: '0912345678',
    noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
  },
  diaDiemXayDung: { diaChi: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' }, soThua: '12', soToBanDo: '3', dienTichLoDat: 120 },
  quyMo: { dienTichXayDung: 80, tongDienTichSan: 240, soTang: 3, chieuCao: 11.5 },
}

export const householdForm = {
  chuHo: {
    hoTen: 'Nguyễn Văn An',
    soDinhDanh: '001090000001',
    soDienThoai: '0912345678',
    noiCuTru: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
  },
  tenHoKinhDoanh: 'Hộ kinh doanh Tạp hoá An',
  diaDiemKinhDoanh: { tinh: 'Tỉnh Demo', xa: 'Xã An Bình' },
  nganhNghe: ['Bán lẻ tạp hoá'],
  vonKinhDoanh: 50_000_000,
}

export const requiredUploads: Record<string, string[]> = {
  'dang-ky-khai-sinh': ['to-khai', 'giay-chung-sinh'],
  'cap-giay-phep-xay-dung-nha-o-rieng-le': ['don-de-nghi', 'giay-to-quyen-su-dung-dat', 'ban-ve-thiet-ke'],
  'dang-ky-thanh-lap-ho-kinh-doanh': ['giay-de-nghi'],
}

/** A clock the test moves by hand, shared by the engine (timers) and the dossier code (acceptance, deadlines). */
export function manualClock(start: string): { now: () => Date; set(at: string): void } {
  let at = Date.parse(start)
  return { now: () => new Date(at), set: (next) => void (at = Date.parse(next)) }
}

/**
 * Publishes a test-only copy of a reference procedure under another slug, code and process id, with its
 * own duration and supplement policy (the reference procedures all RESTART).
 */
export async function publishVariant(
  w: DossierWorld,
  from: string,
  variant: { slug: string; code: string; duration: string; supplementPolicy: 'RESTART' | 'PAUSE' },
): Promise<void> {
  const { readFileSync } = await import('node:fs')
  const { CatalogueService } = await import('../../src/catalogue/service.js')
  const def = JSON.parse(readFileSync(`forms/${from}.json`, 'utf8'))
  const xml = readFileSync(`workflows/${def.workflow.file}`, 'utf8').replaceAll(`"${from}"`, `"${variant.slug}"`)
  // The steps' shares must add up to the new duration (R11).
  const days = Number(/^([\d.]+) WD$/.exec(variant.duration)?.[1] ?? 1)
  const total = def.steps.reduce((sum: number, s: { shareWorkingDays: number }) => sum + s.shareWorkingDays, 0)
  const steps = def.steps.map((s: { shareWorkingDays: number }) => ({
    ...s,
    shareWorkingDays: (s.shareWorkingDays * days) / total,
  }))
  const definition = {
    ...def,
    ...variant,
    steps,
    name: `${def.name} (${variant.slug})`,
    workflow: { bpmnProcessId: variant.slug, file: `${variant.slug}.bpmn` },
  }
  const catalogue = new CatalogueService(w.db.knex, w.engine)
  const draft = await catalogue.createDraft({ definition, bpmnXml: xml })
  if (!draft.ok) throw new Error(JSON.stringify(draft.problems))
  const published = await catalogue.publish(variant.slug)
  if (!published.ok) throw new Error(JSON.stringify(published.problems))
}

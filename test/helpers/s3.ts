// A real S3-protocol server in-process for tests: s3rver (a Koa app speaking the S3 REST API, objects on a temp dir) on
// 127.0.0.1.
import { mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import type { S3Config } from '../../src/config.js'

interface S3rver {
  run(): Promise<AddressInfo>
  close(): Promise<void>
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (opts: Record<string, unknown>) => S3rver

export interface TestS3Server {
  /** What motcua's S3 settings would be for this server (S3_ENDPOINT … as a config). */
  config: S3Config
  /** The same as environment variables. */
  env: Record<string, string>
  /** The directory s3rver keeps objects in. */
  directory: string
}

/** Starts s3rver with one empty bucket; it stops when the test ends. */
export async function startS3Server(t: Test, bucket = 'motcua-test'): Promise<TestS3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'motcua-s3-'))
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  })
  const { port } = await server.run()
  t.teardown(() => server.close())
  // s3rver accepts its own well-known key pair.
  const config: S3Config = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  }
  const env = {
    S3_ENDPOINT: config.endpoint!,
    S3_BUCKET: bucket,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  }
  return { config, env, directory }
}

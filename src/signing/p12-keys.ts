// The PKCS#12 key directory, loaded on its first use: p12.ts pulls in node-forge and @signpdf (about 0.1 s of CPU to
// import), which a start does not need; only signing does.
import type { PdfSigner, SigningKeys } from './port.js'

export function lazyP12KeyDirectory(dir: string, passphrase: string): SigningKeys {
  let directory: Promise<SigningKeys> | undefined
  const open = (): Promise<SigningKeys> =>
    (directory ??= import('./p12.js').then(({ P12KeyDirectory }) => new P12KeyDirectory(dir, passphrase)))
  return {
    person: async (username: string): Promise<PdfSigner | undefined> => (await open()).person(username),
    seal: async (agencyCode: string): Promise<PdfSigner | undefined> => (await open()).seal(agencyCode),
  }
}

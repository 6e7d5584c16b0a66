// Test certificates, made fresh for each test run and never committed: a test CA, officers' certificates and agency
// seals, each as a PKCS#12 file under a temporary SIGNING_KEYS_DIR, and the environment that configures motcua with
// them (docs/results.md).
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import forge from 'node-forge'

interface Issued {
  cert: forge.pki.Certificate
  key: forge.pki.rsa.PrivateKey
}

/** A subject attribute in UTF-8, so Vietnamese names read back as written. */
const utf8 = (name: string, value: string) => ({
  name,
  value,
  valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
})

function issue(subject: { cn: string; o: string }, issuer?: Issued): Issued {
  const keys = forge.pki.rsa.generateKeyPair(2048)
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000)
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000)
  cert.setSubject([
    utf8('commonName', subject.cn),
    utf8('organizationName', subject.o),
    { name: 'countryName', value: 'VN' },
  ])
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : cert.subject.attributes)
  cert.setExtensions(
    issuer
      ? [{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]
      : [
          { name: 'basicConstraints', cA: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true },
        ],
  )
  cert.sign(issuer?.key ?? keys.privateKey, forge.md.sha256.create())
  return { cert, key: keys.privateKey }
}

export interface TestSigning {
  /** SIGNING_KEYS_DIR, SIGNING_KEY_PASSPHRASE and SIGNING_TRUST_ANCHORS for loadConfig. */
  env: Record<string, string>
  caPem: string
  /** Writes `path` (PEM of the CA) for pdfsig-independent checks. */
  dir: string
}

/**
 * A test CA ("motcua TEST CA — không dùng thật"), a certificate per officer and a seal per agency code, as PKCS#12
 * files opened with a random passphrase.
 */
export function testSigning(officers: Record<string, string>, seals: Record<string, string>): TestSigning {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-keys-'))
  const passphrase = randomBytes(12).toString('hex')
  const ca = issue({ cn: 'motcua TEST CA — không dùng thật', o: 'motcua test' })
  const write = (sub: string, name: string, subject: { cn: string; o: string }) => {
    const holder = issue(subject, ca)
    const p12 = forge.pkcs12.toPkcs12Asn1(holder.key, [holder.cert, ca.cert], passphrase, { algorithm: '3des' })
    mkdirSync(join(dir, sub), { recursive: true })
    writeFileSync(join(dir, sub, `${name}.p12`), Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'))
  }
  for (const [username, name] of Object.entries(officers))
    write('officers', username, { cn: name, o: 'UBND xã An Bình' })
  for (const [code, name] of Object.entries(seals)) write('seals', code, { cn: name, o: name })
  const caPem = forge.pki.certificateToPem(ca.cert)
  writeFileSync(join(dir, 'trust.pem'), caPem)
  return {
    dir,
    caPem,
    env: { SIGNING_KEYS_DIR: dir, SIGNING_KEY_PASSPHRASE: passphrase, SIGNING_TRUST_ANCHORS: join(dir, 'trust.pem') },
  }
}

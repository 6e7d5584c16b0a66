// The PKCS#12 signer: a key and its certificate chain in a passphrase-protected .p12 file (never a clear-text key at
// rest), signing with @signpdf (CMS detached signature, ETSI.CAdES.detached, placeholder appended as an incremental
// update by @signpdf/placeholder-plain).
import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { plainAddPlaceholder } from '@signpdf/placeholder-plain'
import { SignPdf } from '@signpdf/signpdf'
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils'
import forge from 'node-forge'
import type { PdfSigner, SignatureRequest, SigningKeys } from './port.js'

/** Room for the CMS signature with a chain of a few 4096-bit certificates. */
const signatureLength = 16_384

const oneLine = (subject: string) => subject.split('\n').filter(Boolean).join(', ')

/**
 * node-forge reads a UTF8String name attribute as its UTF-8 bytes but encodes it again when it writes the name, so a
 * certificate or issuer with Vietnamese letters would come out changed in the signature (and the signature fail
 * verification). Decoding once makes forge write back the bytes it read.
 */
function keepUtf8Names(cert: forge.pki.Certificate): forge.pki.Certificate {
  for (const attr of [...cert.subject.attributes, ...cert.issuer.attributes])
    if ((attr.valueTagClass as unknown) === forge.asn1.Type.UTF8 && typeof attr.value === 'string')
      attr.value = forge.util.decodeUtf8(attr.value)
  return cert
}

interface KeyAndChain {
  key: forge.pki.rsa.PrivateKey
  /** The certificate of the key first, then the rest of the chain. */
  chain: forge.pki.Certificate[]
}

function open(p12: Buffer, passphrase: string): KeyAndChain {
  const store = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, passphrase)
  const keyOid = forge.pki.oids['pkcs8ShroudedKeyBag'] as string
  const certOid = forge.pki.oids['certBag'] as string
  const key = store.getBags({ bagType: keyOid })[keyOid]?.[0]?.key as forge.pki.rsa.PrivateKey | undefined
  const certs = (store.getBags({ bagType: certOid })[certOid] ?? [])
    .map((bag: forge.pkcs12.Bag) => bag.cert)
    .filter((c): c is forge.pki.Certificate => Boolean(c))
    .map(keepUtf8Names)
  const own = certs.find((c) => key && (c.publicKey as forge.pki.rsa.PublicKey).n.equals(key.n))
  if (!key || !own) throw new Error('the PKCS#12 file holds no key with its certificate')
  return { key, chain: [own, ...certs.filter((c) => c !== own)] }
}

/** The CMS signer @signpdf calls: SHA-256, signed attributes content type, signing time and message digest. */
class CmsSigner extends Signer {
  constructor(private readonly holder: KeyAndChain) {
    super()
  }

  override async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
    const p7 = forge.pkcs7.createSignedData()
    p7.content = forge.util.createBuffer(pdf.toString('binary'))
    for (const cert of this.holder.chain) p7.addCertificate(cert)
    p7.addSigner({
      key: this.holder.key,
      certificate: this.holder.chain[0]!,
      digestAlgorithm: forge.pki.oids['sha256'] as string,
      authenticatedAttributes: [
        { type: forge.pki.oids['contentType'] as string, value: forge.pki.oids['data'] as string },
        { type: forge.pki.oids['signingTime'] as string, value: (signingTime ?? new Date()) as unknown as string },
        { type: forge.pki.oids['messageDigest'] as string },
      ],
    })
    p7.sign({ detached: true })
    return Promise.resolve(Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary'))
  }
}

export class P12PdfSigner implements PdfSigner {
  readonly subject: string
  private readonly holder: KeyAndChain

  constructor(p12: Buffer, passphrase: string) {
    this.holder = open(p12, passphrase)
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(this.holder.chain[0]!)).getBytes(), 'binary')
    this.subject = oneLine(new X509Certificate(der).subject)
  }

  async sign(pdf: Buffer, request: SignatureRequest): Promise<Buffer> {
    const withPlaceholder = plainAddPlaceholder({
      pdfBuffer: pdf,
      reason: request.reason,
      contactInfo: '',
      name: request.name,
      location: request.location,
      signingTime: request.signingTime,
      signatureLength,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      appName: 'motcua',
    })
    return new SignPdf().sign(withPlaceholder, new CmsSigner(this.holder), request.signingTime)
  }
}

/** Only plain names map to a file, so an account or agency code can never point outside the directory. */
const safeName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  return readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined
    throw err
  })
}

/**
 * Keys as PKCS#12 files in one directory (SIGNING_KEYS_DIR): `officers/<username>.p12` for each signing officer and
 * `seals/<agency code>.p12` for each agency's seal, all opened with one passphrase (SIGNING_KEY_PASSPHRASE).
 */
export class P12KeyDirectory implements SigningKeys {
  constructor(
    private readonly dir: string,
    private readonly passphrase: string,
  ) {}

  person(username: string): Promise<PdfSigner | undefined> {
    return this.open('officers', username)
  }

  seal(agencyCode: string): Promise<PdfSigner | undefined> {
    return this.open('seals', agencyCode)
  }

  private async open(kind: string, name: string): Promise<PdfSigner | undefined> {
    if (!safeName.test(name)) return undefined
    const file = await readIfPresent(join(this.dir, kind, `${name}.p12`))
    return file ? new P12PdfSigner(file, this.passphrase) : undefined
  }
}

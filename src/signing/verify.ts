// motcua's own PDF signature verifier: for each signature, the CMS SignedData is checked over the bytes its /ByteRange
// covers (the message digest, then the signer's signature over the signed attributes), and the signer, the signing
// time and whether the signature covers the whole file are read. Independent of the signer (tests compare it with
// poppler's pdfsig).
import { X509Certificate } from 'node:crypto'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'

export interface VerifiedSignature {
  /** The signer certificate's subject, "CN=…, O=…". */
  subject: string
  commonName: string | null
  organization: string | null
  issuer: string
  /** The signing time the signed attributes carry (the signer's server clock). */
  signingTime: string | null
  /** The digest of the covered bytes matches and the signature over it is the certificate's key's. */
  valid: boolean
  /** The signature covers the file up to its end: nothing was appended after it. */
  coversWholeDocument: boolean
  /** The certificate chains to one of the configured trust anchors. */
  trusted: boolean
}

export interface PdfVerification {
  signatures: VerifiedSignature[]
  /** Signed, and every signature valid, and the last one covers the whole file. */
  intact: boolean
}

const byteRangePattern = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g

const oneLine = (subject: string) => subject.split('\n').filter(Boolean).join(', ')
const field = (subject: string, key: string) =>
  subject
    .split('\n')
    .find((l) => l.startsWith(`${key}=`))
    ?.slice(key.length + 1) ?? null

const toArrayBuffer = (b: Buffer): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer

/** Trust anchors from PEM text (several certificates concatenated). */
export function parseTrustAnchors(pem: string): pkijs.Certificate[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) =>
    pkijs.Certificate.fromBER(toArrayBuffer(new X509Certificate(m[0]).raw)),
  )
}

async function chainsToAnchor(
  signer: pkijs.Certificate,
  certificates: pkijs.Certificate[],
  anchors: pkijs.Certificate[],
  at: Date,
): Promise<boolean> {
  if (anchors.length === 0) return false
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: anchors,
    certs: [...certificates.filter((c) => c !== signer), signer],
    checkDate: at,
  })
  const result = await engine.verify().catch(() => ({ result: false }))
  return result.result
}

async function verifyOne(
  pdf: Buffer,
  range: [number, number, number, number],
  anchors: pkijs.Certificate[],
): Promise<VerifiedSignature | undefined> {
  const [a, b, c, d] = range
  if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length) return undefined
  // The gap between the two ranges is "<hex>": the DER signature, padded with zeros.
  const hex = pdf.subarray(b + 1, c - 1).toString('latin1')
  if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined
  const der = Buffer.from(hex, 'hex')
  const parsed = asn1js.fromBER(toArrayBuffer(der))
  if (parsed.offset === -1) return undefined
  let signed: pkijs.SignedData
  try {
    const info = new pkijs.ContentInfo({ schema: parsed.result })
    signed = new pkijs.SignedData({ schema: info.content })
  } catch {
    return undefined
  }
  const covered = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)])
  const certificates = (signed.certificates ?? []).filter((x): x is pkijs.Certificate => x instanceof pkijs.Certificate)
  const signerInfo = signed.signerInfos[0]
  let valid = false
  let signerCert: pkijs.Certificate | undefined
  try {
    const result = await signed.verify({
      signer: 0,
      data: toArrayBuffer(covered),
      extendedMode: true,
      checkChain: false,
    })
    valid = result.signatureVerified === true
    signerCert = result.signerCertificate ?? undefined
  } catch (err) {
    const e = err as { signerCertificate?: pkijs.Certificate }
    signerCert = e.signerCertificate
  }
  signerCert ??= certificates[0]
  if (!signerCert) return undefined
  const x509 = new X509Certificate(Buffer.from(signerCert.toSchema().toBER(false)))
  const timeAttribute = signerInfo?.signedAttrs?.attributes.find((t) => t.type === '1.2.840.113549.1.9.5')
  const time = timeAttribute?.values[0] as asn1js.UTCTime | asn1js.GeneralizedTime | undefined
  const signingTime = time ? time.toDate() : null
  return {
    subject: oneLine(x509.subject),
    commonName: field(x509.subject, 'CN'),
    organization: field(x509.subject, 'O'),
    issuer: oneLine(x509.issuer),
    signingTime: signingTime?.toISOString() ?? null,
    valid,
    coversWholeDocument: c + d === pdf.length,
    trusted: valid && (await chainsToAnchor(signerCert, certificates, anchors, signingTime ?? new Date())),
  }
}

/** Every signature of the PDF, checked; a file without a readable signature has none. */
export async function verifyPdf(pdf: Buffer, anchors: pkijs.Certificate[] = []): Promise<PdfVerification> {
  const text = pdf.toString('latin1')
  const signatures: VerifiedSignature[] = []
  for (const m of text.matchAll(byteRangePattern)) {
    const range = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number]
    const one = await verifyOne(pdf, range, anchors)
    if (one) signatures.push(one)
  }
  const intact = signatures.length > 0 && signatures.every((s) => s.valid) && signatures.at(-1)!.coversWholeDocument
  return { signatures, intact }
}

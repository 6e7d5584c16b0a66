// The signer port: whatever holds a signing key — a PKCS#12 file today, a USB token or a certification authority's
// remote-signing service later — adds one signature to a PDF as an incremental update, so earlier signatures stay
// valid.

export interface SignatureRequest {
  /** Why it is signed, as the signature dictionary's /Reason says ("Ký duyệt kết quả", "Đóng dấu cơ quan"). */
  reason: string
  /** The signer's name as the signature dictionary's /Name says. */
  name: string
  /** Where it is signed (/Location): the place name of the issuing body. */
  location: string
  /** The signing time, from the server's clock (the signed attributes and /M carry it). */
  signingTime: Date
}

export interface PdfSigner {
  /** Who signs, as the certificate's subject says ("CN=Nguyễn Văn A, O=UBND xã An Bình"). */
  readonly subject: string
  /** The PDF with one more signature appended; the bytes before it are kept as they were. */
  sign(pdf: Buffer, request: SignatureRequest): Promise<Buffer>
}

/** Where signing keys are found: an officer's own, and the seal (chữ ký số của cơ quan) of an agency. */
export interface SigningKeys {
  /** The officer's key, by account name; undefined when the officer has none here. */
  person(username: string): Promise<PdfSigner | undefined>
  /** The agency's organisation seal, by agency code; undefined when the agency has none here. */
  seal(agencyCode: string): Promise<PdfSigner | undefined>
}

/** No keys at all: signing is not configured on this server. */
export const noSigningKeys: SigningKeys = {
  person: () => Promise.resolve(undefined),
  seal: () => Promise.resolve(undefined),
}

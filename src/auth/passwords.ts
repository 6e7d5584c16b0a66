// Password hashing with argon2id (OWASP parameters) and the password policy.
import { hash, verify } from '@node-rs/argon2'

// Algorithm.Argon2id is an ambient const enum, which isolated modules cannot read: its value is 2.
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// The host site's proof of identity: a JWT signed HS256 with identity.secret, read by jose with the algorithm
// pinned (so `none`, HS512 or an RSA key confusion never verify), `sub` and `exp` required, 60 s of clock leeway.
import { jwtVerify, errors } from 'jose'
import { parseEmailAddress } from './email-address.ts'

export interface HostIdentity { sub: string, email: string | null, name: string | null }

export type TokenResult = { ok: true, identity: HostIdentity } | { ok: false, reason: string }

const LEEWAY_SECONDS = 60

function optionalString (value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null
  const trimmed = value.trim()
  return trimmed === '' || trimmed.length > max ? null : trimmed
}

export async function verifyIdentityToken (token: string, secret: string): Promise<TokenResult> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
      clockTolerance: LEEWAY_SECONDS
    })
    const sub = optionalString(payload.sub, 255)
    if (sub === null) return { ok: false, reason: 'bad_sub' }
    const email = typeof payload.email === 'string' ? parseEmailAddress(payload.email) : null
    return { ok: true, identity: { sub, email, name: optionalString(payload.name, 200) } }
  } catch (err) {
    // The reason is jose's error code (never the token): enough to tell an expired token from a forged one.
    return { ok: false, reason: err instanceof errors.JOSEError ? err.code : 'malformed' }
  }
}

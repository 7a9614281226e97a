/**
 * KIP-507 inter-worker request signing. The group leader writes a random session key to the
 * config topic (record `session-key`: `{"key": <base64>, "algorithm": "HmacSHA256",
 * "creation-timestamp": <ms>}`, as Kafka Connect) and rotates it every `inter.worker.key.ttl.ms`;
 * a worker forwarding a request signs it with headers `X-Connect-Authorization` (base64 HMAC) and
 * `X-Connect-Request-Signature-Algorithm`, and the receiving worker checks the signature before it
 * trusts the request as forwarded. Kafka Connect signs the body only; Tributary signs the method,
 * the path and the body, so a captured signature cannot be replayed on another endpoint.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_KEY_RECORD = 'session-key';
export const SIGNATURE_HEADER = 'x-connect-authorization';
export const ALGORITHM_HEADER = 'x-connect-request-signature-algorithm';

/** Java Mac algorithm names to Node's HMAC digests. */
export const HMAC_ALGORITHMS: Record<string, { digest: string; keyBits: number }> = {
  HmacSHA1: { digest: 'sha1', keyBits: 160 },
  HmacSHA256: { digest: 'sha256', keyBits: 256 },
  HmacSHA384: { digest: 'sha384', keyBits: 384 },
  HmacSHA512: { digest: 'sha512', keyBits: 512 },
};

export interface SessionKey {
  key: Buffer;
  algorithm: string;
  creationTimestamp: number;
}

export function newSessionKeyRecord(algorithm: string, sizeBits: number | null, now = Date.now()): string {
  const bits = sizeBits ?? HMAC_ALGORITHMS[algorithm].keyBits;
  return JSON.stringify({
    key: randomBytes(Math.ceil(bits / 8)).toString('base64'),
    algorithm,
    'creation-timestamp': now,
  });
}

export function parseSessionKey(value: string | undefined): SessionKey | null {
  if (!value) return null;
  try {
    const v = JSON.parse(value) as { key?: string; algorithm?: string; 'creation-timestamp'?: number };
    if (typeof v.key !== 'string' || typeof v.algorithm !== 'string') return null;
    return {
      key: Buffer.from(v.key, 'base64'),
      algorithm: v.algorithm,
      creationTimestamp: Number(v['creation-timestamp'] ?? 0),
    };
  } catch {
    return null;
  }
}

function mac(key: Buffer, algorithm: string, method: string, url: string, body: string): Buffer {
  return createHmac(HMAC_ALGORITHMS[algorithm].digest, key)
    .update(`${method.toUpperCase()}\n${url}\n`)
    .update(body)
    .digest();
}

export function signRequest(
  key: SessionKey,
  algorithm: string,
  method: string,
  url: string,
  body: string,
): Record<string, string> {
  return {
    [SIGNATURE_HEADER]: mac(key.key, algorithm, method, url, body).toString('base64'),
    [ALGORITHM_HEADER]: algorithm,
  };
}

export type Verification = { ok: true } | { ok: false; status: 400 | 403 | 503; message: string };

/** Kafka Connect's answers: 400 for a missing signature or algorithm, 403 for a wrong one, 503 without a key. */
export function verifyRequest(
  key: SessionKey | null,
  accepted: string[],
  headers: Record<string, string | string[] | undefined>,
  method: string,
  url: string,
  body: string,
): Verification {
  const signature = headers[SIGNATURE_HEADER];
  const algorithm = headers[ALGORITHM_HEADER];
  if (typeof signature !== 'string' || typeof algorithm !== 'string')
    return { ok: false, status: 400, message: 'Internal request missing required signature' };
  if (!accepted.includes(algorithm) || !HMAC_ALGORITHMS[algorithm])
    return {
      ok: false,
      status: 400,
      message: `This worker does not support the request signature algorithm ${algorithm}; it accepts ${accepted.join(', ')} (inter.worker.verification.algorithms)`,
    };
  if (!key)
    return {
      ok: false,
      status: 503,
      message: 'This worker has no session key yet; the request cannot be verified. Retry once the group has a leader.',
    };
  const expected = mac(key.key, algorithm, method, url, body);
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, status: 403, message: 'Internal request contained invalid signature.' };
  return { ok: true };
}

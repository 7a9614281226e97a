/**
 * The AWS SDK client for the sink's settings (store.url for S3-compatible endpoints, path-style
 * access, static keys or the default provider chain) and the classification of its failures:
 * a server that cannot be reached, 5xx and throttling are transient (the batch is retried),
 * anything else (no such bucket, access denied) fails the task with the server's message.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { S3SinkSettings } from '../s3-sink-settings.ts';

export function createS3Client(s: S3SinkSettings): S3Client {
  return new S3Client({
    region: s.region,
    endpoint: s.endpoint ?? undefined,
    forcePathStyle: s.pathStyle,
    credentials: s.credentials ?? undefined,
    maxAttempts: s.partRetries + 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'InternalError',
  'ServiceUnavailable',
  'NetworkingError',
  'AbortError',
]);

/** Whether a failed S3 call may succeed when repeated (server down, network cut, 5xx, throttling). */
export function isTransientS3Error(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as {
      code?: string;
      name?: string;
      $metadata?: { httpStatusCode?: number };
      $retryable?: unknown;
      errno?: string;
    };
    if (x.code && TRANSIENT_CODES.has(x.code)) return true;
    if (x.name && TRANSIENT_NAMES.has(x.name)) return true;
    if (x.$retryable) return true;
    const status = x.$metadata?.httpStatusCode;
    if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
    // The SDK without an HTTP answer at all (connection refused/reset before any status).
    if (x.$metadata && status === undefined) return true;
  }
  return false;
}

/**
 * Hides secrets embedded in text: the password of a URL's user-info
 * (`postgres://app:s3cret@db` → `postgres://app:[hidden]@db`), password-like URL and JDBC
 * parameters (`?password=…`, `;password=…`), Oracle's `user/password@host`, and `password="…"`
 * inside JAAS configs. Used on every REST response body and every log line, on top of the
 * PASSWORD-key masking the herder does (which cannot see secrets inside other values).
 */
import { Password, looksSecret } from './config-def.ts';

const HIDDEN = Password.HIDDEN;

/** scheme://user:password@ — the password part (any scheme, e.g. jdbc:mysql://, SASL_SSL://, https://). */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s/@:"'<>]*):([^\s/@"'<>]+)@/gi;
/**
 * ?password=…, &sslpassword=…, ;password=… (JDBC SQL Server style), any parameter whose name ends
 * in password/secret (Connector/J's trustCertificateKeyStorePassword, MariaDB's keyStorePassword),
 * token and api keys.
 */
const PARAM_SECRET =
  /([?&;](?:[a-z0-9_.-]*(?:password|passwd|secret)|pwd|token|access_token|api[_-]?key|apikey)=)([^&;#\s"'<>]*)/gi;
/** jdbc:oracle:thin:user/password@host */
const ORACLE_THIN = /(jdbc:oracle:[a-z]+:[^\s/@:"'<>]+\/)([^\s@"'<>]+)@/gi;
/** password="…" / password='…' in JAAS configs (sasl.jaas.config echoed inside an error message). */
const JAAS_PASSWORD = /(\b(?:password|secret|token)\s*=\s*)(?:"(?:[^"\\]|\\.)*"|'[^']*')/gi;

export function redactText(text: string): string {
  if (!/[:=@]/.test(text)) return text;
  return text
    .replace(URL_PASSWORD, (_m, head: string, pw: string) => (pw === HIDDEN ? `${head}:${pw}@` : `${head}:${HIDDEN}@`))
    .replace(PARAM_SECRET, `$1${HIDDEN}`)
    .replace(ORACLE_THIN, `$1${HIDDEN}@`)
    .replace(JAAS_PASSWORD, `$1"${HIDDEN}"`);
}

/**
 * A copy of a JSON-like value with every string redacted, and the value of a secret-looking key
 * (by name, or `{ "name": "x.password", "value": … }` as /config/validate answers) replaced.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value instanceof Error) return redactError(value, depth);
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const obj = value as Record<string, unknown>;
  const namedSecret = typeof obj.name === 'string' && looksSecret(obj.name);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string' && v !== '' && (looksSecret(k) || (namedSecret && k === 'value'))) out[k] = HIDDEN;
    else out[k] = redactDeep(v, depth + 1);
  }
  return out;
}

/**
 * A pino call's arguments redacted. An Error logged on its own (`logger.error(err)`) keeps pino's
 * shape: `{ err: { type, message, stack } }` with the error's message as the line's message.
 */
export function redactLogArgs(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    const err = redactError(first);
    return rest.length > 0 && typeof rest[0] === 'string'
      ? [{ err }, ...rest.map((a) => redactDeep(a))]
      : [{ err }, err.message];
  }
  return args.map((a) => redactDeep(a));
}

/** The same class (pino's serializer names it), enumerable fields kept, message and stack redacted. */
function redactError(e: Error, depth = 0): Error {
  const err = Object.assign(
    Object.create(Object.getPrototypeOf(e) as object) as Error,
    redactDeep({ ...e }, depth + 1) as object,
  );
  Object.defineProperty(err, 'message', {
    value: redactText(e.message),
    enumerable: false,
    writable: true,
    configurable: true,
  });
  Object.defineProperty(err, 'stack', {
    value: e.stack === undefined ? undefined : redactText(e.stack),
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return err;
}

/** Redacts a serialized body: JSON is parsed, redacted and re-serialized; other text is redacted as text. */
export function redactBody(payload: string, contentType: string | undefined): string {
  if (contentType && /json/i.test(contentType) && payload !== '') {
    try {
      return JSON.stringify(redactDeep(JSON.parse(payload)));
    } catch {
      /* not JSON after all */
    }
  }
  return redactText(payload);
}

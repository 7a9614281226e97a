/**
 * The error hierarchy shared by the runtime, connectors and plugins. Every error has a stable
 * `code` and a `retriable` flag so retry and dead-letter logic read a flag, never a message.
 * `instanceof` works across duplicate copies of the SDK through a Symbol.for brand.
 */
const BRAND = Symbol.for('tributary.error');

/** The base of every Tributary error: a stable `code` and a `retriable` flag, read by retry and dead-letter handling. */
export class TributaryError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(message: string, opts: { code?: string; retriable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code ?? 'TRIB_ERR_CONNECT';
    this.retriable = opts.retriable ?? false;
    (this as Record<symbol, unknown>)[BRAND] = true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === TributaryError)
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** Kafka Connect's ConnectException: a generic failure inside a connector or the framework. */
export class ConnectException extends TributaryError {}

/** A record's data does not match its schema, or cannot be converted. */
export class DataException extends TributaryError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { code: 'TRIB_ERR_DATA', ...opts });
  }
}

/** A transient failure: the framework retries the operation (Kafka Connect's RetriableException). */
export class RetriableException extends TributaryError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { code: 'TRIB_ERR_RETRIABLE', retriable: true, ...opts });
  }
}

/** A source or sink offset given to PATCH …/offsets (or a connector's alterOffsets hook) is refused. */
export class InvalidOffsetError extends TributaryError {
  constructor(message: string) {
    super(message, { code: 'TRIB_ERR_INVALID_OFFSET' });
  }
}

/** A Kafka broker answered with an error code (Kafka protocol `type`, e.g. LEADER_NOT_AVAILABLE); `retriable` as Kafka classifies it. */
export class KafkaBrokerError extends TributaryError {
  readonly type: string;
  constructor(type: string, message: string, opts: { retriable: boolean; cause?: unknown }) {
    super(message, { code: 'TRIB_ERR_KAFKA', ...opts });
    this.type = type;
  }
}

/** A Tributary invariant broke (a bug): never retried. */
export class InternalError extends TributaryError {
  constructor(message: string) {
    super(message, { code: 'TRIB_ERR_INTERNAL' });
  }
}

/** A consumer group still has members, so its offsets cannot change yet (Kafka's NON_EMPTY_GROUP). */
export class GroupNotEmptyError extends TributaryError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { code: 'TRIB_ERR_GROUP_NOT_EMPTY', retriable: true, ...opts });
  }
}

/** A configuration value is invalid; names the key, the value and the fix. */
export class ConfigException extends TributaryError {
  readonly key: string | undefined;
  constructor(message: string, opts: { key?: string; cause?: unknown } = {}) {
    super(message, { code: 'TRIB_ERR_CONFIG', cause: opts.cause });
    this.key = opts.key;
  }
}

/** Errors surfaced by the REST API carry their HTTP status, mapped to `{"error_code","message"}`. */
export class RestError extends TributaryError {
  readonly status: number;
  constructor(status: number, message: string, code = 'TRIB_ERR_REST') {
    super(message, { code });
    this.status = status;
  }
}

export class NotFoundError extends RestError {
  constructor(message: string) {
    super(404, message, 'TRIB_ERR_NOT_FOUND');
  }
}

export class AlreadyExistsError extends RestError {
  constructor(message: string) {
    super(409, message, 'TRIB_ERR_ALREADY_EXISTS');
  }
}

export class BadRequestError extends RestError {
  constructor(message: string) {
    super(400, message, 'TRIB_ERR_BAD_REQUEST');
  }
}

/** A full stack trace string, as Kafka Connect puts in status `trace` fields. */
export function traceOf(err: unknown): string {
  if (err instanceof Error) {
    let trace = err.stack ?? `${err.name}: ${err.message}`;
    let cause = (err as { cause?: unknown }).cause;
    while (cause instanceof Error) {
      trace += `\nCaused by: ${cause.stack ?? cause.message}`;
      cause = (cause as { cause?: unknown }).cause;
    }
    return trace;
  }
  return String(err);
}

/**
 * Kafka client errors classified by the broker's error codes (Kafka protocol error codes, as
 * kafkajs exposes them in `code` and `type`), never by message text. Looks through the wrappers
 * kafkajs puts around a broker's answer: `cause` chains, KafkaJSAggregateError's `errors` and
 * KafkaJSDeleteGroupsError's `groups[].error`.
 */

/** The Kafka protocol error codes Tributary reacts to (org.apache.kafka.common.protocol.Errors). */
export const KAFKA_ERROR_CODES = {
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  MESSAGE_TOO_LARGE: 10,
  TOPIC_ALREADY_EXISTS: 36,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
} as const;

export type KafkaErrorName = keyof typeof KAFKA_ERROR_CODES;

interface ClientError {
  type?: string;
  code?: number | string;
  cause?: unknown;
  errors?: unknown[];
  groups?: Array<{ error?: unknown }>;
}

/** Every broker error found in `err` and what it wraps (depth-limited). */
function* brokerErrors(err: unknown, depth = 0): Generator<ClientError> {
  if (!err || typeof err !== 'object' || depth > 8) return;
  const e = err as ClientError;
  yield e;
  yield* brokerErrors(e.cause, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* brokerErrors(inner, depth + 1);
  if (Array.isArray(e.groups)) for (const g of e.groups) yield* brokerErrors(g?.error, depth + 1);
}

function matches(e: ClientError, name: KafkaErrorName): boolean {
  return e.type === name || e.code === KAFKA_ERROR_CODES[name];
}

/** Whether the broker answered `name` anywhere in the error. */
export function isKafkaError(err: unknown, name: KafkaErrorName): boolean {
  for (const e of brokerErrors(err)) if (matches(e, name)) return true;
  return false;
}

/** Whether every broker error in an aggregate (or the single error) is `name`: e.g. all topics already existed. */
export function isOnlyKafkaError(err: unknown, name: KafkaErrorName): boolean {
  const inner = (err as ClientError | null)?.errors;
  if (Array.isArray(inner) && inner.length > 0) return inner.every((x) => isKafkaError(x, name));
  return isKafkaError(err, name);
}

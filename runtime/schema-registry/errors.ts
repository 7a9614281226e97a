/**
 * Registry failures as Tributary errors: a rejected request (unknown id, incompatible schema, bad
 * credentials) is a DataException the error tolerance can route; an unreachable registry or a
 * 5xx answer is retriable (errors.retry.timeout applies).
 */
import { DataException, RetriableException } from '../errors.ts';

/** The registry answered with an error status. */
export class SchemaRegistryRequestError extends DataException {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: number | undefined,
  ) {
    super(message);
  }
}

/** No URL of the registry answered, or it answered 5xx: worth retrying. */
export class SchemaRegistryUnavailableError extends RetriableException {}

/** Confluent's error codes (io.confluent.kafka.schemaregistry.rest.exceptions.Errors). */
export const RegistryErrorCodes = {
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  SUBJECT_SOFT_DELETED: 40404,
  INCOMPATIBLE_SCHEMA: 409,
  INVALID_SCHEMA: 42201,
  INVALID_VERSION: 42202,
  INVALID_COMPATIBILITY_LEVEL: 42203,
} as const;

/** A message that says what failed, what the registry said, and what to do about it. */
export function describeRegistryError(
  operation: string,
  status: number,
  errorCode: number | undefined,
  registryMessage: string,
): string {
  const said = `${registryMessage || 'no message'} (HTTP ${status}${errorCode !== undefined ? `, error_code ${errorCode}` : ''})`;
  // Some registries answer error_code 0 (Apicurio): the HTTP status says what happened then.
  switch (errorCode ? errorCode : status) {
    case RegistryErrorCodes.SUBJECT_NOT_FOUND:
      return `${operation}: subject not found: ${said}. Register the schema first or set auto.register.schemas=true.`;
    case RegistryErrorCodes.VERSION_NOT_FOUND:
      return `${operation}: version not found: ${said}.`;
    case RegistryErrorCodes.SCHEMA_NOT_FOUND:
      return `${operation}: schema not found: ${said}. With auto.register.schemas=false the exact schema must already be registered under the subject (or set use.latest.version=true).`;
    case RegistryErrorCodes.INCOMPATIBLE_SCHEMA:
      return `${operation}: the schema is incompatible with the subject's earlier versions under its compatibility level: ${said}. Evolve the schema compatibly (e.g. give new fields defaults, make them optional) or change the subject's compatibility (PUT /config/<subject>).`;
    case RegistryErrorCodes.INVALID_SCHEMA:
      return `${operation}: the registry rejected the schema as invalid: ${said}.`;
    case 401:
    case 403:
      return `${operation}: the registry refused the credentials: ${said}. Check basic.auth.credentials.source and basic.auth.user.info.`;
    default:
      return `${operation} failed: ${said}.`;
  }
}

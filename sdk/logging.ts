/** Logging, part of `tributary/sdk`: a named pino logger that hides secrets in its lines. */
export { createLogger } from '../runtime/logging.ts';
export type { Logger, CreateLoggerOptions } from '../runtime/logging.ts';

/**
 * Logging through pino. Every log line that may carry a config goes through `redact` so
 * password-type values never reach the logs.
 */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = Pick<PinoLogger, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child' | 'level'>;

const REDACT_PATHS = ['config.*password*', 'config.*secret*', '*.password', '*.secret', 'password', 'secret'];

export function createLogger(opts: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = opts.level ?? process.env.TRIBUTARY_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  return pino(
    { name: opts.name ?? 'tributary', level, redact: { paths: REDACT_PATHS, censor: '[hidden]' } },
    (opts.destination as pino.DestinationStream | undefined) ?? pino.destination(2),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });

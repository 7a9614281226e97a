/** Loggers named after the Java class a transform implements, created on first use. */
import { createLogger, type Logger } from '../../sdk/logging.ts';

const loggers = new Map<string, Logger>();

export function smtLogger(name: string): Logger {
  let l = loggers.get(name);
  if (!l) loggers.set(name, (l = createLogger({ name })));
  return l;
}

/**
 * A logger that passes every message and logged field through a redactor before pino sees it:
 * connector and task loggers use it so values resolved by config providers never reach a log line.
 */
import type { Logger } from '../logging.ts';

const LEVEL_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

export function redactingLogger(logger: Logger, redact: (text: string) => string): Logger {
  const clean = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redact(v);
    if (v instanceof Error)
      return { type: v.name, message: redact(v.message), stack: v.stack === undefined ? undefined : redact(v.stack) };
    if (depth > 4 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => clean(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = clean(x, depth + 1);
    return out;
  };
  return new Proxy(logger, {
    get(target, prop) {
      if (typeof prop === 'string' && LEVEL_METHODS.has(prop)) {
        const method = (target as unknown as Record<string, (...args: unknown[]) => void>)[prop];
        // A disabled level writes nothing: skip the cleaning.
        if ((target as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.(prop) === false)
          return method.bind(target);
        return (...args: unknown[]) =>
          method.apply(
            target,
            args.map((a) => clean(a, 0)),
          );
      }
      if (prop === 'child')
        return (...args: Parameters<Logger['child']>) => redactingLogger(target.child(...args), redact);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set(target, prop, value) {
      return Reflect.set(target, prop, value, target);
    },
  });
}

/**
 * Logging through pino. Every log line that may carry a config goes through `redact` so
 * password-type values never reach the logs.
 */
import { pino, type Logger as PinoLogger } from 'pino';
import { redactLogArgs } from './rest/redaction.ts';

export type Logger = Pick<PinoLogger, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child' | 'level'>;

const REDACT_PATHS = ['config.*password*', 'config.*secret*', '*.password', '*.secret', 'password', 'secret'];

export function createLogger(opts: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = opts.level ?? process.env.TRIBUTARY_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  return pino(
    {
      name: opts.name ?? 'tributary', level, redact: { paths: REDACT_PATHS, censor: '[hidden]' },
      // Secrets inside values (a URL's password, a JAAS password) are hidden in every line too.
      hooks: { logMethod(args, method) { method.apply(this, redactLogArgs(args) as Parameters<typeof method>); } },
    },
    (opts.destination as pino.DestinationStream | undefined) ?? pino.destination(2),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });

/** Log4j level names (as Kafka Connect's /admin/loggers speaks them) to pino levels. */
const LEVELS: Record<string, string> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error', FATAL: 'fatal', OFF: 'silent' };
const REVERSE: Record<string, string> = Object.fromEntries(Object.entries(LEVELS).map(([k, v]) => [v, k]));

/**
 * Named loggers with run-time levels, for GET/PUT /admin/loggers. Names are dotted namespaces:
 * `tributary.connector.<name>` and `tributary.connector.<name>.task.<id>`; setting a level on a
 * name applies to it and every logger below it, as Kafka Connect's LoggingResource does.
 */
export class LogLevels {
  private readonly loggers = new Map<string, Logger[]>();
  private readonly explicit = new Map<string, { level: string; lastModified: number }>();

  constructor(readonly root: Logger) {}

  /** A child logger registered under `name`, at the level set for it or its nearest ancestor. */
  child(name: string, bindings: Record<string, unknown>): Logger {
    const logger = this.root.child({ logger: name, ...bindings });
    const inherited = this.levelFor(name);
    if (inherited) logger.level = inherited;
    // Restarted connectors and tasks get new loggers under the same name: keep only the recent ones.
    this.loggers.set(name, [...(this.loggers.get(name) ?? []), logger].slice(-4));
    return logger;
  }

  private levelFor(name: string): string | undefined {
    let n: string | undefined = name;
    while (n) {
      const set = this.explicit.get(n);
      if (set) return set.level;
      n = n.includes('.') ? n.slice(0, n.lastIndexOf('.')) : undefined;
    }
    return undefined;
  }

  all(): Record<string, { level: string; last_modified: number | null }> {
    const out: Record<string, { level: string; last_modified: number | null }> = {
      root: { level: REVERSE[this.root.level] ?? this.root.level.toUpperCase(), last_modified: this.explicit.get('root')?.lastModified ?? null },
    };
    for (const [name, v] of [...this.explicit].sort(([a], [b]) => a.localeCompare(b))) {
      if (name !== 'root') out[name] = { level: REVERSE[v.level] ?? v.level, last_modified: v.lastModified };
    }
    return out;
  }

  get(name: string): { level: string; last_modified: number | null } | undefined {
    if (name === 'root') return this.all().root;
    const known = this.explicit.has(name) || [...this.loggers.keys()].some((n) => n === name || n.startsWith(`${name}.`));
    if (!known) return undefined;
    const level = this.levelFor(name) ?? this.root.level;
    return { level: REVERSE[level] ?? level, last_modified: this.explicit.get(name)?.lastModified ?? null };
  }

  /** Sets a level; returns the names of the loggers it changed. Throws on an unknown level name. */
  set(name: string, level: string): string[] {
    const pinoLevel = LEVELS[level.toUpperCase()];
    if (!pinoLevel) throw Object.assign(new Error(`invalid log level '${level}'.`), { invalidLevel: true });
    this.explicit.set(name, { level: pinoLevel, lastModified: Date.now() });
    const affected: string[] = [];
    if (name === 'root') {
      this.root.level = pinoLevel;
      affected.push('root');
    }
    for (const [n, list] of this.loggers) {
      if (name === 'root' || n === name || n.startsWith(`${name}.`)) {
        for (const l of list) l.level = pinoLevel;
        affected.push(n);
      }
    }
    return [...new Set(affected)].sort();
  }
}

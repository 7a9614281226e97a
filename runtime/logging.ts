/**
 * Logging through pino. Every log line that may carry a config goes through `redact` so
 * password-type values never reach the logs.
 */
import { pino, type Logger as PinoLogger } from 'pino';
import { redactLogArgs } from './config/redaction.ts';
import { TextLogDestination } from './logging-text.ts';
import { ConfigException, TributaryError } from './errors.ts';

/** The structured logger the worker gives plugins in their contexts (pino's API: `logger.info({ key: value }, 'message')`). */
export type Logger = Pick<PinoLogger, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child' | 'level'>;

const REDACT_PATHS = ['config.*password*', 'config.*secret*', '*.password', '*.secret', 'password', 'secret'];

/** log.format: json (one JSON object a line) or text (Kafka Connect's log4j layout, for people). */
export const LOG_FORMATS = ['json', 'text'] as const;

/** The code of the error LogLevels.set throws for a level name pino does not know (REST answers 404). */
export const INVALID_LOG_LEVEL = 'TRIB_ERR_INVALID_LOG_LEVEL';
export type LogFormat = (typeof LOG_FORMATS)[number];

/** A WARN or ERROR line kept for the web console's "recent errors" (runtime/rest/ui). */
export interface RecentProblem {
  time: number;
  level: 'WARN' | 'ERROR' | 'FATAL';
  message: string;
  connector?: string;
  task?: number;
  logger?: string;
  error?: string;
}

/** The last WARN/ERROR lines a logger wrote (already redacted), newest last. */
export class RecentProblems {
  private readonly lines: RecentProblem[] = [];
  constructor(private readonly capacity = 100) {}

  add(p: RecentProblem): void {
    this.lines.push(p);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  list(): RecentProblem[] {
    return [...this.lines];
  }
}

const recentByLogger = new WeakMap<object, RecentProblems>();

/** The recent WARN/ERROR lines of a logger made by createLogger (shared with its children), or null. */
export function recentProblemsOf(logger: Logger): RecentProblems | null {
  return recentByLogger.get(logger) ?? null;
}

/** Options of {@link createLogger}; plugins usually pass only `name` (their class name). */
export interface CreateLoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; default stderr. */
  destination?: NodeJS.WritableStream;
  /** Default: text on a terminal (stderr is a TTY and no destination given), else json. */
  format?: string;
}

/**
 * A pino logger named `opts.name` at `opts.level` (default TRIBUTARY_LOG_LEVEL, else info); secrets in
 * logged values (URL passwords, JAAS passwords, `*.password` keys) are hidden.
 */
export function createLogger(opts: CreateLoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.TRIBUTARY_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  const format = logFormatOf(opts.format, opts.destination === undefined && process.stderr.isTTY === true);
  const recent = new RecentProblems();
  const sink = (opts.destination as pino.DestinationStream | undefined) ?? pino.destination(2);
  const logger = pino(
    {
      name: opts.name ?? 'tributary',
      level,
      redact: { paths: REDACT_PATHS, censor: '[hidden]' },
      // Secrets inside values (a URL's password, a JAAS password) are hidden in every line too.
      hooks: {
        logMethod(args, method, levelValue) {
          const redacted = redactLogArgs(args);
          if (levelValue >= 40) recent.add(problemOf(redacted, levelValue, (this as unknown as PinoLogger).bindings()));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    format === 'text' ? new TextLogDestination(sink) : sink,
  );
  recentByLogger.set(logger, recent);
  return logger;
}

/** The log.format value, or a clear refusal naming the key; undefined picks by terminal. */
export function logFormatOf(value: string | undefined | null, terminal: boolean): LogFormat {
  if (value === undefined || value === null || value.trim() === '') return terminal ? 'text' : 'json';
  const v = value.trim().toLowerCase();
  if ((LOG_FORMATS as readonly string[]).includes(v)) return v as LogFormat;
  throw new ConfigException(
    `Invalid value ${value} for configuration log.format: use json or text (or leave it unset: text on a terminal, json otherwise)`,
    { key: 'log.format' },
  );
}

function problemOf(args: unknown[], levelValue: number, bindings: Record<string, unknown>): RecentProblem {
  const [first, second] = args;
  const obj = first !== null && typeof first === 'object' ? (first as Record<string, unknown>) : {};
  const message = typeof first === 'string' ? first : typeof second === 'string' ? second : '';
  const connector = (obj.connector ?? bindings.connector) as string | undefined;
  // A binding's task id wins: some lines name the task as text (`task: "name-0"`).
  const task = typeof bindings.task === 'number' ? bindings.task : obj.task;
  const err = obj.err;
  const error =
    err instanceof Error
      ? err.message
      : typeof err === 'string'
        ? err
        : (err as { message?: string } | undefined)?.message;
  return {
    time: Date.now(),
    level: levelValue >= 60 ? 'FATAL' : levelValue >= 50 ? 'ERROR' : 'WARN',
    message,
    ...(connector !== undefined ? { connector: String(connector) } : {}),
    ...(typeof task === 'number' ? { task } : {}),
    ...(typeof bindings.logger === 'string' ? { logger: bindings.logger } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

export const silentLogger: Logger = pino({ level: 'silent' });

/** Log4j level names (as Kafka Connect's /admin/loggers speaks them) to pino levels. */
const LEVELS: Record<string, string> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  FATAL: 'fatal',
  OFF: 'silent',
};
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
      root: {
        level: REVERSE[this.root.level] ?? this.root.level.toUpperCase(),
        last_modified: this.explicit.get('root')?.lastModified ?? null,
      },
    };
    for (const [name, v] of [...this.explicit].sort(([a], [b]) => a.localeCompare(b))) {
      if (name !== 'root') out[name] = { level: REVERSE[v.level] ?? v.level, last_modified: v.lastModified };
    }
    return out;
  }

  get(name: string): { level: string; last_modified: number | null } | undefined {
    if (name === 'root') return this.all().root;
    const known =
      this.explicit.has(name) || [...this.loggers.keys()].some((n) => n === name || n.startsWith(`${name}.`));
    if (!known) return undefined;
    const level = this.levelFor(name) ?? this.root.level;
    return { level: REVERSE[level] ?? level, last_modified: this.explicit.get(name)?.lastModified ?? null };
  }

  /** Sets a level; returns the names of the loggers it changed. Throws on an unknown level name. */
  set(name: string, level: string): string[] {
    const pinoLevel = LEVELS[level.toUpperCase()];
    if (!pinoLevel) throw new TributaryError(`invalid log level '${level}'.`, { code: INVALID_LOG_LEVEL });
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

/**
 * Client verbs against a running worker's REST API:
 * `tributary connectors list|get|config|create|update|delete|pause|resume|stop|restart|status|tasks`,
 * `tributary plugins [--all]`, `tributary offsets get|reset|alter <connector> [file.json]`, and
 * `tributary offsets reset <sink> --to-datetime <ISO-8601>|--to-earliest|--to-latest` (replay).
 * The worker URL comes from --url, else TRIBUTARY_URL, else http://localhost:8083.
 */
import { importKafkaConnectOffsets } from './offsets-import.ts';
import fs from 'node:fs';
import { readConnectorConfig } from '../config-files.ts';
import { authorizationHeader } from '../rest-auth.ts';
import type { CliIo } from '../io.ts';
import { UsageError, type ParsedArgs } from '../args.ts';
import { render, type OutputFormat } from '../output.ts';

export { UsageError };

export class Client {
  constructor(
    readonly base: string,
    private readonly io: CliIo,
    readonly auth: Record<string, string> = {},
    private readonly output: OutputFormat = 'json',
  ) {}

  static of(p: ParsedArgs, io: CliIo): Client {
    return new Client(
      baseUrl(p.globals),
      io,
      authorizationHeader(p.globals),
      (p.globals.output ?? 'json') as OutputFormat,
    );
  }

  /** The parsed JSON answer, or throws a CliRequestError with the worker's message. */
  async json(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { ...this.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new CliRequestError(unreachable(this.base, err));
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    if (!res.ok) {
      const message = (parsed as { message?: string } | null)?.message ?? text;
      throw new CliRequestError(
        `${method} ${path.split('?')[0]}: HTTP ${res.status}: ${message}${res.status === 401 || res.status === 403 ? ' (pass --user user:password or --token, or set TRIBUTARY_AUTH)' : ''}`,
      );
    }
    return parsed;
  }

  async call(method: string, path: string, body?: unknown): Promise<number> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { ...this.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      this.io.stderr.write(unreachable(this.base, err) + '\n');
      return 1;
    }
    const text = await res.text();
    const warning = warningText(res.headers.get('warning'));
    if (warning) this.io.stderr.write(`Warning: ${warning}\n`);
    if (text) {
      let out = text;
      try {
        // Errors stay JSON (scripts read error_code); answers follow --output.
        out = render(JSON.parse(text), res.ok ? this.output : 'json');
      } catch {
        /* not JSON: print as is */
      }
      (res.ok ? this.io.stdout : this.io.stderr).write(out + '\n');
    } else if (res.ok) {
      this.io.stdout.write(`${method} ${path}: ${res.status}\n`);
    }
    return res.ok ? 0 : 1;
  }
}

/** The text of a `Warning: 299 <agent> "<text>"` header (the worker's operator notices, e.g. a replication slot left in place). */
function warningText(header: string | null): string | null {
  if (!header) return null;
  const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(header);
  return m ? m[1].replace(/\\(.)/g, '$1') : header;
}

const enc = encodeURIComponent;

export async function runConnectorsCommand(p: ParsedArgs, io: CliIo): Promise<number> {
  const verb = p.path[1];
  const [arg] = p.positional;
  const flags = p.flags;
  const c = Client.of(p, io);
  const needName = () => {
    if (!arg) throw new UsageError(`tributary connectors ${verb} <connector-name>`);
    return enc(arg);
  };
  switch (verb) {
    case 'list': {
      const expand = ['status', 'info'].filter((e) => flags[e]);
      return c.call('GET', `/connectors${expand.length ? '?' + expand.map((e) => `expand=${e}`).join('&') : ''}`);
    }
    case 'get':
      return c.call('GET', `/connectors/${needName()}`);
    case 'config':
      return c.call('GET', `/connectors/${needName()}/config`);
    case 'status':
      if (flags.watch) return (await import('./status-watch.ts')).watchStatus(c, needName(), p, io);
      return c.call('GET', `/connectors/${needName()}/status`);
    case 'tasks':
      return c.call('GET', `/connectors/${needName()}/tasks`);
    case 'topics':
      return c.call('GET', `/connectors/${needName()}/topics`);
    case 'create': {
      if (!arg)
        throw new UsageError(
          'tributary connectors create <connector.json|connector.properties> [--initial-state RUNNING|PAUSED|STOPPED]',
        );
      const { name, config } = readConnectorConfig(arg);
      return c.call('POST', '/connectors', {
        name,
        config,
        ...(flags['initial-state'] ? { initial_state: flags['initial-state'] } : {}),
      });
    }
    case 'update': {
      if (!arg) throw new UsageError('tributary connectors update <connector.json|connector.properties>');
      const { name, config } = readConnectorConfig(arg);
      return c.call('PUT', `/connectors/${enc(name)}/config`, config);
    }
    case 'delete':
      return c.call('DELETE', `/connectors/${needName()}`);
    case 'pause':
      return c.call('PUT', `/connectors/${needName()}/pause`);
    case 'resume':
      return c.call('PUT', `/connectors/${needName()}/resume`);
    case 'stop':
      return c.call('PUT', `/connectors/${needName()}/stop`);
    case 'restart': {
      const q = [flags['include-tasks'] ? 'includeTasks=true' : '', flags['only-failed'] ? 'onlyFailed=true' : '']
        .filter(Boolean)
        .join('&');
      return c.call('POST', `/connectors/${needName()}/restart${q ? '?' + q : ''}`);
    }
    default:
      throw new UsageError(
        'tributary connectors list|get|config|create|update|delete|pause|resume|stop|restart|status|tasks|topics [--url URL]',
      );
  }
}

export async function runPluginsCommand(p: ParsedArgs, io: CliIo): Promise<number> {
  return Client.of(p, io).call('GET', `/connector-plugins${p.flags.all ? '?connectorsOnly=false' : ''}`);
}

export async function runOffsetsCommand(p: ParsedArgs, io: CliIo): Promise<number> {
  const verb = p.path[1];
  const [name, file] = p.positional;
  const flags = p.flags;
  const c = Client.of(p, io);
  if (verb === 'import') {
    if (typeof flags['bootstrap-server'] !== 'string')
      throw new UsageError(
        'tributary offsets import --bootstrap-server <host:port,…> [--topic connect-offsets] [--connector a,b] [--dry-run]  (migrates Kafka Connect source offsets)',
      );
    return importKafkaConnectOffsets(
      {
        bootstrapServers: flags['bootstrap-server'].split(','),
        topic: typeof flags.topic === 'string' ? flags.topic : 'connect-offsets',
        connectors: typeof flags.connector === 'string' ? flags.connector.split(',') : null,
        dryRun: flags['dry-run'] === true,
        url: c.base,
        headers: c.auth,
      },
      io,
    );
  }
  if (!name)
    throw new UsageError(
      'tributary offsets get|reset|alter <connector> [offsets.json] [--to-datetime ISO-8601 | --to-earliest | --to-latest] [--topic t1,t2]',
    );
  switch (verb) {
    case 'get':
      return c.call('GET', `/connectors/${enc(name)}/offsets`);
    case 'reset': {
      // With a target: replay a (stopped) sink from a point in time; without: Kafka Connect's reset.
      const target =
        typeof flags['to-datetime'] === 'string'
          ? flags['to-datetime']
          : flags['to-earliest']
            ? 'earliest'
            : flags['to-latest']
              ? 'latest'
              : undefined;
      if (target === undefined) return c.call('DELETE', `/connectors/${enc(name)}/offsets`);
      const topics = typeof flags.topic === 'string' ? flags.topic.split(',') : undefined;
      return c.call('PATCH', `/connectors/${enc(name)}/offsets`, { timestamp: target, ...(topics ? { topics } : {}) });
    }
    case 'alter': {
      if (!file)
        throw new UsageError(
          'tributary offsets alter <connector> <offsets.json>  (body: {"offsets":[{"partition":{…},"offset":{…}}]})',
        );
      return c.call('PATCH', `/connectors/${enc(name)}/offsets`, JSON.parse(fs.readFileSync(file, 'utf8')));
    }
    default:
      throw new UsageError(
        'tributary offsets get|reset|alter <connector> [offsets.json] [--to-datetime ISO-8601 | --to-earliest | --to-latest] [--topic t1,t2]',
      );
  }
}

/** A failed request, printed as one line. */
export class CliRequestError extends Error {}

function unreachable(base: string, err: unknown): string {
  const c = (err as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause;
  const cause = c?.code ?? c?.errors?.[0]?.code ?? (err as Error).message;
  return `Cannot reach the Tributary worker at ${base} (${cause}). Start one with \`tributary standalone <worker.properties>\` (or npm start), or pass --url.`;
}

export function baseUrl(flags: Record<string, string | true>): string {
  const u = typeof flags.url === 'string' ? flags.url : (process.env.TRIBUTARY_URL ?? 'http://localhost:8083');
  return u.replace(/\/+$/, '');
}

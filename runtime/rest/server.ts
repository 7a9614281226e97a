/**
 * The REST API, path-, body- and status-compatible with Kafka Connect's (see
 * shared reference kafka-connect-rest.md), plus /metrics (Prometheus) and /openapi.json.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { TributaryError, RestError, BadRequestError } from '../errors.ts';
import type { Herder } from '../worker/herder/herder-api.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { PluginType } from '../plugins/types.ts';
import type { TargetState } from '../worker/task-state.ts';
import { INVALID_LOG_LEVEL, type Logger, type LogLevels } from '../logging.ts';
import { PLUGIN_TYPES } from '../plugins/registry.ts';
import { registerJolokia } from './jolokia.ts';
import { registerRequestGuard, type RequestGuardOptions } from './request-guard.ts';
import { closeListenersWith } from './listeners.ts';
import { registerConsole } from './ui/console-routes.ts';
import { registerTopicRoutes, type TopicRoutesOptions } from './topics-routes.ts';

export interface RestServerOptions {
  herder: Herder;
  metrics: MetricsRegistry;
  logger: Logger;
  logLevels?: LogLevels;
  version: string;
  commit: string;
  clusterId: string;
  /** Why the worker is degraded (e.g. its storage cannot write), or null; /health reports it. */
  health?: () => string | null;
  /**
   * Distributed mode: may answer a request itself (e.g. by forwarding it to the worker that owns
   * the connector) and return true; false lets this worker handle it.
   */
  forward?: (req: FastifyRequest, reply: FastifyReply) => Promise<boolean>;
  /** Authentication, CORS, rate limit, audit (request-guard.ts); the worker config builds it. */
  guard: RequestGuardOptions;
  /** rest.request.max.bytes */
  bodyLimit?: number;
  /** The topic console's /tributary/topics endpoints (topics-routes.ts). */
  topics?: TopicRoutesOptions;
}

type Params = { name: string; id: string; plugin: string };
type Req = FastifyRequest<{
  Params: Params;
  Querystring: Record<string, string | string[] | undefined>;
  Body: unknown;
}>;

const INITIAL_STATES: Record<string, TargetState> = { RUNNING: 'STARTED', PAUSED: 'PAUSED', STOPPED: 'STOPPED' };

export async function buildRestServer(opts: RestServerOptions): Promise<FastifyInstance> {
  const { herder, metrics } = opts;
  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimit ?? 4 * 1024 * 1024 });
  closeListenersWith(app);
  registerRequestGuard(app, opts.guard);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Tributary worker REST API',
        description: 'Kafka Connect-compatible REST API',
        version: opts.version,
      },
    },
  });

  app.setErrorHandler((err, _req, reply) => {
    const { status, message } = toHttpError(err);
    if (status >= 500) opts.logger.error({ err: message }, 'REST request failed');
    void reply.status(status).send({ error_code: status, message });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error_code: 404, message: `HTTP 404 Not Found: ${req.method} ${req.url}` });
  });
  // As Kafka Connect (@Consumes(APPLICATION_JSON)): JSON only, so a cross-site form or text/plain
  // post gets 415 (request-guard.ts); an empty body on POST/PUT is allowed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return done(
        new BadRequestError(`Unrecognized or malformed JSON in request body: ${(err as Error).message}`),
        undefined,
      );
    }
    // as Jackson's StreamReadConstraints: deeper documents would overflow the stack of whatever walks them
    const depth = nestingDepthOver(value, MAX_JSON_NESTING);
    if (depth !== null)
      return done(
        new BadRequestError(
          `Unrecognized or malformed JSON in request body: document nesting depth (${depth}) exceeds the maximum allowed (${MAX_JSON_NESTING})`,
        ),
        undefined,
      );
    done(null, value);
  });

  if (opts.forward) {
    const forward = opts.forward;
    app.addHook('preHandler', async (req, reply) => {
      if (await forward(req, reply)) return reply;
    });
  }

  const s = (schema: Record<string, unknown>) => ({ schema });
  const nameParam = { type: 'object', properties: { name: { type: 'string' } } };

  app.get('/', s({ summary: 'Worker version and cluster id', tags: ['root'] }), async () => ({
    version: opts.version,
    commit: opts.commit,
    kafka_cluster_id: opts.clusterId,
  }));

  app.get('/health', s({ summary: 'Worker health (KIP-1017)', tags: ['root'] }), async (_req, reply) => {
    if (!herder.isReady) return reply.status(503).send({ status: 'starting', message: 'Worker is still starting up.' });
    // KIP-1017's body; 'degraded': the worker serves requests but part of it cannot work (the reason says which).
    const degraded = opts.health?.() ?? null;
    if (degraded)
      return { status: 'degraded', message: `Worker has completed startup and is handling requests, but ${degraded}` };
    return { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' };
  });

  app.get('/connectors', s({ summary: 'List connectors', tags: ['connectors'] }), async (req: Req) => {
    const expand = ([] as string[]).concat(req.query.expand ?? []);
    const names = herder.connectorNames();
    if (expand.length === 0) return names;
    const out: Record<string, Record<string, unknown>> = {};
    for (const name of names) {
      const item: Record<string, unknown> = {};
      try {
        if (expand.includes('status')) item.status = herder.connectorStatus(name);
        if (expand.includes('info')) item.info = await herder.connectorInfo(name);
      } catch {
        continue; // deleted while listing
      }
      out[name] = item;
    }
    return out;
  });

  app.post(
    '/connectors',
    s({ summary: 'Create a connector', tags: ['connectors'] }),
    async (req: Req, reply: FastifyReply) => {
      const body = (req.body ?? {}) as { name?: unknown; config?: unknown; initial_state?: unknown };
      if (
        body.config === undefined ||
        body.config === null ||
        typeof body.config !== 'object' ||
        Array.isArray(body.config)
      ) {
        throw new BadRequestError('Connector config must be provided as a JSON object in the "config" field');
      }
      if (body.name !== undefined && body.name !== null && typeof body.name !== 'string') {
        throw new BadRequestError(
          `Connector name must be a JSON string, e.g. "name": "inventory-source", but was ${JSON.stringify(body.name)} (a ${Array.isArray(body.name) ? 'list' : typeof body.name})`,
        );
      }
      const name = typeof body.name === 'string' ? body.name.trim() : '';
      const config = stringMap(body.config as Record<string, unknown>);
      checkName(name, config);
      let initialState: TargetState | undefined;
      if (body.initial_state !== undefined && body.initial_state !== null) {
        initialState = INITIAL_STATES[String(body.initial_state).toUpperCase()];
        if (!initialState)
          throw new BadRequestError(
            `Invalid initial state ${String(body.initial_state)}: use one of RUNNING, PAUSED, STOPPED`,
          );
      }
      const { info } = await herder.putConnectorConfig(name, config, { allowReplace: false, initialState });
      return reply
        .status(201)
        .header('Location', `/connectors/${encodeURIComponent(name)}`)
        .send(info);
    },
  );

  app.get(
    '/connectors/:name',
    s({ summary: 'Connector info', tags: ['connectors'], params: nameParam }),
    async (req: Req) => herder.connectorInfo(req.params.name),
  );

  app.delete(
    '/connectors/:name',
    s({ summary: 'Delete a connector', tags: ['connectors'], params: nameParam }),
    async (req: Req, reply) => {
      const notice = await herder.deleteConnector(req.params.name);
      if (notice) reply.header('Warning', warningHeader(notice));
      return reply.status(204).send();
    },
  );

  app.get(
    '/connectors/:name/config',
    s({ summary: 'Connector config (secrets hidden)', tags: ['connectors'], params: nameParam }),
    async (req: Req) => herder.connectorConfig(req.params.name),
  );

  app.put(
    '/connectors/:name/config',
    s({ summary: 'Create or replace a connector config', tags: ['connectors'], params: nameParam }),
    async (req: Req, reply) => {
      if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
        throw new BadRequestError('Connector config must be provided as a JSON object');
      const config = stringMap(req.body as Record<string, unknown>);
      checkName(req.params.name, config);
      const { created, info } = await herder.putConnectorConfig(req.params.name, config, { allowReplace: true });
      if (created)
        return reply
          .status(201)
          .header('Location', `/connectors/${encodeURIComponent(req.params.name)}`)
          .send(info);
      return reply.status(200).send(info);
    },
  );

  app.patch(
    '/connectors/:name/config',
    s({ summary: 'Patch a connector config (null removes a key)', tags: ['connectors'], params: nameParam }),
    async (req: Req) => {
      if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
        throw new BadRequestError('Config patch must be provided as a JSON object');
      const patch: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(req.body as Record<string, unknown>))
        patch[k] = v === null ? null : String(v);
      if (patch.name !== undefined && patch.name !== req.params.name)
        throw new BadRequestError(
          `Connector name configuration (${patch.name}) doesn't match connector name in the URL (${req.params.name})`,
        );
      return herder.patchConnectorConfig(req.params.name, patch);
    },
  );

  app.get(
    '/connectors/:name/status',
    s({ summary: 'Connector and task states', tags: ['connectors'], params: nameParam }),
    async (req: Req) => herder.connectorStatus(req.params.name),
  );

  app.post(
    '/connectors/:name/restart',
    s({ summary: 'Restart a connector (and tasks)', tags: ['connectors'], params: nameParam }),
    async (req: Req, reply) => {
      const includeTasks = bool(req.query.includeTasks);
      const onlyFailed = bool(req.query.onlyFailed);
      const result = await herder.restartConnector(req.params.name, { includeTasks, onlyFailed });
      if (result === null) return reply.status(204).send();
      return reply.status(202).send(result);
    },
  );

  app.put(
    '/connectors/:name/pause',
    s({ summary: 'Pause a connector', tags: ['connectors'], params: nameParam }),
    async (req: Req, reply) => {
      await herder.pauseConnector(req.params.name);
      return reply.status(202).send();
    },
  );

  app.put(
    '/connectors/:name/resume',
    s({ summary: 'Resume a paused or stopped connector', tags: ['connectors'], params: nameParam }),
    async (req: Req, reply) => {
      await herder.resumeConnector(req.params.name);
      return reply.status(202).send();
    },
  );

  app.put(
    '/connectors/:name/stop',
    s({ summary: 'Stop a connector (KIP-875)', tags: ['connectors'], params: nameParam }),
    async (req: Req, reply) => {
      const notice = await herder.stopConnectorByRequest(req.params.name);
      if (notice) reply.header('Warning', warningHeader(notice));
      return reply.status(204).send();
    },
  );

  app.get(
    '/connectors/:name/tasks',
    s({ summary: 'Task configs', tags: ['tasks'], params: nameParam }),
    async (req: Req) => herder.taskInfos(req.params.name),
  );

  app.get('/connectors/:name/tasks/:id/status', s({ summary: 'Task state', tags: ['tasks'] }), async (req: Req) =>
    herder.taskStatus(req.params.name, taskId(req.params.id)),
  );

  app.post(
    '/connectors/:name/tasks/:id/restart',
    s({ summary: 'Restart a task', tags: ['tasks'] }),
    async (req: Req, reply) => {
      await herder.restartTask(req.params.name, taskId(req.params.id));
      return reply.status(204).send();
    },
  );

  app.get(
    '/connectors/:name/offsets',
    s({ summary: 'Connector offsets', tags: ['offsets'], params: nameParam }),
    async (req: Req) => herder.connectorOffsets(req.params.name),
  );
  app.patch(
    '/connectors/:name/offsets',
    s({ summary: 'Alter offsets of a STOPPED connector', tags: ['offsets'], params: nameParam }),
    async (req: Req) => herder.alterOffsets(req.params.name, req.body),
  );
  app.delete(
    '/connectors/:name/offsets',
    s({ summary: 'Reset offsets of a STOPPED connector', tags: ['offsets'], params: nameParam }),
    async (req: Req) => herder.resetOffsets(req.params.name),
  );

  app.get(
    '/connectors/:name/topics',
    s({ summary: 'Active topics', tags: ['topics'], params: nameParam }),
    async (req: Req) => herder.activeTopics(req.params.name),
  );
  app.put(
    '/connectors/:name/topics/reset',
    s({ summary: 'Reset active topics', tags: ['topics'], params: nameParam }),
    async (req: Req, reply) => {
      await herder.resetActiveTopics(req.params.name);
      return reply.status(202).send();
    },
  );

  app.get('/connector-plugins', s({ summary: 'Installed plugins', tags: ['plugins'] }), async (req: Req) => {
    const connectorsOnly = req.query.connectorsOnly === undefined ? true : bool(req.query.connectorsOnly);
    const types: PluginType[] = connectorsOnly ? ['sink', 'source'] : [...PLUGIN_TYPES];
    return herder.listPlugins(types);
  });

  app.get(
    '/connector-plugins/:plugin/config',
    s({ summary: "A plugin's config definition", tags: ['plugins'] }),
    async (req: Req) => herder.pluginConfig(req.params.plugin),
  );

  app.put(
    '/connector-plugins/:plugin/config/validate',
    s({ summary: 'Validate a connector config', tags: ['plugins'] }),
    async (req: Req) => {
      if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
        throw new BadRequestError('Connector config must be provided as a JSON object');
      const config = stringMap(req.body as Record<string, unknown>);
      if (config['connector.class'] === undefined) config['connector.class'] = req.params.plugin;
      return herder.validateConnectorConfig(config, req.params.plugin);
    },
  );

  app.get(
    '/metrics',
    s({ summary: 'Prometheus metrics (Kafka Connect metric names)', tags: ['metrics'] }),
    async (_req, reply) => {
      return reply.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8').send(await metrics.exposition());
    },
  );

  registerJolokia(app, metrics);
  registerConsole(app, { metrics, logger: opts.logger, version: opts.version });
  if (opts.topics) registerTopicRoutes(app, opts.topics);

  if (opts.logLevels) {
    const levels = opts.logLevels;
    app.get(
      '/admin/loggers',
      s({ summary: 'Loggers with explicitly set levels, plus root', tags: ['admin'] }),
      async () => levels.all(),
    );
    app.get('/admin/loggers/:name', s({ summary: "A logger's level", tags: ['admin'] }), async (req: Req) => {
      const found = levels.get(req.params.name);
      if (!found) throw new RestError(404, `Logger ${req.params.name} not found.`);
      return found;
    });
    app.put(
      '/admin/loggers/:name',
      s({ summary: "Set a logger's level (and its descendants')", tags: ['admin'] }),
      async (req: Req, reply) => {
        const level = (req.body as { level?: unknown } | undefined)?.level;
        if (typeof level !== 'string' || level.trim() === '')
          throw new BadRequestError("Desired 'level' parameter was not specified in request.");
        let affected: string[];
        try {
          affected = levels.set(req.params.name, level.trim());
        } catch (err) {
          if (err instanceof TributaryError && err.code === INVALID_LOG_LEVEL) throw new RestError(404, err.message);
          throw err;
        }
        // Standalone: cluster scope is this worker; Kafka Connect answers 204 for it.
        if (String(req.query.scope ?? 'worker').toLowerCase() === 'cluster') return reply.status(204).send();
        return affected;
      },
    );
  }

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}

function toHttpError(err: unknown): { status: number; message: string } {
  if (err instanceof RestError) return { status: err.status, message: err.message };
  const e = err as { statusCode?: number; message?: string; validation?: unknown };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)
    return { status: e.statusCode, message: e.message ?? 'Bad request' };
  if (err instanceof TributaryError && err.code === 'TRIB_ERR_CONFIG') return { status: 400, message: err.message };
  return { status: 500, message: (err as Error)?.message ?? String(err) };
}

/** An RFC 7234 Warning header (code 299, a persistent warning) carrying an operator notice; the body of a 204 cannot. */
function warningHeader(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, (c) => `\\${c}`);
  return `299 tributary "${ascii}"`;
}

const MAX_JSON_NESTING = 1000;

/** The first nesting depth above `max` found in a parsed JSON value, or null; iterative, so any depth is safe to check. */
function nestingDepthOver(root: unknown, max: number): number | null {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return depth + 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return null;
}

function stringMap(obj: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

function checkName(name: string, config: Record<string, string>): void {
  if (config.name !== undefined && config.name !== name) {
    throw new BadRequestError(
      `Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`,
    );
  }
  config.name = name;
}

function bool(v: string | string[] | undefined): boolean {
  const s = Array.isArray(v) ? v[0] : v;
  return s !== undefined && s.toLowerCase() === 'true';
}

function taskId(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new BadRequestError(`Invalid task id "${raw}": task ids are non-negative integers`);
  return n;
}

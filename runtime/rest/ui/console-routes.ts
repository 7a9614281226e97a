/**
 * The web console: static files under /ui (shipped in runtime/rest/ui/static, no build step, no
 * CDN) and the two reads it needs beyond Kafka Connect's API, under /tributary/console:
 * `overview` (per-connector metrics, recent WARN/ERROR lines, who the caller is) and `history`
 * (the last hour of throughput and lag). Everything else the console does goes through the Kafka
 * Connect REST API, so authentication, roles, the media-type check and redaction apply unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MetricsRegistry } from '../../metrics/registry.ts';
import { type Logger, recentProblemsOf } from '../../logging.ts';
import { fromProjectRoot } from '../../util/project-root.ts';
import { summarizeConnectors } from './connector-summary.ts';
import { MetricsHistory } from './metrics-history.ts';

export const CONSOLE_PATH = '/ui';
const STATIC_DIR = fromProjectRoot('runtime', 'rest', 'ui', 'static');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The console's pages load nothing from elsewhere and cannot be framed (no clickjacking of its buttons). */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export interface ConsoleOptions {
  metrics: MetricsRegistry;
  logger: Logger;
  version: string;
}

/** The files of the console, read once: only these names are served (no path from the URL reaches the file system). */
function loadStaticFiles(): Map<string, { body: Buffer; type: string }> {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of fs.readdirSync(STATIC_DIR)) {
    const type = TYPES[path.extname(name)];
    if (type) files.set(name, { body: fs.readFileSync(path.join(STATIC_DIR, name)), type });
  }
  return files;
}

export function registerConsole(app: FastifyInstance, opts: ConsoleOptions): void {
  const files = loadStaticFiles();
  const history = new MetricsHistory(opts.metrics);
  history.start();
  app.addHook('onClose', async () => history.stop());
  const hidden = { schema: { hide: true } };

  app.get(CONSOLE_PATH, hidden, async (_req, reply) => reply.redirect(`${CONSOLE_PATH}/`));
  const serve = (name: string, url: string, reply: FastifyReply) => {
    const file = files.get(name);
    if (!file) return reply.status(404).send({ error_code: 404, message: `HTTP 404 Not Found: GET ${url}` });
    return reply.headers(SECURITY_HEADERS).type(file.type).send(file.body);
  };
  app.get(`${CONSOLE_PATH}/`, hidden, async (req, reply) => serve('index.html', req.url, reply));
  app.get<{ Params: { file: string } }>(`${CONSOLE_PATH}/:file`, hidden, async (req, reply) =>
    serve(req.params.file, req.url, reply),
  );

  app.get(
    '/tributary/console/overview',
    {
      schema: { summary: 'Web console: per-connector metrics, recent WARN/ERROR lines, the caller', tags: ['console'] },
    },
    async (req) => ({
      version: opts.version,
      principal: req.principal
        ? { name: req.principal.name, role: req.principal.role, scheme: req.principal.scheme }
        : null,
      connectors: summarizeConnectors(opts.metrics),
      problems: recentProblemsOf(opts.logger)?.list() ?? [],
    }),
  );

  app.get<{ Querystring: { minutes?: string } }>(
    '/tributary/console/history',
    { schema: { summary: 'Web console: per-connector throughput and lag over the last hour', tags: ['console'] } },
    async (req) => {
      const minutes = Number(req.query.minutes ?? 60);
      return { intervalMs: history.intervalMs, points: history.since(Number.isFinite(minutes) ? minutes : 60) };
    },
  );
}

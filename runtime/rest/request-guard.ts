/**
 * What every REST request passes before a route sees it, in order: the listener it came in on
 * (admin paths only where `admin.listeners` puts them), CORS (off unless configured, as Kafka
 * Connect), the rate limit, authentication and the role the route needs, and the media type (a
 * body that is not application/json is refused with 415, so a cross-site form or text/plain post
 * cannot reach a route; Jolokia's read-only POSTs excepted, which collectors send with any type or none).
 * On the way out every body is redacted and every mutating call audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../logging.ts';
import { type Authenticator, type Principal, hasRole, requiredRole } from './auth.ts';
import { LISTENER_KIND, type ListenerKind } from './listeners.ts';
import { redactBody, redactText } from '../config/redaction.ts';
import { RateLimiter } from './rate-limit.ts';

export interface RequestGuardOptions {
  /** null: no authentication (every caller acts as admin), as Kafka Connect without a REST extension. */
  auth: Authenticator | null;
  /** access.control.allow.origin: '' (CORS off), '*' or a comma-separated list of origins. */
  allowOrigin: string;
  /** access.control.allow.methods: '' means Jetty's default GET,POST,HEAD. */
  allowMethods: string;
  /** rest.rate.limit.requests.per.second (0 = off) and rest.rate.limit.burst. */
  rateLimit: { perSecond: number; burst: number };
  /** The `tributary.audit` logger. */
  audit: Logger;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const ANONYMOUS_ADMIN: Principal = { name: 'anonymous', role: 'admin', scheme: 'anonymous' };

const isAdminPath = (path: string) => path === '/admin' || path.startsWith('/admin/');
/** Jolokia's POST is a read (no side effects): collectors send its JSON with any content type or none (Metricbeat). */
const isJolokiaPath = (path: string) => path === '/jolokia' || path.startsWith('/jolokia/');
const pathOf = (req: FastifyRequest) => req.url.split('?')[0];
/** The web console's static files (runtime/rest/ui/static) hold no data: a browser loads them, then signs in for the API calls. */
const isConsoleAsset = (method: string, path: string) =>
  (method === 'GET' || method === 'HEAD') && (path === '/ui' || path.startsWith('/ui/'));

function send(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.status(status).header('content-type', 'application/json').send({ error_code: status, message });
}

export function registerRequestGuard(app: FastifyInstance, opts: RequestGuardOptions): void {
  const origins = opts.allowOrigin
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const methods =
    opts.allowMethods.trim() === ''
      ? 'GET,POST,HEAD'
      : opts.allowMethods
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean)
          .join(',');
  const limiter = opts.rateLimit.perSecond > 0 ? new RateLimiter(opts.rateLimit.perSecond, opts.rateLimit.burst) : null;
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (req, reply) => {
    const path = pathOf(req);
    const kind = (req.raw as unknown as Record<symbol, ListenerKind | undefined>)[LISTENER_KIND] ?? 'both';
    // As Kafka Connect: with admin.listeners set, /admin lives only there, and only /admin does.
    if ((kind === 'main' && isAdminPath(path)) || (kind === 'admin' && !isAdminPath(path))) {
      return send(reply, 404, `HTTP 404 Not Found: ${req.method} ${req.url}`);
    }

    const origin = req.headers.origin;
    const corsAllowed =
      origin !== undefined && origins.length > 0 && (origins.includes('*') || origins.includes(origin));
    if (corsAllowed) {
      void reply.header('access-control-allow-origin', origins.includes('*') ? '*' : origin).header('vary', 'Origin');
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        return reply
          .status(204)
          .header('access-control-allow-methods', methods)
          .header('access-control-allow-headers', 'X-Requested-With,Content-Type,Accept,Origin,Authorization')
          .header('access-control-max-age', '1800')
          .send();
      }
    }

    if (limiter) {
      const wait = limiter.take(req.ip);
      if (wait > 0) {
        void reply.header('retry-after', String(Math.ceil(wait / 1000)));
        return send(
          reply,
          429,
          `Too many requests from ${req.ip}: the worker allows ${opts.rateLimit.perSecond} per second (burst ${opts.rateLimit.burst}); retry later or raise rest.rate.limit.requests.per.second`,
        );
      }
    }

    if (opts.auth && !isConsoleAsset(req.method, path)) {
      const principal = opts.auth.authenticate(req.headers.authorization);
      if (!principal) {
        // No challenge for script calls (the web console signs in itself): a browser would answer it with its own login dialog.
        if (req.headers['x-requested-with'] === undefined)
          void reply.header('www-authenticate', 'Basic realm="tributary", charset="UTF-8"');
        return send(
          reply,
          401,
          'User cannot access the resource: missing or invalid credentials (HTTP basic auth or a bearer token).',
        );
      }
      req.principal = principal;
      const needed = requiredRole(req.method, path);
      if (!hasRole(principal, needed)) {
        return send(
          reply,
          403,
          `User ${principal.name} (role ${principal.role}) cannot ${req.method} ${path}: it needs the role ${needed}.`,
        );
      }
    } else if (!opts.auth) {
      req.principal = ANONYMOUS_ADMIN;
    }

    if (WITH_BODY.has(req.method) && !isJolokiaPath(path)) {
      const type = req.headers['content-type'];
      const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      const mediaType = type?.split(';')[0].trim().toLowerCase();
      if ((type !== undefined && mediaType !== 'application/json') || (type === undefined && hasBody)) {
        return send(reply, 415, 'HTTP 415 Unsupported Media Type');
      }
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (typeof payload !== 'string') return payload;
    const type = reply.getHeader('content-type');
    return redactBody(payload, typeof type === 'string' ? type : undefined);
  });

  app.addHook('onResponse', async (req, reply) => {
    if (!MUTATING.has(req.method) || isJolokiaPath(pathOf(req))) return;
    opts.audit.info(
      {
        user: req.principal?.name ?? 'unauthenticated',
        auth: req.principal?.scheme ?? 'none',
        remote: req.ip,
        method: req.method,
        path: redactText(req.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ...(req.headers['x-tributary-forwarded'] ? { forwardedBy: String(req.headers['x-tributary-forwarded']) } : {}),
      },
      'REST call',
    );
  });
}

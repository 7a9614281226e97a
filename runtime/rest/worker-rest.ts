/**
 * The REST security settings of a worker config, in one place for standalone and distributed
 * workers: the request guard (authentication, CORS, rate limit, audit logger), the body limit,
 * and binding `listeners` / `admin.listeners`.
 */
import net from 'node:net';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { ConfigException } from '../errors.ts';
import type { LogLevels } from '../logging.ts';
import type { WorkerConfig } from '../worker/worker-config.ts';
import { Authenticator } from './auth.ts';
import { type BoundListener, describeListeners, httpsServerOptions, startListeners } from './listeners.ts';
import { parseListeners } from '../config/listener-uris.ts';
import type { RequestGuardOptions } from './request-guard.ts';

export const AUDIT_LOGGER = 'tributary.audit';

export interface RestSecurity {
  guard: RequestGuardOptions;
  bodyLimit: number;
}

export function restSecurity(config: WorkerConfig, logLevels: LogLevels): RestSecurity {
  return {
    guard: {
      auth: Authenticator.fromConfig(
        config.getOptionalString('rest.auth.credentials.file'),
        config.getOptionalString('rest.auth.tokens.file'),
      ),
      allowOrigin: config.getString('access.control.allow.origin'),
      allowMethods: config.getString('access.control.allow.methods'),
      rateLimit: {
        perSecond: config.getDouble('rest.rate.limit.requests.per.second'),
        burst: config.getInt('rest.rate.limit.burst'),
      },
      audit: logLevels.child(AUDIT_LOGGER, {}),
    },
    bodyLimit: config.getInt('rest.request.max.bytes'),
  };
}

export interface WorkerListeners {
  bound: BoundListener[];
  /** The first main listener: the URL this machine reaches the API at. */
  url: string;
  port: number;
  /** What the banner prints: addresses and, if needed, the unauthenticated-exposure warning. */
  banner: string[];
}

/** Binds the config's listeners; errors are one-line ConfigExceptions naming the listener. */
export async function listenWorkerRest(
  app: FastifyInstance,
  config: WorkerConfig,
  security: RestSecurity,
): Promise<WorkerListeners> {
  const main = parseListeners('listeners', config.getList('listeners'));
  const adminRaw = config.values['admin.listeners'] as string[] | null;
  const admin = adminRaw === null ? null : parseListeners('admin.listeners', adminRaw);
  const advertised = config.getOptionalString('rest.advertised.listener');
  if (advertised !== null && !['http', 'https'].includes(advertised.toLowerCase())) {
    throw new ConfigException(
      `Invalid value ${advertised} for configuration rest.advertised.listener: use http or https`,
      { key: 'rest.advertised.listener' },
    );
  }
  const bound = await startListeners(app, main, admin, () => httpsServerOptions(config.originals));
  const first = bound.find((l) => l.kind !== 'admin')!;
  return {
    bound,
    url: first.url,
    port: first.boundPort,
    banner: describeListeners(bound, security.guard.auth !== null),
  };
}

/**
 * The URL other workers use for this one, as Kafka Connect's RestServer.advertisedUrl:
 * rest.advertised.listener/host.name/port, else the first listener's protocol, host and bound
 * port — and for a wildcard host, this machine's host name.
 */
export function advertisedUrl(config: WorkerConfig, listeners: WorkerListeners): string {
  const first = listeners.bound.find((l) => l.kind !== 'admin')!;
  const protocol = (config.getOptionalString('rest.advertised.listener') ?? first.protocol).toLowerCase();
  const wildcard = first.host === '' || first.host === '0.0.0.0' || first.host === '::';
  const host = config.getOptionalString('rest.advertised.host.name') ?? (wildcard ? os.hostname() : first.host);
  const port = config.getInt('rest.advertised.port') ?? first.boundPort;
  return `${protocol}://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}

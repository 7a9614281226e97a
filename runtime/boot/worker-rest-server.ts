/**
 * The REST server of a worker, standalone or distributed: built with the worker config's security
 * settings, its listeners bound, and the worker named after the bound port (port 0 picks one), so
 * it runs before the herder starts connectors.
 */
import type { FastifyInstance } from 'fastify';
import type { MetricsRegistry } from '../metrics/registry.ts';
import { registerAppInfo } from '../metrics/app-info.ts';
import { buildRestServer, type RestServerOptions } from '../rest/server.ts';
import { listenWorkerRest, restSecurity, type WorkerListeners } from '../rest/worker-rest.ts';
import type { TopicRoutesOptions } from '../rest/topics-routes.ts';
import type { Logger, LogLevels } from '../logging.ts';
import type { Herder } from '../worker/herder/herder-api.ts';
import type { WorkerConfig } from '../worker/worker-config.ts';
import { defaultWorkerId } from '../worker/worker-id.ts';
import { VERSION, COMMIT } from '../version.ts';

export interface WorkerRestOptions {
  config: WorkerConfig;
  herder: Herder;
  metrics: MetricsRegistry;
  logger: Logger;
  logLevels: LogLevels;
  clusterId: string;
  health: () => string | null;
  topics: TopicRoutesOptions;
  forward?: RestServerOptions['forward'];
}

/**
 * Builds and binds the REST server (closed again if binding fails); sets `herder.workerId` and
 * registers the app-info metric under it.
 */
export async function serveWorkerRest(
  opts: WorkerRestOptions,
): Promise<{ rest: FastifyInstance; listeners: WorkerListeners; workerId: string }> {
  const { config, herder, metrics, logLevels } = opts;
  const security = restSecurity(config, logLevels);
  const rest = await buildRestServer({
    herder,
    metrics,
    logger: opts.logger,
    logLevels,
    version: VERSION,
    commit: COMMIT,
    clusterId: opts.clusterId,
    forward: opts.forward,
    health: opts.health,
    topics: opts.topics,
    ...security,
  });
  try {
    const listeners = await listenWorkerRest(rest, config, security);
    const { host } = config.listener;
    const workerId = defaultWorkerId(
      config.getOptionalString('rest.advertised.host.name') ?? (host === '0.0.0.0' ? null : host),
      config.getInt('rest.advertised.port') ?? listeners.port,
    );
    herder.workerId = workerId;
    registerAppInfo(metrics, workerId, VERSION, COMMIT);
    return { rest, listeners, workerId };
  } catch (err) {
    await rest.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Boots a standalone worker: opens the embedded log (the transport and store when no Kafka is
 * configured), loads plugins, restores persisted connectors, serves the REST API.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { EmbeddedLog } from '../log/embedded-log.ts';
import { EmbeddedTransport } from '../transport/embedded-transport.ts';
import type { Transport } from '../transport/types.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import type { MetricFamily } from '../metrics/prometheus.ts';
import { PluginRegistry } from '../plugins/registry.ts';
import type { AnyPluginDescriptor } from '../plugins/types.ts';
import type { WorkerListeners } from '../rest/worker-rest.ts';
import { serveWorkerRest } from './worker-rest-server.ts';
import { workerTopicConsole } from '../rest/topics-worker.ts';
import { createLogger, LogLevels, type Logger } from '../logging.ts';
import { ConfigException } from '../errors.ts';
import { resolveWorkerProps } from '../config/providers.ts';
import { StandaloneHerder } from '../worker/standalone-herder.ts';
import { defaultWorkerId } from '../worker/worker-id.ts';
import { WORKER_CONFIG_DEF, WorkerConfig } from '../worker/worker-config.ts';
import { checkWorkerPlugins, warnUnusedWorkerKeys } from '../worker/worker-checks.ts';
import { registerEmbeddedLogMetrics, workerDegradedReason } from '../worker/storage-health.ts';
import { installProcessFaultHandlers } from '../worker/process-faults.ts';

export interface RunningWorker {
  herder: StandaloneHerder;
  rest: FastifyInstance;
  /** The URL the REST API listens on, e.g. http://127.0.0.1:8083 */
  url: string;
  /** Every bound listener and the banner lines describing them (runtime/rest/worker-rest.ts). */
  listeners: WorkerListeners;
  /** Where records go: the embedded log, or Kafka when bootstrap.servers is set. */
  transport: Transport;
  /** The embedded log: configs and source offsets always, records too when no Kafka is configured. */
  embedded: EmbeddedTransport;
  metrics: MetricsRegistry;
  logger: Logger;
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  /**
   * Every plugin the worker hosts. The runtime registers no built-in itself: the composition root
   * (app/workers.ts) passes the built-ins plus any extra (tests, embedding applications).
   */
  plugins: AnyPluginDescriptor[];
  logger?: Logger;
}

export async function startStandaloneWorker(
  props: Record<string, string>,
  opts: StartWorkerOptions,
): Promise<RunningWorker> {
  // The worker's own placeholders resolve through its own config.providers (as AbstractConfig).
  const { props: resolvedProps, providers: configProviders } = resolveWorkerProps(props);
  const config = new WorkerConfig(resolvedProps);
  const logger =
    opts.logger ??
    createLogger({ level: props['tributary.log.level'], format: config.getOptionalString('log.format') ?? undefined });
  for (const w of configProviders.warnings) logger.warn({ provider: w.provider }, w.message);
  const dataDir = config.dataDir;
  const defaultPartitions = config.getInt('tributary.log.default.partitions');
  // EmbeddedLog.open creates the directory, locks it and validates its files (one-line refusals naming the file).
  const log = await EmbeddedLog.open({
    dir: dataDir,
    sync: config.getString('tributary.log.sync') as 'durable' | 'os',
    defaultPartitions,
    logger,
    allowReinit: config.getBoolean('tributary.data.allow.reinit'),
    retentionMs: config.getLong('log.retention.ms'),
    retentionBytes: config.getLong('log.retention.bytes'),
    retentionCheckIntervalMs: config.getLong('log.retention.check.interval.ms'),
  });
  // The embedded log always keeps connector configs and source offsets (as connect-standalone's
  // offset file does); records go to Kafka when bootstrap.servers is set.
  const embedded = new EmbeddedTransport(log, defaultPartitions);
  let transport: Transport = embedded;
  if (config.getList('bootstrap.servers').length > 0) {
    // Imported only here: a worker on the embedded log never loads the Kafka client.
    const { KafkaTransport } = await import('../transport/kafka-transport.js');
    const kafka = new KafkaTransport({ props: resolvedProps, logger, defaultPartitions });
    try {
      await kafka.connect();
    } catch (err) {
      await embedded.close();
      throw new ConfigException(
        `Cannot reach the Kafka brokers in bootstrap.servers (${config.getList('bootstrap.servers').join(',')}): ${(err as Error).message}`,
        { key: 'bootstrap.servers', cause: err },
      );
    }
    transport = kafka;
  }
  const plugins = new PluginRegistry().register(...opts.plugins);
  const loaded = await plugins.loadPluginPath(config.getList('plugin.path'));
  if (loaded.length) logger.info({ packages: loaded }, 'Loaded plugin packages');
  try {
    checkWorkerPlugins(config, plugins);
  } catch (err) {
    if (transport !== embedded) await transport.close().catch(() => undefined);
    await embedded.close();
    throw err;
  }
  warnUnusedWorkerKeys(props, [WORKER_CONFIG_DEF], logger);
  const metrics = new MetricsRegistry(config.getList('metrics.prometheus.families') as MetricFamily[]);
  registerEmbeddedLogMetrics(metrics, log);
  const processFaults = installProcessFaultHandlers(logger);
  const { port } = config.listener;
  const clusterId = clusterIdOf(embedded);
  let herder: StandaloneHerder | undefined;
  let rest: FastifyInstance | undefined;
  try {
    const advertisedHost = config.getOptionalString('rest.advertised.host.name');
    const logLevels = new LogLevels(logger);
    herder = new StandaloneHerder({
      worker: config,
      plugins,
      transport,
      store: embedded,
      metrics,
      logger,
      logLevels,
      configProviders,
      workerId: defaultWorkerId(advertisedHost, port),
    });
    // The worker id names the bound port (port 0 picks one), so listen before starting connectors.
    const served = await serveWorkerRest({
      config,
      herder,
      metrics,
      logger,
      logLevels,
      clusterId,
      health: () => workerDegradedReason(log, processFaults),
      topics: await workerTopicConsole({ transport, embedded, config, plugins }),
    });
    rest = served.rest;
    const { listeners, workerId } = served;
    await herder.start();
    logger.info({ url: listeners.url, dataDir, workerId }, 'Tributary worker started');
    for (const line of listeners.banner) if (line.startsWith('WARNING')) logger.warn(line);
    const url = listeners.url;
    let stopped = false;
    return {
      herder,
      rest,
      url,
      listeners,
      transport,
      embedded,
      metrics,
      logger,
      async stop() {
        if (stopped) return;
        stopped = true;
        await rest!.close();
        await herder!.stop();
        if (transport !== embedded) await transport.close();
        await embedded.close();
        processFaults.uninstall();
      },
    };
  } catch (err) {
    await rest?.close().catch(() => undefined);
    await herder?.stop().catch(() => undefined);
    if (transport !== embedded) await transport.close().catch(() => undefined);
    await embedded.close().catch(() => undefined);
    processFaults.uninstall();
    throw err;
  }
}

function clusterIdOf(transport: EmbeddedTransport): string {
  const existing = transport.get('tributary-meta', 'cluster.id');
  if (existing) return existing;
  const id = randomUUID().replace(/-/g, '').slice(0, 22);
  // best effort: should it fail (e.g. a full disk), the next start picks a new id
  transport.put([{ namespace: 'tributary-meta', key: 'cluster.id', value: id }]).catch(() => undefined);
  return id;
}
